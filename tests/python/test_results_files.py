"""`-o OUT.h5` of psw electrospray, sinter, stage and schedule: the files hold the same numbers
as the printed summaries and the Python twins, and a failed run writes nothing."""

import re
import subprocess

import numpy as np
import pytest

import psw

h5py = pytest.importorskip("h5py")


def run(program, *args):
    return subprocess.run([str(program), *args], capture_output=True, text=True, timeout=120)


def text_attribute(f, name):
    value = f.attrs[name]
    # Fixed-length HDF5 strings come back from h5py as bytes.
    return value.decode() if isinstance(value, bytes) else str(value)


def assert_bad_input_leaves_nothing(program, command, bad_case, tmp_path, message):
    """A run that fails on its input exits 2 naming the problem, creates no file and no
    temporary, and leaves an older file of the same name as it was."""
    out = tmp_path / "out.h5"
    before = set(tmp_path.iterdir())
    result = run(program, command, str(bad_case), "-o", str(out))
    assert result.returncode == 2
    assert message in result.stderr
    assert set(tmp_path.iterdir()) == before
    out.write_bytes(b"results of an earlier run")
    result = run(program, command, str(bad_case), "-o", str(out))
    assert result.returncode == 2
    assert out.read_bytes() == b"results of an earlier run"
    assert set(tmp_path.iterdir()) == before | {out}


# ---- electrospray ---------------------------------------------------------------------------

ELECTROSPRAY_CASE = """electrospray:
  ink: ag-np-eg
  emitter: {shape: hyperboloid, radius_um: 5, gap_um: 200}
  voltage_V: 600
  flow_rate_pL_per_s: 2000
  monte_carlo: {droplets: 300, seed: 11}
  defect: {length_um: 3, width_um: 2, height_um: 2}
"""


def test_electrospray_file_holds_the_twins_landings_and_the_printed_figures(psw_program,
                                                                            tmp_path):
    case = tmp_path / "spray.yaml"
    case.write_text(ELECTROSPRAY_CASE)
    out = tmp_path / "spray.h5"
    result = run(psw_program, "electrospray", str(case), "-o", str(out))
    assert result.returncode == 0, result.stderr
    twin = psw.electrospray.run(case)
    with h5py.File(out, "r") as f:
        # Droplet i draws from its own seeded stream, so the twin lands every droplet in the
        # same place, to the bit.
        np.testing.assert_array_equal(f["/electrospray/landing/x_m"][...], twin.spray.x_m)
        np.testing.assert_array_equal(f["/electrospray/landing/y_m"][...], twin.spray.y_m)
        assert f["/electrospray/landing/x_m"].shape == (300,)
        # The printed 1σ scatter and fill time are the file's, at the printed precision.
        sx = f["/electrospray/footprint/sigma_x_m"][()]
        sy = f["/electrospray/footprint/sigma_y_m"][()]
        assert f"1 sigma ({sx * 1e9:.4g}, {sy * 1e9:.4g}) nm" in result.stdout
        fill = f["/electrospray/deposition/fill_time_s"][()]
        assert f"fill time {fill * 1e3:.4g} ms" in result.stdout
        # The scatter is that of the stored landings (sample standard deviation, N − 1).
        assert sx == pytest.approx(np.std(f["/electrospray/landing/x_m"][...], ddof=1),
                                   rel=1e-12)
        assert "voltage_V: 600" in text_attribute(f, "case")
        assert "psw_version" in f.attrs
    assert "results written to" in result.stdout


def test_electrospray_outside_the_window_still_writes_the_window(psw_program, data_dir,
                                                                 tmp_path):
    out = tmp_path / "heptane.h5"
    case = data_dir / "electrospray" / "cases" / "heptane_no_cone_jet.yaml"
    result = run(psw_program, "electrospray", str(case), "-o", str(out))
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        # No stable cone-jet: the reason is kept and no droplets were flown.
        reason = text_attribute(f["/electrospray/cone_jet"], "reason")
        assert reason.startswith("no stable cone-jet")
        assert "/electrospray/landing" not in f


