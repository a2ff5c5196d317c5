"""psw.thermal from Python: the dict form of a case, arrays without copies, errors, the CLI."""

import subprocess

import numpy as np
import pytest

import psw

GOLD = {"ttm": {
    "layers": [{"material": "Au", "thickness_nm": 100, "cells": 100}],
    "overrides": {"Au": {"gamma_J_per_m3K2": 70, "lattice_heat_capacity_J_per_m3K": 2.5e6,
                         "coupling_W_per_m3K": 2.6e16, "k0_W_per_mK": 315,
                         "lattice_conductivity_W_per_mK": 0}},
    "source": {"fluence_J_per_m2": 13.4, "pulse_fwhm_fs": 96, "reflectivity": 0.93,
               "penetration_depth_nm": 15.3},
    "time": {"start_fs": -300, "end_ps": 2, "output_every_fs": 10},
}}


def test_run_ttm_from_a_dict_returns_arrays_and_conserves_energy():
    r = psw.thermal.run_ttm(GOLD)
    assert r["ok"], r["message"]
    assert r["Te_K"].shape == (len(r["time_s"]), 100)
    # The arrays own their memory through a capsule (no copy was made on the way out).
    assert r["Te_K"].flags["OWNDATA"] is False
    e = r["energy"]
    stored = e["electrons_J_per_m2"][-1] + e["lattice_J_per_m2"][-1]
    # Adiabatic film: absorbed energy equals the stored energy to the solver tolerance.
    assert stored == pytest.approx(e["absorbed_J_per_m2"][-1], rel=1e-3)
    # The electrons heat first: the front Te peaks above the lattice.
    assert r["Te_max_K"] > r["Tl_max_K"] > 300


def test_bad_keys_raise_value_error_naming_the_key():
    case = {"ttm": dict(GOLD["ttm"], source=dict(GOLD["ttm"]["source"], reflectivity=1.5))}
    with pytest.raises(ValueError, match=r"ttm\.source\.reflectivity = 1\.5 is outside \[0, 1\)"):
        psw.thermal.run_ttm(case)


def test_cli_writes_the_results_file(psw_program, data_dir, tmp_path):
    out = tmp_path / "gold.h5"
    result = subprocess.run([str(psw_program), "ttm", str(data_dir / "cases/qiu_tien_gold_100nm.yaml"),
                             "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "imbalance" in result.stdout
    h5py = pytest.importorskip("h5py")
    with h5py.File(out, "r") as f:
        te = f["/thermal/Te_K"][...]
        assert te.shape == (2651, 400)
        assert f["/thermal/time_s"][0] == pytest.approx(-300e-15)
        # Fixed-length HDF5 strings come back from h5py as bytes.
        assert b"layers" in f.attrs["case"]
        assert f.attrs["psw_version"].decode() == psw.__version__
        np.testing.assert_allclose(f["/thermal/energy/relative_imbalance"][()], 0, atol=1e-3)


def test_cli_writes_vtk_fields_that_match_the_hdf5_results(psw_program, tmp_path):
    case = tmp_path / "spot.yaml"
    case.write_text("""ttm:
  layers:
    - {material: Cu, thickness_nm: 300, cells: 12, first_cell_nm: 4}
    - {material: polyimide, thickness_nm: 300, cells: 4}
  geometry: {kind: axisymmetric, radius_um: 2, cells_r: 10, spot_radius_um: 1}
  source: {fluence_J_per_m2: 200, pulse_fwhm_fs: 300, reflectivity: 0.6, penetration_depth_nm: 13}
  time: {start_fs: -1500, end_ps: 100, output_every_ps: 25}
""")
    out, vtk = tmp_path / "spot.h5", tmp_path / "vtk"
    result = subprocess.run([str(psw_program), "ttm", str(case), "-o", str(out), "--vtk", str(vtk)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    files = sorted(vtk.glob("ttm_*.vtr"))
    pvd = (vtk / "ttm.pvd").read_text()
    # Outputs at −1.5, 23.5, 48.5, 73.5 and 98.5 ps.
    assert len(files) == 5 and pvd.count("<DataSet") == 5
    # The last file's Tl_max_K range (VTK writes RangeMax in the XML header) is the running
    # maximum over the output times, so it equals the largest Tl of the HDF5 fields: the same
    # run through two writers. The HAZ maximum also sees the steps between outputs: never less.
    import re
    header = files[-1].read_text(errors="ignore")[:4000]
    assert 'WholeExtent="0 10 0 1 0 16"' in header
    vtk_max = float(re.search(r'Name="Tl_max_K"[^>]*RangeMax="([0-9.eE+-]+)"', header).group(1))
    h5py = pytest.importorskip("h5py")
    with h5py.File(out, "r") as f:
        assert f["/thermal/Tl_K"].shape == (5, 10, 1, 16)
        h5_max = float(f["/thermal/Tl_K"][...].max())
        haz_max = float(f["/thermal/haz/lattice_max_K"][...].max())
    assert vtk_max == pytest.approx(h5_max, rel=1e-9)
    assert haz_max >= h5_max


def test_vtk_needs_a_2d_or_3d_geometry(psw_program, data_dir, tmp_path):
    result = subprocess.run([str(psw_program), "ttm", str(data_dir / "cases/qiu_tien_gold_100nm.yaml"),
                             "--vtk", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "--vtk needs a 2-D or 3-D geometry" in result.stderr
