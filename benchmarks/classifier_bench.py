#!/usr/bin/python3
"""psw's inference engines beside PyTorch on the same models and inputs, in one run.

    PSW_BUILD_DIR=build/release /usr/bin/python3 benchmarks/classifier_bench.py [--threads 1]

Runs build/bin/classifier_bench (Google Benchmark, JSON out), then times PyTorch (Debian's
python3-torch, the same thread count) on the same models: the reference model (weights from
data/models/psw_reference_v1.pt) and the random-weight ResNet-50 export, batch 1 and 8, and
PyTorch-side preprocessing is psw's own binding (so only engines are compared). Prints
per-image latencies and the ratios PyTorch / engine (above 1: the engine is faster).
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[1]
BUILD_DIR = pathlib.Path(os.environ.get("PSW_BUILD_DIR", SOURCE_DIR / "build" / "release"))
sys.path.insert(0, str(SOURCE_DIR / "tools" / "train"))


def torch_per_image_ms(net, batch, min_seconds):
    import torch
    x = torch.from_numpy(np.random.default_rng(3).standard_normal(batch).astype(np.float32))
    with torch.no_grad():
        net(x)  # warm-up
        runs, start = 0, time.perf_counter()
        while time.perf_counter() - start < min_seconds or runs < 3:
            net(x)
            runs += 1
        elapsed = time.perf_counter() - start
    return 1e3 * elapsed / (runs * batch[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--min-seconds", type=float, default=1.0)
    args = ap.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    import export_resnet50
    import train_reference_model

    resnet = BUILD_DIR / "models" / "resnet50_3class.onnx"
    if not resnet.exists():
        subprocess.run([sys.executable, str(SOURCE_DIR / "tools/train/export_resnet50.py"),
                        str(resnet)], check=True)

    # psw's engines.
    env = dict(os.environ, PSW_BENCH_THREADS=str(args.threads), PSW_RESNET50_ONNX=str(resnet))
    out = subprocess.run([str(BUILD_DIR / "bin" / "classifier_bench"), "--benchmark_format=json",
                          f"--benchmark_min_time={args.min_seconds}"],
                         env=env, capture_output=True, text=True, check=True)
    # Rows with their own MinTime carry it in the name ("BM_ResNet50_OpenCV/1/min_time:2.000").
    rows = {b["name"].split("/min_time:")[0]: b for b in json.loads(out.stdout)["benchmarks"]}

    def engine_ms(name, n):
        b = rows.get(f"{name}/{n}")
        if not b or b.get("error_occurred"):
            return None
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
        return b["real_time"] * scale / n

    # PyTorch on the same models.
    spec = json.loads((SOURCE_DIR / "data/models/psw_reference_v1.json").read_text())
    ref = train_reference_model.load_reference_net(SOURCE_DIR / "data/models/psw_reference_v1.pt",
                                                   spec["input"]["channels"], len(spec["classes"]))
    nets = {"Reference": (ref, (spec["input"]["channels"], spec["input"]["height"],
                                       spec["input"]["width"])),
            "ResNet50": (export_resnet50.build(0), (3, 224, 224))}

    print(f"per-image latency, {args.threads} thread(s); ratio = PyTorch / engine")
    for p in ("128", "512"):
        b = rows.get(f"BM_Preprocess/{p}")
        if b:
            print(f"  preprocess {p} px image: {b['real_time']:.1f} {b['time_unit']}")
    print(f"  {'model':10} {'batch':>5} {'PyTorch ms':>11} {'OpenCV ms':>10} {'ratio':>6} "
          f"{'ORT ms':>8} {'ratio':>6} {'OpenCV/ORT':>10}")
    for name, (net, shape) in nets.items():
        for n in (1, 8):
            t = torch_per_image_ms(net, (n, *shape), args.min_seconds)
            cv = engine_ms(f"BM_{name}_OpenCV", n)
            ort = engine_ms(f"BM_{name}_OnnxRuntime", n)
            fmt = lambda v: f"{v:.3f}" if v else "n/a"
            ratio = lambda v: f"{t / v:.2f}" if v else "n/a"
            both = f"{cv / ort:.2f}" if cv and ort else "n/a"
            print(f"  {name:10} {n:>5} {t:>11.3f} {fmt(cv):>10} {ratio(cv):>6} {fmt(ort):>8} "
                  f"{ratio(ort):>6} {both:>10}")


if __name__ == "__main__":
    main()
