"""The Python surface of psw.sintering: NumPy in and out, errors as ValueError, the CLI twin."""

import subprocess

import numpy as np
import pytest

import psw
from psw import sintering as s


def test_neck_growth_returns_arrays_with_the_grain_boundary_exponent():
    ag = s.load_material("Ag")
    history = s.TemperatureHistory.constant(450.0)
    law = s.neck_law(ag, s.Mechanism.grain_boundary_diffusion, 450.0)
    r = s.grow_neck(ag, 10e-9, history, 2 * law.time_to(10e-9, 0.3),
                    mechanisms=[s.Mechanism.grain_boundary_diffusion], stop_ratio=0.3)
    t, y = r["time_s"], r["x_over_a"]
    assert isinstance(t, np.ndarray) and t.shape == y.shape
    # Coble: (x/a)^6 ∝ t, so the log-log slope is 1/6 (integrator tolerance 1e-8).
    slope = np.polyfit(np.log(t), np.log(y), 1)[0]
    assert 1 / slope == pytest.approx(6.0, rel=1e-5)
    assert set(r["dominant"]) == {"grain_boundary_diffusion"}


def test_table_histories_take_numpy_arrays_and_bad_tables_raise_value_error():
    h = s.TemperatureHistory.table(np.array([0.0, 10.0]), np.array([300.0, 500.0]))
    assert h.at(5.0) == pytest.approx(400.0)
    with pytest.raises(ValueError, match=r"time_s\[1\] = 0 is not after time_s\[0\] = 0"):
        s.TemperatureHistory.table([0.0, 0.0], [300.0, 400.0])


def test_bruggeman_three_times_bulk_at_porosity_four_ninths():
    m = s.ResistivityModel()
    m.mean_free_path_m = 0.0  # no grain-boundary scattering
    # (3φ − 1)/2 = 1/3 ⇔ φ = 5/9.
    phi = m.solid_fraction_for_resistivity(3 * m.bulk_resistivity_ohm_m, 1e-6)
    assert 1 - phi == pytest.approx(4 / 9, rel=1e-14)


def test_calibrated_distribution_samples_reproduce_median_and_p99():
    law = s.VolumeTimeLaw(reference_time_s=45.0, reference_volume_m3=8e-18)
    v = s.calibrate_volume_distribution(60.0, 240.0, law)
    dist = s.SinteringTimeDistribution(v, law)
    assert dist.quantile_s(0.99) == pytest.approx(240.0, rel=1e-13)
    t = dist.sample_times(40000, psw.core.RngStream(11))
    # Lognormal quantile standard errors √(q(1−q)/n)/f(t_q); 3σ band.
    sigma = dist.sigma_ln_time()
    for q, target in ((0.5, 60.0), (0.99, 240.0)):
        z = s.standard_normal_quantile(q)
        f = np.exp(-z * z / 2) / (target * sigma * np.sqrt(2 * np.pi))
        se = np.sqrt(q * (1 - q) / t.size) / f
        assert abs(np.quantile(t, q) - target) < 3 * se


def test_sinter_is_the_twin_of_the_cli(psw_program, data_dir):
    case = data_dir / "sintering" / "cases" / "ag_laser_ramp.yaml"
    report = s.sinter(case)
    assert report.target.status == s.TargetStatus.reached
    assert report.statistics.p99_s == pytest.approx(240.0)
    cli = subprocess.run([str(psw_program), "sinter", str(case)], capture_output=True, text=True,
                         timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout == report.summary()


def test_bad_cases_exit_2_with_one_line_naming_the_key(psw_program, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sinter:\n  material: Ag\n  particle_diameter_nm: 50\n  duration_s: 1\n"
                   "  temperature: {constant_K: -3}\n")
    result = subprocess.run([str(psw_program), "sinter", str(bad)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == (f"psw: error: {bad}:5:29: sinter.temperature.constant_K = -3 "
                        "is outside (0, 100000]")
    with pytest.raises(ValueError, match="unknown sintering material 'Au'"):
        s.sinter({"sinter": {"material": "Au", "particle_diameter_nm": 50, "duration_s": 1,
                             "temperature": {"constant_K": 400}}})
