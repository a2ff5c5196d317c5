"""psw.inference's classifier against its peer and its model card.

- Engines: psw's OpenCV and ONNX Runtime engines give PyTorch's logits for the same ONNX model
  and input (the reference model, and torchvision's ResNet-50 with a 3-class head), to 1e-4 of
  the largest logit; the max absolute differences are printed (pytest -s) and written to
  <build>/inference_agreement.json.
- Fallback: with the ONNX Runtime library absent, "auto" runs OpenCV and says so once.
- The model card: on a held-out synthetic set from a seed no split used, accuracy, ECE,
  coverage and accuracy on decided images meet the bounds stated in the model's sidecar (the
  same file `psw` reads, so card and test cannot drift).
- Determinism, preprocessing parity with a NumPy re-implementation, and clear errors for bad
  model files.
"""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from conftest import BUILD_DIR, SOURCE_DIR

import psw
from psw import inference as inf

torch = pytest.importorskip("torch", reason="python3-torch (scripts/install-deps) is the peer")

TRAIN_DIR = SOURCE_DIR / "tools" / "train"
sys.path.insert(0, str(TRAIN_DIR))

REFERENCE = SOURCE_DIR / "data" / "models" / "psw_reference_v1.onnx"
RELATIVE_AGREEMENT = 1e-4  # the figure: engines agree to 1e-4 of the logit scale
HELD_OUT_SEED = 424242     # no training split uses it (the training seeds are 20261204..07)

torch.set_num_threads(2)
_agreement = {}


def _engines():
    engines = ["opencv"]
    status = inf.onnxruntime_status()
    engines.append(pytest.param("onnxruntime", marks=pytest.mark.skipif(
        not status["loaded"], reason="ONNX Runtime unavailable: " + status["message"])))
    return engines


@pytest.fixture(scope="session")
def resnet50():
    """ResNet-50 (random, seeded weights, 3-class head) exported into the build tree once."""
    path = BUILD_DIR / "models" / "resnet50_3class.onnx"
    if not path.exists():
        subprocess.run([sys.executable, str(TRAIN_DIR / "export_resnet50.py"), str(path)],
                       check=True)
    import export_resnet50
    return path, export_resnet50.build(0)


@pytest.fixture(scope="session")
def reference():
    import train_reference_model
    spec = json.loads(REFERENCE.with_suffix(".json").read_text())
    net = train_reference_model.load_reference_net(REFERENCE.with_suffix(".pt"),
                                                   spec["input"]["channels"], len(spec["classes"]))
    return REFERENCE, net, spec


def _record(name, diff, scale):
    _agreement[name] = {"max_abs_diff": float(diff), "max_abs_logit": float(scale)}
    (BUILD_DIR / "inference_agreement.json").write_text(json.dumps(_agreement, indent=2))
    print(f"\n{name}: max |psw - torch| = {diff:.3g} (largest logit {scale:.3g})")


@pytest.mark.parametrize("engine", _engines())
def test_reference_model_engines_equal_pytorch(reference, engine):
    path, net, spec = reference
    samples = inf.synthesize(16, HELD_OUT_SEED + 1, **spec["card"]["training_data"]["synth_options"])
    contract = inf.load_model_spec(path)["input"]
    x = np.stack([inf.preprocess(s, contract) for s in samples]).astype(np.float32)
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).numpy()
    got = inf.Classifier(path, backend=engine).logits(x)
    diff, scale = np.abs(got - expected).max(), np.abs(expected).max()
    _record(f"reference/{engine}", diff, scale)
    assert diff <= RELATIVE_AGREEMENT * max(scale, 1.0)


@pytest.mark.parametrize("engine", _engines())
def test_resnet50_engines_equal_pytorch(resnet50, engine):
    path, net = resnet50
    x = np.random.default_rng(5).standard_normal((2, 3, 224, 224)).astype(np.float32)
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).numpy()
    got = inf.Classifier(path, backend=engine, threads=2).logits(x)
    diff, scale = np.abs(got - expected).max(), np.abs(expected).max()
    _record(f"resnet50/{engine}", diff, scale)
    assert diff <= RELATIVE_AGREEMENT * max(scale, 1.0)


def test_every_shipped_and_exported_model_loads_in_opencv(resnet50):
    # OpenCV 4.6 refuses Identity nodes on initializers; the exports must have none left.
    for path in [REFERENCE, resnet50[0]]:
        info = inf.read_onnx_model_info(path)
        assert info["opset"] <= 13
        assert inf.Classifier(path, backend="opencv").backend == "opencv"


