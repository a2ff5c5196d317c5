"""The Python surface of psw.scheduling, a policy written in Python, and `psw schedule`."""

import math
import subprocess

import pytest

import psw
from psw import scheduling as sch


class PythonFifo(sch.Policy):
    """fifo_wait written in Python: joints in lot order, never abort."""

    def name(self):
        return "python_fifo"

    def next(self, view):
        for j in range(view.size()):
            if view.state(j) == sch.JointState.pending:
                return sch.Decision.run(j)
        return sch.Decision.finish()


class AbortAtMedian(sch.Policy):
    """Aborts as soon as a joint's work passes its predicted median."""

    def name(self):
        return "abort_at_median"

    def next(self, view):
        for j in range(view.size()):
            if view.state(j) == sch.JointState.pending:
                return sch.Decision.run(j, view.predicted(j).median())
        return sch.Decision.finish()

    def on_limit(self, view, joint):
        return sch.LimitAction.abort()


def test_the_default_scenario_has_the_issue_tail():
    s = sch.load_scenario()
    d = s.predicted(20e-18)
    # Issue #9: P99 240 s; the scenario's median 60 s at 20 µm³.
    assert d.median() == pytest.approx(60.0)
    assert d.quantile(0.99) == pytest.approx(240.0)
    assert s.joints_per_lot == 100


def test_a_python_policy_plugs_in_and_matches_the_builtin_it_copies():
    # Same lots, same decisions: the makespans must be identical to the last bit.
    builtin, python = sch.schedule(policies=["fifo_wait", PythonFifo()], lots=30)
    assert python.policy == "python_fifo"
    assert list(python.makespans_s) == list(builtin.makespans_s)
    assert python.aborted == 0


def test_a_python_policy_can_abort_and_the_count_shows_it():
    # P(a 100-joint lot has no joint beyond its median) = 2⁻¹⁰⁰: every lot aborts.
    (summary,) = sch.schedule(policies=[AbortAtMedian()], lots=10)
    assert summary.aborted == 10
    assert summary.over_target_fraction == 1.0


def test_a_python_policy_runs_on_one_thread_only():
    with pytest.raises(ValueError, match="threads = 2 with a Python policy"):
        sch.run_monte_carlo(sch.load_scenario(), [PythonFifo()], 5, 2)


def test_simulate_one_lot_with_events():
    s = sch.load_scenario()
    lot = s.make_lot(0)
    predictor = s.make_predictor()
    plan = sch.plan_lot(lot, s.cell, predictor, s.buffer_fraction)
    # deadline = plan × 1.1
    assert plan.deadline_s == pytest.approx(1.1 * plan.planned_s, rel=1e-14)
    result = sch.simulate_lot(lot, plan, s.cell, predictor, sch.make_policy("park_resume"),
                              record_events=True)
    assert result.joints_done == 100
    kinds = [e.kind for e in result.events]
    assert kinds.count(sch.EventKind.sintered) == 100
    assert kinds[-1] == sch.EventKind.finished
    assert result.events[-1].value == pytest.approx(result.makespan_s)


def test_route_and_lognormal_helpers():
    # A crossed square: the best open path from (0, 0) is 3.
    tour = sch.plan_route([(0, 0), (1, 1), (1, 0), (0, 1)])
    pts = [(0, 0), (1, 1), (1, 0), (0, 1)]
    length = sum(math.dist(pts[a], pts[b]) for a, b in zip(tour, tour[1:]))
    assert length == pytest.approx(3.0)
    with pytest.raises(ValueError, match="p99_s = 50 must exceed median_s = 60"):
        sch.LogNormal.from_median_p99(60, 50)


def test_a_bad_scenario_dict_names_the_key():
    text = sch.default_scenario_yaml()
    assert "p99_s: 240" in text
    bad = {"scenario": {"sintering": {"median_s": 60, "p99_s": 240},
                        "lots": {"joints": 0, "field_mm": [1, 1], "volume_um3": [1, 2]}}}
    with pytest.raises(ValueError, match=r"scenario\.lots\.joints = 0 is outside"):
        sch.load_scenario(bad)


