"""psw.inference from Python: image files, the synthetic generator, the rules and `psw synth`.

The C++ tests cover the generator's statistics; these cover the Python surface (arrays in and
out, keyword options, errors) and the command's files.
"""

import json
import subprocess

import numpy as np
import pytest

import psw
from psw import inference


def test_image_files_round_trip_arrays_and_pixel_size(tmp_path):
    rng = np.random.default_rng(3)
    for dtype, top in ((np.uint8, 255), (np.uint16, 65535)):
        for shape in ((20, 30), (20, 30, 3)):
            a = rng.integers(0, top + 1, size=shape, dtype=dtype)
            for ext in ("png", "tiff"):
                path = tmp_path / f"a.{ext}"
                inference.save_image(str(path), a, pixel_size_m=0.25e-6)
                b, p = inference.load_image(str(path))
                assert b.dtype == dtype and b.shape == shape
                np.testing.assert_array_equal(a, b)
                assert p == pytest.approx(0.25e-6, rel=1e-6)


def test_bad_files_and_arrays_raise_value_error_naming_them(tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_text("hello")
    with pytest.raises(ValueError, match="notes.png.*not a PNG"):
        inference.load_image(str(bad))
    with pytest.raises(ValueError, match="dtype float64"):
        inference.save_image(str(tmp_path / "f.png"), np.zeros((4, 4)))
    with pytest.raises(ValueError, match="2 channels"):
        inference.save_image(str(tmp_path / "f.png"), np.zeros((4, 4, 2), dtype=np.uint8))


def test_synthesize_is_reproducible_per_index_and_labels_follow_the_rules():
    a = inference.synthesize(6, seed=11)
    b = inference.synthesize(2, seed=11, start=4)  # indices 4 and 5 on their own
    for x, y in zip(a[4:], b):
        np.testing.assert_array_equal(x["image"], y["image"])
        assert x["truth"] == y["truth"]
    c = inference.synthesize(1, seed=12, start=4)[0]
    assert not np.array_equal(c["image"], a[4]["image"])

    for s in a:
        t = s["truth"]
        assert s["image"].dtype == np.uint8 and s["image"].shape == (128, 128)
        assert s["mask"].shape == (128, 128)
        assert s["label"] in ("Repairable", "Scrap")
        via = t["via_distance_m"] if t["via_distance_m"] is not None else float("inf")
        label, reasons, _ = inference.apply_rules(t["kind"], t["length_m"], via,
                                                  t["neighbour_distance_m"])
        assert (label, reasons) == (s["label"], s["reasons"])
        # The mask holds the defect: its area is the truth area within one pixel per pixel of
        # perimeter (see the C++ test for the bound).
        p = s["pixel_size_m"]
        area = np.count_nonzero(s["mask"]) * p * p
        perimeter = 2 * (t["length_m"] + t["width_m"]) + np.pi * t["width_m"]
        assert abs(area - t["area_m2"]) <= perimeter * p


def test_synthesize_options_and_unknown_options():
    s = inference.synthesize(1, seed=2, size_px=64, bit_depth=16, colour=True, modality="sem",
                             kind_weights={"open": 1}, max_open_length_m=3e-6)[0]
    assert s["image"].shape == (64, 64, 3) and s["image"].dtype == np.uint16
    assert s["truth"]["kind"] == "open" and s["modality"] == "sem"
    assert s["label"] == ("Scrap" if s["truth"]["length_m"] > 3e-6 else "Repairable")
    with pytest.raises(ValueError, match="unknown option.*colur"):
        inference.synthesize(1, colur=True)
    with pytest.raises(ValueError, match="kind_weights.*crack|unknown defect kind 'crack'"):
        inference.synthesize(1, kind_weights={"crack": 1})


def test_psw_synth_writes_samples_that_load_back(psw_program, tmp_path):
    out = tmp_path / "set"
    r = subprocess.run([str(psw_program), "synth", "--count", "5", "-o", str(out), "--seed", "4",
                        "--size", "96"], capture_output=True, text=True, check=True)
    assert "5 samples" in r.stdout
    index = json.loads((out / "index.json").read_text())
    assert index["count"] == 5 and len(index["samples"]) == 5
    rows = (out / "manifest.csv").read_text().splitlines()
    assert len(rows) == 6
    # The files are the generator's samples 0–4 of seed 4, pixel for pixel.
    ref = inference.synthesize(5, seed=4, size_px=96)
    for entry, s in zip(index["samples"], ref):
        image, p = inference.load_image(str(out / entry["image"]))
        np.testing.assert_array_equal(image, s["image"])
        assert p == pytest.approx(s["pixel_size_m"], rel=1e-6)
        truth = json.loads((out / entry["truth"]).read_text())
        assert truth["label"] == s["label"] == entry["label"]
        mask, _ = inference.load_image(str(out / entry["mask"]))
        np.testing.assert_array_equal(mask, s["mask"])

    bad = subprocess.run([str(psw_program), "synth", "-o", str(out), "--modality", "xray"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "xray" in bad.stderr