def test_identity_removal_is_what_makes_opencv_accept_torch_exports(tmp_path):
    # Two bias-free convolutions, each followed by a BatchNorm at its initial state: export
    # folds each BatchNorm into a convolution bias, both biases are zeros(4), torch 1.13 keeps
    # one initializer and aliases the other through an Identity node. Without the surgery
    # OpenCV refuses the file; with it, it loads and gives PyTorch's output.
    import io
    import onnx
    import psw_onnx
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, bias=False), torch.nn.BatchNorm2d(4),
                              torch.nn.Conv2d(4, 4, 3, bias=False), torch.nn.BatchNorm2d(4),
                              torch.nn.Flatten(), torch.nn.Linear(64, 2)).eval()
    x = torch.randn(1, 1, 8, 8)
    buffer = io.BytesIO()
    torch.onnx.export(net, x, buffer, opset_version=psw_onnx.OPSET, input_names=["image"],
                      output_names=["logits"])
    raw = onnx.load_model_from_string(buffer.getvalue())
    assert any(n.op_type == "Identity" for n in raw.graph.node)
    onnx.save(raw, str(tmp_path / "raw.onnx"))
    with pytest.raises(ValueError, match="OpenCV dnn cannot load ONNX model"):
        inf.Classifier(tmp_path / "raw.onnx", backend="opencv")
    psw_onnx.export(net, x, tmp_path / "clean.onnx")
    clean = inf.Classifier(tmp_path / "clean.onnx", backend="opencv")
    with torch.no_grad():
        expected = net(x).numpy()
    np.testing.assert_allclose(clean.logits(x.numpy()), expected, atol=1e-5)


def test_without_onnxruntime_auto_falls_back_to_opencv_and_says_so_once():
    script = (
        "from psw import inference as inf\n"
        "import numpy as np\n"
        "im = np.full((64, 64), 100, np.uint8); im[20:40, :] = 200\n"
        "for _ in range(3):\n"
        "    c = inf.Classifier(backend='auto')\n"
        "    r = c.classify([im, im])\n"
        "print(c.backend, r[0]['backend'])\n"
        "try:\n"
        "    inf.Classifier(backend='onnxruntime')\n"
        "except RuntimeError as e:\n"
        "    print('explicit:', e)\n")
    env = dict(os.environ, PYTHONPATH=str(BUILD_DIR / "python"),
               PSW_ONNXRUNTIME_LIBRARY="/nonexistent/libonnxruntime.so.1")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.splitlines()[0] == "opencv opencv"
    assert "explicit: ONNX Runtime backend unavailable" in out.stdout
    assert "/nonexistent/libonnxruntime.so.1" in out.stdout
    assert out.stderr.count("falling back to OpenCV") == 1, out.stderr


def _ece(confidence, correct, bins=15):
    # Expected calibration error over 15 equal-width confidence bins (Guo et al., ICML 2017).
    total = 0.0
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (confidence > lo) & (confidence <= hi)
        if m.any():
            total += m.mean() * abs(correct[m].mean() - confidence[m].mean())
    return total


def test_held_out_set_meets_the_model_card(reference):
    _, _, spec = reference
    card = spec["card"]
    samples = inf.synthesize(card["test"]["n"], HELD_OUT_SEED,
                             **card["training_data"]["synth_options"])
    results = inf.Classifier(REFERENCE).classify(samples)
    truth = np.array([s["label"] for s in samples])
    label = np.array([r["label"] for r in results])
    confidence = np.array([r["confidence"] for r in results])
    decided = np.array([r["decision"] != "Uncertain" for r in results])
    correct = label == truth
    figures = {"accuracy": correct.mean(), "ece": _ece(confidence, correct),
               "coverage": decided.mean(), "accuracy_on_decided": correct[decided].mean()}
    print("\nheld-out figures:", {k: round(float(v), 4) for k, v in figures.items()})
    bounds = card["bounds"]
    assert figures["accuracy"] >= bounds["accuracy_min"]
    assert figures["ece"] <= bounds["ece_max"]
    assert bounds["coverage_min"] <= figures["coverage"] <= bounds["coverage_max"]
    assert figures["accuracy_on_decided"] >= bounds["accuracy_on_decided_min"]
    # Decided images are more often right than all images: the threshold means something.
    assert figures["accuracy_on_decided"] >= figures["accuracy"]


@pytest.mark.parametrize("engine", _engines())
def test_the_same_image_gives_the_same_result_every_run(engine):
    samples = inf.synthesize(9, HELD_OUT_SEED + 2)
    c = inf.Classifier(backend=engine, threads=2)
    first = c.classify(samples)
    again = c.classify(samples)
    fresh = inf.Classifier(backend=engine, threads=2).classify(samples)
    for a, b, f in zip(first, again, fresh):
        assert a["logits"] == b["logits"] == f["logits"]
        assert a["decision"] == b["decision"] == f["decision"]