def test_psw_schedule_prints_every_policy(psw_program):
    result = subprocess.run([str(psw_program), "schedule", "--lots", "40"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for name in sch.policy_names():
        assert f"\n{name} " in result.stdout
    assert "40 lots of 100 joints" in result.stdout


def test_psw_schedule_refuses_a_p99_below_the_median(psw_program, tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("scenario:\n  sintering: {median_s: 60, p99_s: 30}\n"
                   "  lots: {joints: 3, field_mm: [1, 1], volume_um3: [1, 2]}\n")
    result = subprocess.run([str(psw_program), "schedule", str(bad)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "scenario.sintering.p99_s = 30 must exceed scenario.sintering.median_s = 60" in lines[0]


def test_two_positions_from_python_overlap_the_head_and_the_laser():
    # With two sintering positions the head deposits while the laser sinters: a Python copy of
    # fifo_wait still matches the built-in bit for bit (it returns finish while joints are in
    # the cell, and the head waits), and every lot is shorter than with one position, by at
    # most the head's own busy time (M₂ ≥ M₁ − Σh: the laser's work is still serial).
    s = sch.load_scenario()
    s.cell.sintering_positions = 2
    builtin, python = sch.schedule(s, policies=["fifo_wait", PythonFifo()], lots=10)
    assert list(python.makespans_s) == list(builtin.makespans_s)
    one = sch.load_scenario()
    (serial,) = sch.schedule(one, policies=["fifo_wait"], lots=10)
    predictor = s.make_predictor()
    for index, (m2, m1) in enumerate(zip(builtin.makespans_s, serial.makespans_s)):
        lot = s.make_lot(index)
        plan = sch.plan_lot(lot, s.cell, predictor, s.buffer_fraction)
        r = sch.simulate_lot(lot, plan, s.cell, predictor, sch.make_policy("fifo_wait"))
        assert r.makespan_s == m2
        assert m1 - r.head_busy_s <= m2 < m1


def test_sintering_positions_must_be_1_or_2():
    s = sch.load_scenario()
    s.cell.sintering_positions = 3
    with pytest.raises(ValueError, match=r"cell\.sintering_positions = 3 is outside \[1, 2\]"):
        sch.plan_lot(s.make_lot(0), s.cell, s.make_predictor())


def test_the_physics_models_scenario_takes_the_modules_figures(data_dir):
    # Sintering times from the sintering module's statistics of the same case (median 60 s and
    # P99 240 s at its median deposit), the settle time from the stage model's own step.
    s = sch.load_scenario(data_dir / "scheduling" / "physics_models.yaml")
    sinter = psw.sintering.sinter(data_dir / "sintering" / "cases" / "ag_laser_ramp.yaml")
    st = sinter.statistics
    d = s.predicted(st.volume.median_m3)
    assert d.median() == pytest.approx(st.median_s, rel=1e-12)
    assert d.quantile(0.99) == pytest.approx(st.p99_s, rel=1e-12)
    step = psw.stage.run(data_dir / "stages" / "cases" / "step_fast.yaml")
    assert s.cell.stage_settle_s == step.step.on_target_time_s
    assert "sintering module" in s.describe_sintering()


def test_psw_schedule_runs_on_the_physics_models(psw_program, data_dir):
    scenario = data_dir / "scheduling" / "physics_models.yaml"
    result = subprocess.run([str(psw_program), "schedule", str(scenario), "--lots", "20"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "sintering: sintering module" in result.stdout
    assert "cell: 1 sintering position(s), stage settle 0.00345 s" in result.stdout
    for name in sch.policy_names():
        assert f"\n{name} " in result.stdout


def test_a_plug_in_key_error_names_the_key(data_dir):
    bad = {"scenario": {"sintering": {"model": "sintering"},
                        "lots": {"joints": 3, "field_mm": [1, 1], "volume_um3": [1, 2]}}}
    with pytest.raises(ValueError, match=r"scenario\.sintering\.case is missing"):
        sch.load_scenario(bad)