def test_electrospray_bad_input_leaves_no_file(psw_program, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(ELECTROSPRAY_CASE.replace("voltage_V: 600", "voltage_V: 600\n  colour: red"))
    assert_bad_input_leaves_nothing(psw_program, "electrospray", bad, tmp_path,
                                    "unknown key 'electrospray.colour'")


# ---- sinter ---------------------------------------------------------------------------------

def test_sinter_file_holds_the_twins_histories_and_the_printed_resistivity(psw_program,
                                                                          data_dir, tmp_path):
    case = data_dir / "sintering" / "cases" / "ag_laser_ramp.yaml"
    out = tmp_path / "sinter.h5"
    result = run(psw_program, "sinter", str(case), "-o", str(out))
    assert result.returncode == 0, result.stderr
    twin = psw.sintering.sinter(case)
    with h5py.File(out, "r") as f:
        rho = f["/sinter/resistivity_ohm_m"][...]
        # The same deterministic models: the twin's histories, to the bit.
        np.testing.assert_array_equal(rho, twin.resistivity_ohm_m)
        np.testing.assert_array_equal(f["/sinter/density"][...], twin.density)
        np.testing.assert_array_equal(f["/sinter/time_s"][...], twin.time_s)
        # The printed final resistivity (µΩ·cm = 1e8 Ω·m) is the file's last value.
        assert f"-> {rho[-1] * 1e8:.3g} uohm cm" in result.stdout
        assert f["/sinter/target/time_s"][()] == twin.target.time_s
        # The stored samples are the ones the summary's sample P99 came from (both type-7
        # quantiles), so they were drawn from the same seed.
        samples = f["/sinter/statistics/sample_time_s"][...]
        assert samples.shape == (10000,)
        assert np.quantile(samples, 0.99) == pytest.approx(
            f["/sinter/statistics/sample_p99_s"][()], rel=1e-12)
        assert f["/sinter/statistics/sample_p99_s"][()] == twin.statistics.sample_p99_s
        # The twin's neck is the file's; the ratio only grows under a ramp-and-hold history.
        x_over_a = f["/sinter/neck/x_over_a"][...]
        np.testing.assert_array_equal(x_over_a, twin.neck["x_over_a"])
        assert np.all(np.diff(x_over_a) >= 0)
        assert list(f["/sinter/mechanisms/B_m_pow_m_per_s"][...]) == \
            [m["B"] for m in twin.mechanisms]
        assert "ramp" in text_attribute(f, "case")


def test_sinter_bad_input_leaves_no_file(psw_program, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sinter:\n  material: Ag\n  particle_diameter_nm: -50\n"
                   "  temperature: {constant_K: 600}\n")
    assert_bad_input_leaves_nothing(psw_program, "sinter", bad, tmp_path,
                                    "sinter.particle_diameter_nm = -50")


# ---- stage ----------------------------------------------------------------------------------

def test_stage_step_file_holds_the_twins_traces_and_the_printed_metrics(psw_program, data_dir,
                                                                       tmp_path):
    case = data_dir / "stages" / "cases" / "step_fast.yaml"
    out = tmp_path / "step.h5"
    result = run(psw_program, "stage", str(case), "-o", str(out))
    assert result.returncode == 0, result.stderr
    twin = psw.stage.run(case)
    with h5py.File(out, "r") as f:
        # Seeded sensor noise: the twin's traces, to the bit.
        np.testing.assert_array_equal(f["/stage/step/position_m"][...], twin.step.position_m)
        np.testing.assert_array_equal(f["/stage/step/time_s"][...], twin.step.time_s)
        err = f["/stage/step/final_error_m"][()]
        assert f"final error   {err * 1e9:.4g} nm" in result.stdout
        assert text_attribute(f["/stage"], "analysis") == "step"
        # The case names its stage by path; the stage file's own figures are kept beside it.
        assert "fast_10um.yaml" in text_attribute(f, "case")
        assert "effective_mass_g" in text_attribute(f, "stage_file")


def test_stage_bode_and_moves_files_match_the_printed_figures(psw_program, data_dir, tmp_path):
    bode_out = tmp_path / "bode.h5"
    case = data_dir / "stages" / "cases" / "bode_fast.yaml"
    result = run(psw_program, "stage", str(case), "-o", str(bode_out))
    assert result.returncode == 0, result.stderr
    with h5py.File(bode_out, "r") as f:
        # The case asks for 200 points; the printed bandwidth is the file's.
        assert f["/stage/bode/frequency_Hz"].shape == (200,)
        bw = f["/stage/bode/bandwidth_Hz"][()]
        assert f"closed-loop -3 dB        {bw:.4g} Hz" in result.stdout
    moves_out = tmp_path / "moves.h5"
    case = data_dir / "stages" / "cases" / "moves_xy100.yaml"
    result = run(psw_program, "stage", str(case), "-o", str(moves_out))
    assert result.returncode == 0, result.stderr
    twin = psw.stage.run(case)
    with h5py.File(moves_out, "r") as f:
        # Three targets on the two-axis XY stage: a 3 × 2 table, as the twin's records.
        target = f["/stage/moves/target_m"][...]
        assert target.shape == (3, 2)
        np.testing.assert_array_equal(target, [m.target_m for m in twin.moves])
        np.testing.assert_array_equal(f["/stage/moves/error_m"][...],
                                      [m.error_m for m in twin.moves])


def test_stage_bad_input_leaves_no_file(psw_program, data_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"stage: {data_dir / 'stages' / 'fast_10um.yaml'}\n"
                   "step: {axis: q, start_um: 2, size_um: 1}\n")
    assert_bad_input_leaves_nothing(psw_program, "stage", bad, tmp_path,
                                    "axis 'q' is not one of this stage's axes (x, y, z)")


# ---- schedule -------------------------------------------------------------------------------

def test_schedule_file_holds_every_lot_and_the_printed_quantiles(psw_program, tmp_path):
    out = tmp_path / "schedule.h5"
    result = run(psw_program, "schedule", "--lots", "40", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = {}
    for line in result.stdout.splitlines():
        fields = line.split()
        if fields and fields[0] in psw.scheduling.policy_names():
            rows[fields[0]] = fields
    twins = {s.policy: s for s in psw.scheduling.schedule(lots=40)}
    with h5py.File(out, "r") as f:
        assert set(f["/schedule"].keys()) == set(rows)
        for name, fields in rows.items():
            g = f["/schedule"][name]
            makespan, aborted = g["makespan_s"][...], g["aborted"][...]
            assert makespan.shape == (40,)
            # Same lots, same seeds: the twin's makespans, to the bit.
            np.testing.assert_array_equal(makespan, twins[name].makespans_s)
            # P99 is a type-7 quantile over the lots that were not aborted.
            p99 = g["makespan_p99_s"][()]
            completed = makespan[aborted == 0]
            if completed.size:
                assert p99 == pytest.approx(np.quantile(completed, 0.99), rel=1e-12)
            # The table prints P50, P90, P99 (columns 2-4) with no decimals; abort count col 7.
            assert fields[3] == f"{p99:.0f}"
            assert int(fields[6]) == int(aborted.sum()) == g["aborted_lots"][()]
        assert "buffer_fraction" in text_attribute(f, "case")


def test_schedule_bad_input_leaves_no_file(psw_program, tmp_path):
    bad = tmp_path / "bad.yaml"
    text = psw.scheduling.default_scenario_yaml()
    bad.write_text(text + "\nfavourite_policy: fifo_abort\n")
    assert_bad_input_leaves_nothing(psw_program, "schedule", bad, tmp_path,
                                    "unknown key 'favourite_policy'")


# ---- psw info -------------------------------------------------------------------------------

def test_info_lists_what_a_results_file_holds(psw_program, data_dir, tmp_path):
    case = data_dir / "sintering" / "cases" / "ag_laser_ramp.yaml"
    out = tmp_path / "sinter.h5"
    assert run(psw_program, "sinter", str(case), "-o", str(out)).returncode == 0
    result = run(psw_program, "info", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    with h5py.File(out, "r") as f:
        names = []
        f.visititems(lambda name, obj: names.append(name)
                     if isinstance(obj, h5py.Dataset) else None)
        # One line per dataset, as h5py counts them, with its shape.
        assert f"datasets ({len(names)}):" in lines
        assert "  /sinter/resistivity_ohm_m [201]" in lines
        assert "  /sinter/statistics/sample_time_s [10000]" in lines
        # Scalars show their value; root attributes theirs; the case is summarised.
        t = f["/sinter/target/time_s"][()]
        assert f"  /sinter/target/time_s [] = {t:.10g}" in lines
        assert f"  psw_version = {text_attribute(f, 'psw_version')}" in lines
        assert any(line.startswith("  case = (") and "--attribute case" in line
                   for line in lines)
        assert "  /sinter/target @status = reached" in lines
        case_text = text_attribute(f, "case")
    # --attribute prints the stored text itself, so the case can be run again.
    result = run(psw_program, "info", str(out), "--attribute", "case")
    assert result.returncode == 0
    assert result.stdout.rstrip("\n") == case_text.rstrip("\n")


def test_info_reads_files_written_elsewhere_and_rejects_what_is_not_one(psw_program, tmp_path):
    # h5py writes variable-length strings, a form psw itself does not write.
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["note"] = "written by h5py"
        f["/a/b_m"] = np.arange(6.0).reshape(2, 3)
    result = run(psw_program, "info", str(other))
    assert result.returncode == 0, result.stderr
    assert "  note = written by h5py" in result.stdout.splitlines()
    assert "  /a/b_m [2 x 3]" in result.stdout.splitlines()
    missing = tmp_path / "missing.h5"
    result = run(psw_program, "info", str(missing))
    assert result.returncode == 2
    assert result.stderr == f"psw: error: info: no results file '{missing}'\n"
    text = tmp_path / "text.h5"
    text.write_text("not hdf5\n")
    result = run(psw_program, "info", str(text))
    assert result.returncode == 2
    assert result.stderr == f"psw: error: info: '{text}' is not an HDF5 file\n"
    result = run(psw_program, "info", str(other), "--attribute", "case")
    assert result.returncode == 2
    assert "has no root attribute 'case'; it has: note" in result.stderr
