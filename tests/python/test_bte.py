"""psw.thermal.run_bte and `psw bte`: the issue's case, its results file, bad input."""

import subprocess

import numpy as np
import pytest

import psw

CASE = {"bte": {
    "slab": {"thickness_nm": 100, "cells": 400},
    "phonons": {"mean_free_path_nm": 100, "group_velocity_m_per_s": 5000,
                "heat_capacity_J_per_m3K": 1.6e6},
    "walls": {"hot_K": 301, "cold_K": 300},
    "ordinates": 32,
}}

# Exact gray slab at Kn = 1 (Heaslet & Warming; the Nyström reference of
# tests/thermal/phonon_bte_test.cpp): q/q_Fourier = 0.415054. S32 lands within 0.1 %.
EXACT_KN1 = 0.415054


def test_run_bte_returns_the_file_names_as_attributes():
    r = psw.thermal.run_bte(CASE)
    assert r.status == "converged"
    assert r.x_m.shape == (400,) and r.T_K.shape == (400,) and r.q_W_per_m2.shape == (400,)
    assert r.flux_ratio == pytest.approx(EXACT_KN1, rel=1e-3)
    # Steady state: the flux is the same in every cell (energy conservation).
    assert np.ptp(r.q_W_per_m2) < 1e-6 * r.flux_W_per_m2
    # k = C·v·Λ/3 = 1.6e6 · 5000 · 1e-7 / 3 = 266.67 W/(m·K); q_Fourier = k · 1 K / 100 nm.
    assert r.fourier_flux_W_per_m2 == pytest.approx(1.6e6 * 5000 * 1e-7 / 3 / 1e-7, rel=1e-12)


def test_knudsen_conductivity():
    # 1/(1 + 4/3) at Λ = L.
    assert psw.thermal.knudsen_conductivity(7.0, 1e-7, 1e-7) == pytest.approx(3.0)


def test_bad_input_names_the_key():
    bad = {"bte": dict(CASE["bte"], ordinates=7)}
    with pytest.raises(ValueError, match="bte.ordinates = 7 must be even"):
        psw.thermal.run_bte(bad)


def test_cli_writes_the_results_file(psw_program, data_dir, tmp_path):
    out = tmp_path / "bte.h5"
    result = subprocess.run([str(psw_program), "bte", str(data_dir / "cases/bte_slab_100nm.yaml"),
                             "-o", str(out)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "q/q_Fourier" in result.stdout
    h5py = pytest.importorskip("h5py")
    with h5py.File(out, "r") as f:
        assert f["/bte/x_m"].shape == (400,)
        assert f["/bte/T_K"].shape == (400,)
        assert f["/bte/q_W_per_m2"].shape == (400,)
        assert f["/bte/flux_ratio"][()] == pytest.approx(EXACT_KN1, rel=1e-3)


TRANSIENT = """bte:
  slab: {thickness_nm: 100, cells: 100}
  phonons: {mean_free_path_nm: 100, group_velocity_m_per_s: 5000, heat_capacity_J_per_m3K: 1.6e6}
  walls: {hot_K: 301, cold_K: 300}
  ordinates: 16
  transient: {initial_K: 300, time_step_ps: 10, steps: 200}
"""


def test_transient_slab_from_the_cli_and_python(psw_program, tmp_path):
    # Kn = 1: ballistic time L/v = 20 ps, diffusive time L²/α = 60 ps (α = vΛ/3), so 2 ns is
    # many of both: the profile must have settled onto the steady solution of the same slab
    # (solved separately), and every step must conserve energy: stored = net wall input.
    case = tmp_path / "transient.yaml"
    case.write_text(TRANSIENT)
    out = tmp_path / "transient.h5"
    run = subprocess.run([psw_program, "bte", case, "-o", out], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "(transient)" in run.stdout
    r = psw.thermal.run_bte(case)
    assert r.T_K.shape == (201, 100) and r.time_s[-1] == pytest.approx(2e-9, rel=1e-12)
    steady = psw.thermal.run_bte(steady_case(tmp_path))
    assert np.max(np.abs(r.T_K[-1] - steady.T_K)) < 1e-6
    imbalance = np.max(np.abs(r.stored_J_per_m2 - r.wall_input_J_per_m2))
    assert imbalance < 1e-6 * np.max(np.abs(r.wall_input_J_per_m2))
    # The program and the Python twin give the same numbers.
    h5py = pytest.importorskip("h5py")
    with h5py.File(out, "r") as f:
        assert np.array_equal(f["/bte/T_K"][...], r.T_K)
        assert f["/bte/energy_imbalance"][()] < 1e-6
    # Bad input names the key.
    with pytest.raises(ValueError, match="bte.transient.steps"):
        psw.thermal.run_bte({"bte": {**base_section(), "transient": {
            "initial_K": 300, "time_step_ps": 10, "steps": 0}}})


def steady_case(tmp_path):
    path = tmp_path / "steady.yaml"
    path.write_text(TRANSIENT.split("  transient:")[0])
    return path


def base_section():
    return {"slab": {"thickness_nm": 100, "cells": 100},
            "phonons": {"mean_free_path_nm": 100, "group_velocity_m_per_s": 5000,
                        "heat_capacity_J_per_m3K": 1.6e6},
            "walls": {"hot_K": 301, "cold_K": 300}, "ordinates": 16}
