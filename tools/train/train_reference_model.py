#!/usr/bin/python3
"""Trains psw's reference defect classifier and writes it, calibrated, to data/models/.

    PSW_BUILD_DIR=build/release /usr/bin/python3 tools/train/train_reference_model.py

Every step is seeded and runs on the CPU with Debian's python3-torch (2 threads by default):

1. data: four synthetic splits from psw.inference.synthesize(), each with its own seed
   (train, validation, calibration, test), labelled Repairable / Scrap by the generator;
2. input: psw.inference.preprocess(), the same C++ code `psw classify` runs, to the input
   contract below (so training and inference cannot normalise differently);
3. model: a small residual network (3 stages of basic blocks, 16-32-64 channels, global
   average and max pooling side by side, a linear head), trained with AdamW and cosine learning rate, keeping the
   epoch with the best validation accuracy;
4. export: ONNX opset 13 with a symbolic batch, Identity nodes removed (OpenCV 4.6 refuses
   them), checked to load in OpenCV and to agree with PyTorch;
5. calibration, on the calibration split only: the temperature T that minimises the negative
   log-likelihood of softmax(z/T), then the confidence threshold τ below which the fraction
   (1 − target coverage) of calibration images fall, so a target share of images is decided
   and the least confident go to an operator as Uncertain;
6. evaluation, on the test split: accuracy (argmax), expected calibration error (15 equal
   bins of confidence), coverage (share decided), accuracy on decided images, each with a
   bootstrap interval; the card states bounds the held-out test (another seed) must meet.

Writes <out>.onnx (psw metadata in metadata_props["psw.model"]), <out>.json (the same
metadata, the sidecar psw reads first) and <out>.pt (the PyTorch state dict, for the tests
that compare psw's engines with PyTorch), and prints the model card figures.
"""

import argparse
import json
import math
import os
import pathlib
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent
SOURCE_DIR = HERE.parents[1]
sys.path.insert(0, str(HERE))
build_dir = pathlib.Path(os.environ.get("PSW_BUILD_DIR", SOURCE_DIR / "build" / "release"))
sys.path.insert(0, str(build_dir / "python"))

import psw_onnx  # noqa: E402
from psw import inference as inf  # noqa: E402

CLASSES = ["Repairable", "Scrap"]
ECE_BINS = 15
# Half-width of the card's bounds in bootstrap standard deviations: a held-out estimate of the
# same size differs from the test estimate by a spread √2 σ, and 3.7 σ ≈ 2.6 · √2 σ is a
# two-sided 99 % band for that difference.
BOUND_SIGMAS = 3.7


# ---- the network ------------------------------------------------------------------------------

class BasicBlock(nn.Module):
    """Two 3×3 convolutions with batch norm and an identity (or 1×1 projection) shortcut."""

    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = nn.Sequential()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False),
                                          nn.BatchNorm2d(c_out))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + self.shortcut(x))


