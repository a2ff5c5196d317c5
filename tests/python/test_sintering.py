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


@pytest.fixture(scope="module")
def gold_ttm(tmp_path_factory):
    """The Qiu–Tien gold film run twice: by `psw ttm -o` into a file, and in memory."""
    from conftest import BUILD_DIR, SOURCE_DIR
    case = SOURCE_DIR / "data" / "cases" / "qiu_tien_gold_100nm.yaml"
    out = tmp_path_factory.mktemp("ttm") / "gold.h5"
    subprocess.run([str(BUILD_DIR / "bin" / "psw"), "ttm", str(case), "-o", str(out)],
                   check=True, capture_output=True, timeout=300)
    return out, psw.thermal.run_ttm(case)


def _ttm_case(results, depth_nm=21.1, **extra):
    ttm = {"results": str(results), "depth_nm": depth_nm, **extra}
    return {"sinter": {"material": "Ag", "particle_diameter_nm": 50, "duration_s": 600,
                       "temperature": {"ttm": ttm}}}


def test_a_ttm_run_at_a_depth_is_the_history_and_sinters_like_the_same_table(gold_ttm, tmp_path,
                                                                          psw_program):
    path, run = gold_ttm
    # The file holds the same deterministic run as the in-memory one. 400 cells of 0.25 nm have
    # centres at 0.125 + 0.25·k nm, so 21.1 nm is nearest 21.125 nm (k = 84), with no tie.
    k = int(np.argmin(np.abs(run["x_m"] - 21.1e-9)))
    assert k == 84
    column = run["Tl_K"][:, k]
    assert column.max() > column[0] + 1.0  # the pulse heats the lattice at that depth

    c = s.load_case(_ttm_case(path, then_K=493.15, then_ramp_s=30.0))
    t0 = run["time_s"][0]
    np.testing.assert_array_equal(c.history.times_s[:-1], run["time_s"] - t0)
    np.testing.assert_array_equal(c.history.temperatures_K[:-1], column)
    assert c.history.times_s[-1] == (run["time_s"][-1] - t0) + 30.0
    assert c.history.at(1e3) == 493.15

    # The same points as a table: every reported number is the same.
    table = {"time_s": [float(x) for x in c.history.times_s],
             "temperature_K": [float(x) for x in c.history.temperatures_K]}
    case = _ttm_case(path)
    case["sinter"]["temperature"] = {"table": table}
    a = s.sinter(c)
    b = s.sinter(case)
    np.testing.assert_array_equal(a.density, b.density)
    np.testing.assert_array_equal(a.resistivity_ohm_m, b.resistivity_ohm_m)
    assert a.density[-1] > a.density[0] + 0.05  # it does densify during the 30 s ramp and hold

    # The CLI reads the same case from a file, the results path relative to it.
    (tmp_path / "gold.h5").symlink_to(path)
    f = tmp_path / "case.yaml"
    f.write_text("sinter:\n  material: Ag\n  particle_diameter_nm: 50\n  duration_s: 600\n"
                 "  temperature:\n    ttm: {results: gold.h5, depth_nm: 21.1, then_K: 493.15,"
                 " then_ramp_s: 30}\n")
    cli = subprocess.run([str(psw_program), "sinter", str(f)], capture_output=True, text=True,
                         timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout == a.summary()


def test_bad_ttm_sources_raise_value_error_naming_key_and_file(gold_ttm, tmp_path):
    path, _ = gold_ttm
    with pytest.raises(ValueError, match=r"'sinter\.temperature\.ttm\.results': no such file "
                                         r".*missing\.h5"):
        s.load_case(_ttm_case(tmp_path / "missing.h5"))
    # The film is 100 nm thick (data/cases/qiu_tien_gold_100nm.yaml).
    with pytest.raises(ValueError, match=r"sinter\.temperature\.ttm\.depth_nm = 150 is outside "
                                         r"\[0, 100\] \(the film in .*gold\.h5\)"):
        s.load_case(_ttm_case(path, depth_nm=150))
    not_ttm = tmp_path / "other.h5"
    not_ttm.write_bytes(b"not an HDF5 file")
    with pytest.raises(ValueError, match=r"is not a `psw ttm` results file"):
        s.load_case(_ttm_case(not_ttm))