def test_preprocess_equals_a_numpy_reimplementation():
    # Same size (no resampling), no flat-field: v = clip((s/65535 − P1)/(P99 − P1), 0, 1),
    # then (v − 0.5)/0.25, with NumPy's default (linear) percentiles.
    rng = np.random.default_rng(3)
    image = rng.integers(0, 65536, size=(48, 40), dtype=np.uint16)
    c = inf.InputContract()
    c.width, c.height = 40, 48
    c.mean, c.std = [0.5], [0.25]
    v = image.astype(np.float64) / 65535
    lo, hi = np.percentile(v, 1), np.percentile(v, 99)
    expected = (np.clip((v - lo) / (hi - lo), 0, 1) - 0.5) / 0.25
    got = inf.preprocess(image, c)
    assert got.shape == (1, 48, 40) and got.dtype == np.float32
    np.testing.assert_allclose(got[0], expected, atol=2e-5)


def test_bad_model_files_are_named(tmp_path):
    truncated = tmp_path / "truncated.onnx"
    truncated.write_bytes(REFERENCE.read_bytes()[: REFERENCE.stat().st_size // 2])
    text = tmp_path / "notes.onnx"
    text.write_text("not a model\n")
    for path, message in [(tmp_path / "missing.onnx", "does not exist"),
                          (truncated, "truncated or corrupt"),
                          (text, "ONNX")]:
        with pytest.raises(ValueError, match=message) as e:
            inf.Classifier(path, backend="opencv")
        assert str(path) in str(e.value)


def test_a_model_with_the_wrong_input_shape_is_refused(tmp_path):
    # A 2-D input [N, 10] is no image model; a 32 × 32 model whose sidecar says 64 × 64 lies.
    import psw_onnx
    flat = torch.nn.Linear(10, 2)
    psw_onnx.export(flat, torch.zeros(1, 10), tmp_path / "flat.onnx")
    with pytest.raises(ValueError, match=r"flat.onnx.*expected float \(1\) \[N, channels"):
        inf.Classifier(tmp_path / "flat.onnx")
    conv = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 32), torch.nn.Flatten())
    psw_onnx.export(conv, torch.zeros(1, 1, 32, 32), tmp_path / "small.onnx")
    (tmp_path / "small.json").write_text(json.dumps(
        {"format": "psw.model/1", "classes": ["Repairable", "Scrap"],
         "input": {"width": 64, "height": 64, "channels": 1}}))
    with pytest.raises(ValueError, match=r"small.onnx.*\[\?, 1, 32, 32\].*height = 64"):
        inf.Classifier(tmp_path / "small.onnx")


def test_cli_classify_text_json_and_bad_input(psw_program, tmp_path):
    samples = inf.synthesize(2, HELD_OUT_SEED + 3)
    paths = []
    for i, s in enumerate(samples):
        p = tmp_path / f"defect{i}.png"
        inf.save_image(str(p), s["image"], pixel_size_m=s["pixel_size_m"])
        paths.append(str(p))
    run = [str(psw_program), "classify", *paths, "--backend", "opencv", "--json"]
    first = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    doc = json.loads(first)
    assert doc["backend"] == "opencv" and len(doc["results"]) == 2
    for r in doc["results"]:
        assert r["decision"] in ("Repairable", "Scrap", "Uncertain")
        assert abs(sum(r["probabilities"].values()) - 1) < 1e-9
        # The explanation names the model's decision beside the rules' verdict.
        assert r["decision"] in r["explanation"]
    # The program agrees with the Python API on the same files, and with itself.
    py = inf.Classifier(backend="opencv").classify(
        [dict(image=s["image"], pixel_size_m=s["pixel_size_m"]) for s in samples])
    assert [r["decision"] for r in doc["results"]] == [r["decision"] for r in py]
    assert subprocess.run(run, capture_output=True, text=True).stdout == first
    text = subprocess.run([str(psw_program), "classify", paths[0]], capture_output=True,
                          text=True)
    assert text.returncode == 0 and "confidence" in text.stdout
    bad = subprocess.run([str(psw_program), "classify", str(tmp_path / "none.png")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "none.png" in bad.stderr
    bad_model = subprocess.run([str(psw_program), "classify", paths[0], "--model",
                                str(tmp_path / "none.onnx")], capture_output=True, text=True)
    assert bad_model.returncode == 2 and "none.onnx" in bad_model.stderr
