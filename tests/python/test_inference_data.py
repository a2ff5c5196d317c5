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


def test_explain_measures_a_drawn_open_and_reports_disagreement():
    # 2 µm lines and spaces at 0.1 µm/px; a 60 px (6 µm) cut across the middle line.
    image = np.full((128, 128), 50, dtype=np.uint8)
    for top in (10, 50, 90):
        image[top:top + 20, :] = 200
    image[50:70, 30:90] = 50
    e = inference.explain(image, pixel_size_m=0.1e-6, model_class="Repairable")
    assert e["defect"]["kind"] == "open"
    assert e["defect"]["length_m"] == pytest.approx(6.0e-6, abs=0.1e-6)
    assert e["verdict"]["class"] == "Scrap"
    assert e["sentence"].startswith("Linear discontinuity, 6.0 µm long, 2.0 µm wide, across a "
                                    "2.0 µm line.")
    assert e["with_class"].endswith("The model says Repairable, but the open is 6.0 µm long, "
                                    "above the 5.0 µm repair limit.")
    # A longer repair limit in the options changes the verdict, not the measurement.
    loose = inference.explain(image, pixel_size_m=0.1e-6, max_open_length_m=8e-6)
    assert loose["verdict"]["class"] == "Repairable"
    assert loose["defect"] == e["defect"]


def test_explain_agrees_with_the_generator_and_is_deterministic():
    samples = inference.synthesize(30, seed=4242)
    right = 0
    for s in samples:
        e = inference.explain(s["image"], s["pixel_size_m"])
        right += e["defect"]["kind"] == s["truth"]["kind"]
        assert inference.explain(s["image"], s["pixel_size_m"]) == e
    # The C++ test holds the accuracy on 300 images (≥ 0.85); 30 images at that rate give at
    # least 22 right with probability > 0.99.
    assert right >= 22


def test_explain_errors_name_the_problem():
    image = np.zeros((64, 64), dtype=np.uint8)
    with pytest.raises(ValueError, match="no pixel size"):
        inference.explain(image)
    with pytest.raises(ValueError, match="2 channels"):
        inference.explain(np.zeros((64, 64, 2), dtype=np.uint8), 1e-7)
    with pytest.raises(ValueError, match="model_class = 'maybe'"):
        inference.explain(image, 1e-7, model_class="maybe")
    with pytest.raises(ValueError, match="unknown option.*max_open"):
        inference.explain(image, 1e-7, max_open=3)


def test_psw_explain_prints_sentences_and_json(psw_program, tmp_path):
    out = tmp_path / "set"
    subprocess.run([str(psw_program), "synth", "--count", "3", "-o", str(out), "--seed", "8"],
                   check=True, capture_output=True)
    files = [str(out / f"{i:05d}.png") for i in range(3)]
    r = subprocess.run([str(psw_program), "explain", *files], capture_output=True, text=True,
                       check=True)
    lines = r.stdout.splitlines()
    assert len(lines) == 3 and all(" µm long, " in line or "No defect" in line for line in lines)
    j = subprocess.run([str(psw_program), "explain", "--json", *files], capture_output=True,
                       text=True, check=True)
    items = json.loads(j.stdout)
    assert [i["file"] for i in items] == files
    for item in items:
        # The same result as the Python twin on the same file (pixel size from its metadata).
        image, pixel_size_m = inference.load_image(item["file"])
        assert item == {"file": item["file"], **inference.explain(image, pixel_size_m)}

    rules = tmp_path / "rules.yaml"
    rules.write_text("repair_rules:\n  max_open_lenght_um: 3\n")
    bad = subprocess.run([str(psw_program), "explain", "--rules", str(rules), files[0]],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "max_open_lenght_um" in bad.stderr
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    bad = subprocess.run([str(psw_program), "explain", str(text), files[0]],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "notes.png" in bad.stderr
    assert bad.stdout.count("\n") == 1  # the good file is still explained
