"""psw.stage from Python and `psw stage` from the shell: the same cases, the same answers."""

import math
import subprocess

import numpy as np
import pytest

import psw


def run(program, *args):
    return subprocess.run([str(program), *args], capture_output=True, text=True, timeout=60)


def test_cli_and_python_twin_print_the_same_step(psw_program, data_dir):
    case = data_dir / "stages" / "cases" / "step_fast.yaml"
    result = run(psw_program, "stage", str(case))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"stage fast-10um ({case})"
    twin = psw.stage.run(case)
    assert lines[1:] == twin.summary
    # The example's 1 µm step settles inside its 10 nm window; ONT? after the 1 ms settle time.
    assert twin.step.metrics.settled
    assert abs(twin.step.metrics.final_error_m) <= 10e-9
    assert twin.step.on_target_time_s >= 1e-3
    assert isinstance(twin.step.position_m, np.ndarray)


def test_bad_stage_input_exits_2_naming_the_key(psw_program, tmp_path, data_dir):
    stage_file = (data_dir / "stages" / "fast_10um.yaml").read_text()
    bad = tmp_path / "bad_stage.yaml"
    bad.write_text(stage_file.replace("effective_mass_g: 10 ", "effective_mass_g: -10 "))
    case = tmp_path / "case.yaml"
    case.write_text(f"stage: {bad.name}\nbode: {{axis: x}}\n")
    result = run(psw_program, "stage", str(case))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "stage.axes.x.flexure.effective_mass_g = -10 is outside (0, 100000]" in lines[0]
    assert lines[0].startswith(f"psw: error: {bad}:")


def test_placement_from_a_dict_reproduces_the_gaussian_figures():
    # σ = √(3² + (0.1·30)² + 20²) nm; the sampled 1σ within 4 standard errors σ/√(2N).
    budget = psw.stage.PlacementBudget()
    budget.stage_m = psw.stage.ErrorTerm(psw.stage.ErrorDistribution.gaussian, 3e-9)
    budget.drift_rate_m_per_s = psw.stage.ErrorTerm(psw.stage.ErrorDistribution.gaussian, 0.1e-9)
    budget.deposition_time_s = 30.0
    budget.landing_m = psw.stage.ErrorTerm(psw.stage.ErrorDistribution.gaussian, 20e-9)
    budget.samples = 20000
    r = psw.stage.placement_monte_carlo(budget)
    sigma = math.sqrt(9 + 9 + 400) * 1e-9
    assert r.analytic_sigma_m == pytest.approx(sigma, rel=1e-12)
    assert r.sigma_m == pytest.approx(sigma, rel=4 / math.sqrt(2 * budget.samples))
    assert r.error_x_m.shape == (20000,)


def test_an_axis_steps_in_whole_servo_periods_and_refuses_targets_off_travel(data_dir):
    stage = psw.stage.load_stage(data_dir / "stages" / "fast_10um.yaml")
    axis = psw.stage.Axis(stage.axes[0], seed=3)
    axis.set_servo(True)
    assert axis.move_to(11e-6) == psw.stage.MoveStatus.out_of_limits
    assert axis.move_to(2e-6) == psw.stage.MoveStatus.accepted
    axis.step(0.02)
    # 0.02 s at 20 kHz is 400 periods.
    assert axis.time_s == pytest.approx(400 * axis.period_s, rel=1e-12)
    assert axis.on_target
    assert abs(axis.position_m - 2e-6) <= stage.axes[0].servo.window_m


def test_prandtl_ishlinskii_inverse_from_python():
    # Composition of a PI model with its exact inverse is the identity at the samples.
    forward = psw.stage.PrandtlIshlinskii([0, 10, 20], [0.7, 0.2, 0.1])
    inverse = forward.inverse()
    for v in np.linspace(0, 80, 41).tolist() + np.linspace(80, 20, 31).tolist():
        assert forward.update(inverse.update(v)) == pytest.approx(v, abs=1e-9)


def test_unstable_bouc_wen_raises_value_error():
    with pytest.raises(ValueError, match="beta - gamma >= 0"):
        psw.stage.BoucWen(alpha=0.2, beta_per_V=0.001, gamma_per_V=0.002, gain_m_per_V=1e-6)


def test_bouc_wen_inverse_from_python_cancels_the_forward_model():
    # The xy_100um figures (data/stages/xy_100um.yaml): forward(inverse(p)) = p to rounding,
    # over rising and falling strokes (the loop's two branches).
    args = dict(alpha=0.2, beta_per_V=0.0084, gamma_per_V=0.0083, gain_m_per_V=1e-6)
    forward, inverse = psw.stage.BoucWen(**args), psw.stage.BoucWenInverse(**args)
    for p in np.linspace(0, 80e-6, 41).tolist() + np.linspace(80e-6, 10e-6, 31).tolist():
        assert forward.update(inverse.update(p)) == pytest.approx(p, abs=1e-15)


def test_irc_in_a_stage_file_replaces_the_notch(data_dir):
    # The 100 µm stage with `irc:` instead of `notch:` loads, chooses the gain for its 447 Hz
    # loaded mode (ζ = 0.03) and closes a stable loop that settles a 1 µm step.
    text = (data_dir / "stages" / "xy_100um.yaml").read_text()
    assert "notch: {enabled: true}" in text
    import tempfile, pathlib
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "xy_irc.yaml"
        path.write_text(text.replace("notch: {enabled: true}", "irc: {feedthrough: -1.5}"))
        stage = psw.stage.load_stage(path)
    servo = stage.axes[0].servo
    assert servo.irc_enabled and not servo.notch_enabled
    assert psw.stage.closed_loop_spectral_radius(stage.axes[0]) < 1
    w = 2 * math.pi * stage.axes[0].flexure.loaded_resonance_Hz()
    k = psw.stage.irc_best_gain(w, 0.03, -1.5)
    assert psw.stage.irc_damping(w, 0.03, -1.5, k) > 0.3  # from 0.03
    axis = psw.stage.Axis(stage.axes[0], seed=1)
    axis.set_servo(True)
    axis.move_to(1e-6)
    axis.step(0.1)
    assert axis.on_target
