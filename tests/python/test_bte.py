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


def fourier_2d(x_faces, y_faces, k, q, walls):
    """An independent finite-volume Fourier solution on the same cells (SciPy sparse): black
    walls held at their temperature through a half cell, mirror walls adiabatic."""
    sparse = pytest.importorskip("scipy.sparse")
    linalg = pytest.importorskip("scipy.sparse.linalg")
    nx, ny = len(x_faces) - 1, len(y_faces) - 1
    dx, dy = np.diff(x_faces)[0], np.diff(y_faces)[0]
    rows, cols, vals = [], [], []
    b = q.reshape(-1) * dx * dy
    for j in range(ny):
        for i in range(nx):
            c = j * nx + i
            for di, dj, wall, g in ((-1, 0, "left", dy / dx), (1, 0, "right", dy / dx),
                                    (0, -1, "bottom", dx / dy), (0, 1, "top", dx / dy)):
                ii, jj = i + di, j + dj
                if 0 <= ii < nx and 0 <= jj < ny:
                    rows += [c, c]
                    cols += [c, jj * nx + ii]
                    vals += [k * g, -k * g]
                elif walls[wall] != "mirror":
                    rows.append(c)
                    cols.append(c)
                    vals.append(2 * k * g)
                    b[c] += 2 * k * g * walls[wall]
    A = sparse.csr_matrix((vals, (rows, cols)), shape=(nx * ny, nx * ny))
    return linalg.spsolve(A, b).reshape(ny, nx)


def test_2d_film_hot_spot_from_the_cli_and_python(psw_program, data_dir, tmp_path):
    case = data_dir / "cases/bte_2d_film_hot_spot.yaml"
    out, vtk = tmp_path / "film.h5", tmp_path / "vtk"
    run = subprocess.run([psw_program, "bte", case, "-o", out, "--vtk", vtk],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "bte_2d" in run.stdout
    r = psw.thermal.run_bte_2d(case)
    assert r.status == "converged"
    assert r.T_K.shape == (20, 80)
    # Energy: the source, 1e17 W/m³ over 60 × 20 nm², leaves through the three black walls.
    assert r.source_W_per_m == pytest.approx(1e17 * 60e-9 * 20e-9, rel=1e-12)
    assert sum(r.wall_out_W_per_m.values()) == pytest.approx(r.source_W_per_m, rel=1e-6)
    assert abs(r.wall_out_W_per_m["top"]) < 1e-6 * r.source_W_per_m
    # Mirror symmetry about the strip's centre line x = 200 nm.
    assert np.max(np.abs(r.T_K - r.T_K[:, ::-1])) < 1e-8 * np.ptp(r.T_K)
    # Ballistic transport out of a 20 nm deep strip (Kn = 2 on its depth) is slower than
    # Fourier's law with the same bulk k = C·v·Λ/3 predicts: the BTE's peak rise is higher,
    # and it stays within a factor of a few of it.
    k = 1.6e6 * 5000 * 40e-9 / 3
    q = np.zeros((20, 80))
    q[16:20, 34:46] = 1e17
    walls = {"left": 300.0, "right": 300.0, "bottom": 300.0, "top": "mirror"}
    fourier = fourier_2d(np.linspace(0, 400e-9, 81), np.linspace(0, 100e-9, 21), k, q, walls)
    bte_rise, fourier_rise = r.T_K.max() - 300, fourier.max() - 300
    assert 1.2 * fourier_rise < bte_rise < 5 * fourier_rise
    # The program's file holds the same field, and the VTK file opens with the same maximum.
    h5py = pytest.importorskip("h5py")
    with h5py.File(out, "r") as f:
        assert np.array_equal(f["/bte_2d/T_K"][...], r.T_K)
    assert (vtk / "bte_2d.vtr").is_file()


def test_2d_diffusive_limit_approaches_fourier():
    # A 40 nm hot spot in a 200 nm box with all walls black at 300 K. As Λ shrinks the BTE
    # tends to Fourier's law with k = C·v·Λ/3 (the peak rise grows like 1/Λ in both); the
    # ballistic excess of the BTE's peak must shrink with it: measured 7.4 % at Λ = 10 nm
    # (Kn = 0.05 on the box, 0.25 on the spot) and 2.0 % at Λ = 4 nm.
    def excess(mfp_nm, cells):
        section = {"box": {"width_nm": 200, "height_nm": 200, "cells_x": cells,
                           "cells_y": cells},
                   "phonons": {"mean_free_path_nm": mfp_nm, "group_velocity_m_per_s": 5000,
                               "heat_capacity_J_per_m3K": 1.6e6},
                   "walls": {w: {"T_K": 300} for w in ("left", "right", "bottom", "top")},
                   "heat": [{"x_nm": [80, 120], "y_nm": [80, 120], "power_W_per_m3": 1e17}],
                   "polar": 4, "azimuths": 12, "tolerance": 1e-9}
        r = psw.thermal.run_bte_2d({"bte_2d": section})
        assert r.status == "converged", r.message
        assert r.iterations < 40, r.message  # GMRES with the DSA: cells no thicker than Λ
        k = 1.6e6 * 5000 * mfp_nm * 1e-9 / 3
        q = np.zeros((cells, cells))
        lo, hi = cells * 2 // 5, cells * 3 // 5
        q[lo:hi, lo:hi] = 1e17
        walls = {w: 300.0 for w in ("left", "right", "bottom", "top")}
        faces = np.linspace(0, 200e-9, cells + 1)
        fourier = fourier_2d(faces, faces, k, q, walls)
        return (r.T_K.max() - 300) / (fourier.max() - 300) - 1

    coarse, fine = excess(10, 40), excess(4, 80)
    assert 0 < fine < coarse / 2
    assert fine < 0.03


def test_2d_bad_input_names_the_key():
    section = {"box": {"width_nm": 100, "height_nm": 100, "cells_x": 10, "cells_y": 10},
               "phonons": {"mean_free_path_nm": 10, "group_velocity_m_per_s": 5000,
                           "heat_capacity_J_per_m3K": 1.6e6},
               "walls": {"left": {"T_K": 300}, "right": "mirror", "bottom": "mirrror",
                         "top": {"T_K": 300}}}
    with pytest.raises(ValueError, match="walls.bottom"):
        psw.thermal.run_bte_2d({"bte_2d": section})


def test_2d_line_beside_a_via(data_dir):
    # The via (a sink at 300 K) takes heat from the line's near side: energy closes with the
    # sink's share, and the via side of the line is cooler than the far side at equal distance.
    r = psw.thermal.run_bte_2d(data_dir / "cases/bte_2d_line_beside_via.yaml")
    assert r.status == "converged", r.message
    assert r.iterations < 40, r.message  # GMRES with the DSA, cells of half a mean free path
    out = sum(r.wall_out_W_per_m.values()) + r.sink_in_W_per_m
    assert out == pytest.approx(r.source_W_per_m, rel=1e-6)
    assert r.sink_in_W_per_m > 0.2 * r.source_W_per_m
    # 5 nm cells: the line spans columns 12-19, the via 24-29; row 36 is y = 182.5 nm.
    assert r.T_K[36, 22] < r.T_K[36, 9]
    assert np.all(r.T_K[:, 24:30] == 300.0)
