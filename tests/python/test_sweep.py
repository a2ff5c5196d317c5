"""Sweeps from the program and from Python: single runs reproduced exactly, a peer's Sobol
points, a kill and a resume, MPI ranks against threads, and bad sweep files."""

import os
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

import psw

GOLD = "data/cases/qiu_tien_gold_100nm.yaml"


def write_sweep(path, case, parameters, extra=""):
    path.write_text(
        "sweep:\n"
        f"  case: {case}\n"
        "  parameters:\n" + parameters +
        "  outputs: [thermal.Te_max_K, thermal.Tl_max_K, thermal.haz.extent_m]\n" + extra)
    return path


def outputs(path):
    with h5py.File(path, "r") as f:
        return {k: f["sweep/outputs"][k][()] for k in f["sweep/outputs"]}


def test_a_fluence_sweep_reproduces_single_psw_ttm_runs_bit_for_bit(psw_program, data_dir, tmp_path):
    # The gold film of Qiu & Tien (1993) swept over fluence, then each fluence run alone with
    # `psw ttm` from a case file holding that number: the same doubles, bit for bit.
    fluences = [5, 10, 13.4]
    sweep = write_sweep(tmp_path / "sweep.yaml", data_dir / "cases/qiu_tien_gold_100nm.yaml",
                        f"    - {{key: ttm.source.fluence_J_per_m2, values: {fluences}}}\n")
    subprocess.run([psw_program, "sweep", sweep, "-o", tmp_path / "sweep.h5", "--threads", "2"],
                   check=True, capture_output=True)
    swept = outputs(tmp_path / "sweep.h5")
    base = (data_dir / "cases/qiu_tien_gold_100nm.yaml").read_text()
    for i, fluence in enumerate(fluences):
        case = tmp_path / f"single{i}.yaml"
        case.write_text(base.replace("fluence_J_per_m2: 13.4", f"fluence_J_per_m2: {fluence}"))
        subprocess.run([psw_program, "ttm", case, "-o", tmp_path / f"single{i}.h5"], check=True,
                       capture_output=True)
        with h5py.File(tmp_path / f"single{i}.h5", "r") as f:
            for name in ("Te_max_K", "Tl_max_K", "haz/extent_m"):
                single = f["thermal/" + name][()]
                assert swept["thermal." + name.replace("/", ".")][i].tobytes() == \
                    np.float64(single).tobytes()


def test_unshifted_sobol_points_equal_scipy(tmp_path):
    # SciPy's unscrambled Sobol generator uses the same Joe-Kuo direction numbers and Gray-code
    # order, so the first 256 points in 16 dimensions must agree exactly.
    qmc = pytest.importorskip("scipy.stats.qmc")
    ours = psw.sweep.sobol(256, 16)
    theirs = qmc.Sobol(d=16, scramble=False).random(256)
    assert np.array_equal(ours, theirs)


def test_python_run_and_load_with_a_dict(data_dir, tmp_path):
    spec = {"sweep": {
        "case": str(data_dir / "cases/qiu_tien_gold_100nm.yaml"),
        "design": "latin_hypercube", "points": 4, "seed": 11,
        "parameters": [{"key": "ttm.source.fluence_J_per_m2", "from": 5, "to": 15}],
        "outputs": ["thermal.Te_max_K"]}}
    seen = []
    summary = psw.sweep.run(spec, tmp_path / "lhs.h5", threads=2, progress=seen.append)
    assert summary["complete"] and summary["computed"] == 4 and summary["model"] == "ttm"
    assert seen[-1]["done"] == 4 and seen[-1]["total"] == 4
    r = psw.sweep.load(tmp_path / "lhs.h5")
    fluence = r.parameters["ttm.source.fluence_J_per_m2"]
    # One point in each quarter of [5, 15] (a Latin hypercube), and Te_max rises with fluence.
    assert sorted(np.floor((fluence - 5) / 2.5).astype(int)) == [0, 1, 2, 3]
    order = np.argsort(fluence)
    assert np.all(np.diff(r.outputs["thermal.Te_max_K"][order]) > 0)
    assert r.ok.all() and len(r) == 4
    with pytest.raises(ValueError, match="thermal.nothing"):
        psw.sweep.run({"sweep": {**spec["sweep"], "outputs": ["thermal.nothing"]}},
                      tmp_path / "bad.h5")