class ReferenceNet(nn.Module):
    """pooling: "avg+max" (global average and max pooling side by side) or "avg"."""

    def __init__(self, channels=1, classes=2, widths=(16, 32, 64), pooling="avg+max"):
        super().__init__()
        self.pooling = pooling
        self.stem = nn.Sequential(nn.Conv2d(channels, widths[0], 3, 2, 1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
        blocks, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks.append(BasicBlock(c, w, 1 if i == 0 else 2))
            c = w
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(2 * c if pooling == "avg+max" else c, classes)

    def forward(self, x):
        # Average and max pooling side by side: a defect is small and anywhere in the field,
        # so the strongest local response matters as much as the mean.
        y = self.blocks(self.stem(x))
        pooled = nn.functional.adaptive_avg_pool2d(y, 1)
        if self.pooling == "avg+max":
            pooled = torch.cat([pooled, nn.functional.adaptive_max_pool2d(y, 1)], dim=1)
        return self.head(torch.flatten(pooled, 1))


def load_reference_net(weights, channels, classes):
    """The trained network from its state dict (psw_reference_v1.pt), in eval mode; the
    pooling is read off the head's input width."""
    state = torch.load(weights)
    widths = (16, 32, 64)
    pooling = "avg+max" if state["head.weight"].shape[1] == 2 * widths[-1] else "avg"
    net = ReferenceNet(channels, classes, widths, pooling)
    net.load_state_dict(state)
    return net.eval()


# ---- data ---------------------------------------------------------------------------------------

def make_split(count, seed, contract, options):
    """Synthesises `count` images with `seed`; returns inputs (N,C,H,W) and labels (N,)."""
    samples = inf.synthesize(count, seed, **options)
    x = np.stack([inf.preprocess(s, contract) for s in samples]).astype(np.float32)
    y = np.array([CLASSES.index(s["label"]) for s in samples], dtype=np.int64)
    return x, y, samples


# ---- calibration and evaluation -----------------------------------------------------------------

def softmax(z, t=1.0):
    e = np.exp((z - z.max(axis=1, keepdims=True)) / t)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(z, y):
    """T minimising the mean negative log-likelihood of softmax(z/T); golden-section search on
    log T in [log 0.05, log 20] (the NLL is unimodal in T for fixed logits)."""
    def nll(log_t):
        p = softmax(z, math.exp(log_t))
        return -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0)))
    a, b = math.log(0.05), math.log(20.0)
    g = (math.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    for _ in range(80):
        if nll(c) < nll(d):
            b = d
        else:
            a = c
        c, d = b - g * (b - a), a + g * (b - a)
    return math.exp((a + b) / 2)


def expected_calibration_error(confidence, correct, bins=ECE_BINS):
    """Σ_b |B_b|/n · |accuracy(B_b) − mean confidence(B_b)| over equal-width bins of (0, 1]."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        in_bin = (confidence > lo) & (confidence <= hi)
        if in_bin.any():
            ece += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(ece)


def figures(z, y, temperature, threshold):
    p = softmax(z, temperature)
    confidence = p.max(axis=1)
    correct = p.argmax(axis=1) == y
    decided = confidence >= threshold
    return {
        "accuracy": float(correct.mean()),
        "ece": expected_calibration_error(confidence, correct),
        "coverage": float(decided.mean()),
        "accuracy_on_decided": float(correct[decided].mean()) if decided.any() else float("nan"),
    }


def bootstrap_sd(z, y, temperature, threshold, rounds=200, seed=0):
    rng = np.random.default_rng(seed)
    runs = {k: [] for k in ("accuracy", "ece", "coverage", "accuracy_on_decided")}
    for _ in range(rounds):
        i = rng.integers(0, len(y), len(y))
        for k, v in figures(z[i], y[i], temperature, threshold).items():
            runs[k].append(v)
    return {k: float(np.std(v)) for k, v in runs.items()}


# ---- main ---------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path,
                    default=SOURCE_DIR / "data" / "models" / "psw_reference_v1.onnx")
    ap.add_argument("--seed", type=int, default=20261203)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--train", type=int, default=4000)
    ap.add_argument("--val", type=int, default=800)
    ap.add_argument("--calibration", type=int, default=1500)
    ap.add_argument("--test", type=int, default=1500)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--size", type=int, default=64, help="model input, pixels (square)")
    ap.add_argument("--field-um", type=float, default=24.0, help="model field of view, µm")
    ap.add_argument("--target-coverage", type=float, default=0.90)
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    blas = [line.strip() for line in torch.__config__.show().splitlines() if "BLAS_INFO" in line]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"convolutions run in oneDNN (MKL-DNN); {blas[0][:60] if blas else 'BLAS unknown'}")
    started = time.time()

    # 1–2. data, preprocessed by psw itself. The generator draws 128 × 128 images at a fixed
    # 0.1875 µm pixel (a 24 µm field); the model sees them resampled to 64 × 64 at 0.375 µm,
    # so an image at any other pixel size is rescaled to the same physical scale.
    synth = {"size_px": 2 * args.size, "pixel_size_m": args.field_um * 1e-6 / (2 * args.size)}
    contract = inf.InputContract()
    contract.width = contract.height = args.size
    contract.channels = 1
    contract.pixel_size_m = args.field_um * 1e-6 / args.size
    contract.percentile_low, contract.percentile_high = 1.0, 99.0
    contract.flat_field, contract.flat_field_sigma_px = True, args.size / 4
    contract.mean, contract.std = [0.5], [0.25]
    contract.validate()
    seeds = {"train": args.seed + 1, "validation": args.seed + 2,
             "calibration": args.seed + 3, "test": args.seed + 4}
    counts = {"train": args.train, "validation": args.val, "calibration": args.calibration,
              "test": args.test}
    data = {k: make_split(counts[k], seeds[k], contract, synth) for k in seeds}
    for k, (x, y, _) in data.items():
        print(f"{k}: {len(y)} images, seed {seeds[k]}, {np.mean(y == 0):.3f} Repairable")
    print(f"data ready in {time.time() - started:.0f} s")

    # 3. training.
    # channels_last lets oneDNN run the convolutions several times faster on the CPU.
    model = ReferenceNet(contract.channels, len(CLASSES)).to(memory_format=torch.channels_last)
    x_train = torch.from_numpy(data["train"][0]).to(memory_format=torch.channels_last)
    y_train = torch.from_numpy(data["train"][1])
    x_val, y_val = torch.from_numpy(data["validation"][0]), data["validation"][1]
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    steps_per_epoch = math.ceil(len(y_train) / 64)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch)
    gen = torch.Generator().manual_seed(args.seed)
    best, best_state = -1.0, None
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(y_train), generator=gen)
        total = 0.0
        for i in range(0, len(order), 64):
            idx = order[i:i + 64]
            xb = x_train[idx].contiguous(memory_format=torch.channels_last)
            # Augmentation the physics allows: flips and 90° turns keep a defect a defect.
            if torch.rand(1, generator=gen) < 0.5:
                xb = xb.flip(3)
            if torch.rand(1, generator=gen) < 0.5:
                xb = xb.flip(2)
            loss = nn.functional.cross_entropy(model(xb), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        model.eval()
        with torch.no_grad():
            val_acc = float((model(x_val).argmax(1).numpy() == y_val).mean())
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / len(y_train):.4f}, "
              f"validation accuracy {val_acc:.4f} ({time.time() - started:.0f} s)")
        if val_acc > best:
            best, best_state = val_acc, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    model = model.to(memory_format=torch.contiguous_format).eval()

    # 5. calibration on its own split.
    with torch.no_grad():
        z_cal = model(torch.from_numpy(data["calibration"][0])).numpy()
        z_test = model(torch.from_numpy(data["test"][0])).numpy()
    y_cal, y_test = data["calibration"][1], data["test"][1]
    temperature = fit_temperature(z_cal, y_cal)
    conf_cal = softmax(z_cal, temperature).max(axis=1)
    threshold = float(np.quantile(conf_cal, 1.0 - args.target_coverage, method="lower"))

    # 6. evaluation on the test split, with bounds for the held-out check.
    f = figures(z_test, y_test, temperature, threshold)
    sd = bootstrap_sd(z_test, y_test, temperature, threshold, seed=args.seed)
    uncal = figures(z_test, y_test, 1.0, threshold)
    params = sum(p.numel() for p in model.parameters())
    card = {
        "model": "ResNet-style, 3 basic blocks (16-32-64 channels), avg+max pooling, %d "
                 "parameters" % params,
        "training_data": {
            "generator": "psw.inference.synthesize", "synth_options": synth,
            "seeds": seeds, "counts": counts,
            "augmentation": "horizontal and vertical flips",
        },
        "training": {"epochs": args.epochs, "optimizer": "AdamW, one-cycle lr 3e-3",
                     "threads": args.threads, "torch": torch.__version__,
                     "seconds": round(time.time() - started),
                     "best_validation_accuracy": best},
        "calibration": {"method": "temperature scaling (NLL) on the calibration split",
                        "temperature": temperature, "target_coverage": args.target_coverage,
                        "confidence_threshold": threshold},
        "test": dict(f, n=int(len(y_test)), seed=seeds["test"], ece_bins=ECE_BINS,
                     ece_before_temperature=uncal["ece"], bootstrap_sd=sd),
        "bounds": {
            "note": "a held-out synthetic set of the test size from another seed meets these "
                    "(test figure -/+ %.1f bootstrap sd)" % BOUND_SIGMAS,
            "accuracy_min": f["accuracy"] - BOUND_SIGMAS * sd["accuracy"],
            "ece_max": f["ece"] + BOUND_SIGMAS * sd["ece"],
            "coverage_min": f["coverage"] - BOUND_SIGMAS * sd["coverage"],
            "coverage_max": f["coverage"] + BOUND_SIGMAS * sd["coverage"],
            "accuracy_on_decided_min": f["accuracy_on_decided"]
                                       - BOUND_SIGMAS * sd["accuracy_on_decided"],
        },
    }
    metadata = {
        "format": "psw.model/1",
        "name": args.out.stem,
        "classes": CLASSES,
        "input": json.loads(contract.to_json()),
        "temperature": temperature,
        "confidence_threshold": threshold,
        "card": card,
    }

    # 4. export, metadata inside and beside the model.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    example = torch.from_numpy(data["test"][0][:1])
    onnx_model, removed = psw_onnx.export(model, example, args.out)
    psw_onnx.set_psw_metadata(onnx_model, metadata)
    import onnx
    onnx.save(onnx_model, str(args.out))
    args.out.with_suffix(".json").write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n")
    # The PyTorch weights, so tests can compare psw's engines with PyTorch on the same model.
    torch.save(model.state_dict(), args.out.with_suffix(".pt"))

    # Check: both psw engines give PyTorch's logits on the test split.
    for backend in ("opencv", "onnxruntime"):
        if backend == "onnxruntime" and not inf.onnxruntime_status()["loaded"]:
            continue
        z = inf.Classifier(str(args.out), backend=backend).logits(data["test"][0][:64])
        print(f"{backend}: max |psw - torch| logit difference {np.abs(z - z_test[:64]).max():.2e}")

    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB, {params} parameters, "
          f"{removed} Identity nodes removed) and {args.out.with_suffix('.json')}")
    print(json.dumps({"temperature": temperature, "threshold": threshold, "test": f,
                      "bounds": card["bounds"]}, indent=2))
    print(f"total {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
