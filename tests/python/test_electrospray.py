"""The Python surface of psw.electrospray and the `psw electrospray` program."""

import subprocess

import numpy as np
import pytest

import psw
from psw import electrospray as es

CASE = {"electrospray": {
    "ink": "ag-np-eg",
    "emitter": {"shape": "hyperboloid", "radius_um": 5, "gap_um": 200},
    "voltage_V": 600,
    "flow_rate_pL_per_s": 2000,
    "monte_carlo": {"droplets": 300, "seed": 11},
    "defect": {"length_um": 3, "width_um": 2, "height_um": 2},
}}


def test_inks_load_by_name_dict_and_name_the_known_ones_when_unknown():
    assert "ag-np-eg" in es.builtin_ink_names()
    water = es.load_ink("water")
    assert water.surface_tension_N_per_m == pytest.approx(0.07197, rel=1e-14)
    assert "IAPWS" in water.sources["surface_tension_mN_per_m"]
    ag = es.load_ink("ag-np-eg")
    # Volume-averaged density of 5 vol% Ag in glycol: 0.05·10490 + 0.95·1110 = 1579 kg/m³.
    assert ag.density_kg_per_m3 == pytest.approx(1579.0, rel=1e-14)
    assert ag.nanoparticles.material == "Ag"
    with pytest.raises(ValueError, match=r"unknown ink 'gold'; known inks: ag-np-eg, cu-np-eg"):
        es.load_ink("gold")
    with pytest.raises(ValueError, match=r"ink\.conductivity_S_per_m = -1 is outside \(0, 100\]"):
        es.load_ink({"name": "x", "carrier": "ethylene-glycol", "conductivity_S_per_m": -1,
                     "sources": {"conductivity_S_per_m": "test"}})


def test_window_and_scaling_identity_from_python():
    ink = es.load_ink("ag-np-eg")
    emitter = es.EmitterGeometry(radius_m=5e-6, gap_m=200e-6)
    result = es.analyse_cone_jet(ink, emitter, 600.0, 2e-12, es.ScalingLaw.ganan_calvo)
    assert result.stable()
    assert result.reason == "stable cone-jet"
    # I₀(Q/Q₀)^½ = (γKQ)^½ and the Gañán-Calvo current is exactly that.
    s = es.reference_scales(ink)
    gkq = ink.surface_tension_N_per_m * ink.conductivity_S_per_m * 2e-12
    assert s.current_A * np.sqrt(2e-12 / s.flow_m3_per_s) == pytest.approx(np.sqrt(gkq), rel=1e-13)
    assert result.prediction.current_A == pytest.approx(np.sqrt(gkq), rel=1e-13)
    below = es.analyse_cone_jet(ink, emitter, 600.0, 1e-13)
    assert below.status == es.ConeJetStatus.below_minimum_flow
    assert below.reason.startswith("no stable cone-jet: flow 1e-13 m3/s is below the minimum")


def test_run_returns_landings_as_numpy_views_and_matches_the_summary():
    report = es.run(CASE)
    spray = report.spray
    assert spray.landed == 300
    x = spray.x_m
    assert isinstance(x, np.ndarray) and x.shape == (300,)
    assert np.all(spray.landed_mask)
    # The statistics in the report are those of the arrays.
    assert spray.mean_x_m == pytest.approx(x.mean(), rel=1e-12, abs=1e-18)
    assert spray.sigma_x_m == pytest.approx(x.std(ddof=1), rel=1e-12)
    assert 0.0 < report.deposition.captured_fraction <= 1.0
    text = es.summary(CASE, report)
    assert "status           stable cone-jet" in text
    assert "300 landed, 0 lost" in text


def run_program(program, *args):
    return subprocess.run([str(program), *args], capture_output=True, text=True, timeout=120)


def test_cli_prints_the_same_summary_and_the_reason_outside_the_window(psw_program, data_dir):
    case = data_dir / "electrospray" / "cases" / "ag_rdl_repair.yaml"
    result = run_program(psw_program, "electrospray", str(case))
    assert result.returncode == 0, result.stderr
    assert result.stdout == es.summary(str(case))
    heptane = data_dir / "electrospray" / "cases" / "heptane_no_cone_jet.yaml"
    result = run_program(psw_program, "electrospray", str(heptane))
    assert result.returncode == 0
    assert "status           no stable cone-jet: flow 1e-13 m3/s is below the minimum" in \
        result.stdout


def test_cli_bad_case_exits_2_with_one_line(psw_program, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("electrospray:\n  ink: water\n  emitter: {radius_um: 5, gap_um: 200}\n"
                   "  voltage_V: 900\n  flow_rate_pL_per_s: -3\n")
    result = run_program(psw_program, "electrospray", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"psw: error: {bad}:5:23: electrospray.flow_rate_pL_per_s = -3 is outside "
                     "(0, 1e+12]"]