def test_kill_9_then_resume_loses_nothing_and_repeats_nothing(psw_program, data_dir, tmp_path):
    sweep = write_sweep(tmp_path / "sweep.yaml", data_dir / "cases/qiu_tien_gold_100nm.yaml",
                        "    - {key: ttm.source.fluence_J_per_m2, from: 2, to: 20, count: 40}\n")
    out = tmp_path / "killed.h5"
    journal = tmp_path / "killed.h5.journal"
    proc = subprocess.Popen([psw_program, "--log-level", "warn", "sweep", sweep, "-o", out,
                             "--threads", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= 6:  # header + 5 points
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    lines = journal.read_text().split("\n")
    finished = sum(1 for line in lines[1:-1] if line)  # whole records only
    assert 5 <= finished < 40

    resumed = subprocess.run([psw_program, "--log-level", "warn", "sweep", sweep, "-o", out,
                              "--resume"], check=True, capture_output=True, text=True)
    # Everything in the journal is kept; only the rest is computed.
    assert f"({40 - finished} computed now, {finished} from the journal)" in resumed.stdout
    assert not journal.exists()

    subprocess.run([psw_program, "sweep", sweep, "-o", tmp_path / "whole.h5"], check=True,
                   capture_output=True)
    a, b = outputs(out), outputs(tmp_path / "whole.h5")
    for name in a:
        assert a[name].tobytes() == b[name].tobytes()


def mpirun_command():
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        pytest.skip("mpirun (openmpi-bin) is not installed")
    command = [mpirun, "--oversubscribe", "-n", "2"]
    if os.geteuid() == 0:
        command.insert(1, "--allow-run-as-root")
    return command


def test_mpirun_two_ranks_equals_one_process(psw_program, data_dir, tmp_path):
    sweep = write_sweep(tmp_path / "sweep.yaml", data_dir / "cases/qiu_tien_gold_100nm.yaml",
                        "    - {key: ttm.source.fluence_J_per_m2, from: 2, to: 20, count: 5}\n"
                        "    - {key: ttm.source.pulse_fwhm_fs, values: [96, 300]}\n")
    run = subprocess.run(mpirun_command() + [str(psw_program), "--log-level", "warn", "sweep",
                                             str(sweep), "-o", str(tmp_path / "mpi.h5")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "sweep ran on 2 MPI ranks" in run.stdout
    subprocess.run([psw_program, "sweep", sweep, "-o", tmp_path / "single.h5", "--threads", "1"],
                   check=True, capture_output=True)
    a, b = outputs(tmp_path / "mpi.h5"), outputs(tmp_path / "single.h5")
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].tobytes() == b[name].tobytes()


@pytest.mark.parametrize("parameters, extra, message", [
    ("    - {key: ttm.source.fluence_J_per_cm2, values: [1, 2]}\n", "",
     "ttm.source.fluence_J_per_cm2"),
    ("    - {key: ttm.source.fluence_J_per_m2, values: []}\n", "",
     "ttm.source.fluence_J_per_m2: `values` is empty"),
    ("    - {key: ttm.source.fluence_J_per_m2, from: 3, to: 3}\n", "",
     "ttm.source.fluence_J_per_m2: the range [3, 3] is empty"),
    ("    - {key: ttm.source.fluence_J_per_m2, from: 3, to: 9}\n",
     "  design: sobol\n  points: 0\n", "zero points"),
])
def test_bad_sweep_files_exit_2_naming_the_key(psw_program, data_dir, tmp_path, parameters,
                                               extra, message):
    sweep = write_sweep(tmp_path / "bad.yaml", data_dir / "cases/qiu_tien_gold_100nm.yaml",
                        parameters, extra)
    run = subprocess.run([psw_program, "sweep", sweep, "-o", tmp_path / "bad.h5"],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "bad.h5.journal").exists()
