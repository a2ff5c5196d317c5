"""The `psw` program: exit codes, one-line errors, and the Python twin of `psw run`."""

import subprocess

import psw


def run(program, *args):
    return subprocess.run([str(program), *args], capture_output=True, text=True, timeout=60)


def test_version_lists_the_dependencies(psw_program):
    result = run(psw_program, "--version")
    assert result.returncode == 0
    assert result.stdout.startswith(f"psw {psw.__version__}")
    for name in ("Eigen", "SUNDIALS", "HDF5", "yaml-cpp", "spdlog"):
        assert f"\n  {name} " in result.stdout


def test_run_without_a_file_runs_the_demo_and_says_what_it_did(psw_program):
    result = run(psw_program, "run")
    assert result.returncode == 0, result.stderr
    assert "demo-rdl-repair" in result.stdout
    assert "total fill volume 46.000 um^3" in result.stdout
    assert "not simulated" in result.stdout


def test_bad_input_exits_2_with_one_line_and_no_trace(psw_program, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("job:\n  name: x\n  sites:\n    - {id: A, x_um: 0, y_um: 0, gap_um: 500}\n")
    result = run(psw_program, "run", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == f"psw: error: {bad}:4:41: job.sites[0].gap_um = 500 is outside (0, 100]"


def test_unknown_subcommands_and_log_levels_exit_2(psw_program):
    assert run(psw_program, "frobnicate").returncode == 2
    result = run(psw_program, "--log-level", "loud", "run")
    assert result.returncode == 2
    assert "log level 'loud'" in result.stderr


def test_python_run_matches_the_cli_demo():
    summary = psw.run()
    assert summary.sites == 4
    # 11.5 µm of gaps in a 2 µm × 2 µm line.
    assert abs(summary.total_fill_volume_m3 - 46e-18) < 1e-27
    assert summary.simulated is False
