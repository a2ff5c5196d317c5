#!/usr/bin/python3
"""Exports torchvision's ResNet-50 (the production backbone the original specification names)
with a 3-class head to ONNX, so psw's engines are tested on a full-size model.

The weights are random (seeded): the tests compare psw's engines with PyTorch on the same
model and input, which needs the architecture, not a trained model. The file is ~100 MB, so it
is written into the build tree by the tests (tests/python/conftest.py), never committed.

    /usr/bin/python3 tools/train/export_resnet50.py OUT.onnx [--seed 0]

Writes OUT.onnx with psw metadata (3-channel 224 x 224 input, ImageNet mean/std); build(seed)
rebuilds the same torch model (seeded initialisation) for the comparison.
"""

import argparse
import pathlib
import sys

import torch
import torchvision

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import psw_onnx  # noqa: E402

CLASSES = ["Repairable", "Scrap", "Uncertain"]


def build(seed):
    torch.manual_seed(seed)
    model = torchvision.models.resnet50(weights=None)
    model.fc = torch.nn.Linear(model.fc.in_features, len(CLASSES))
    return model.eval()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    model = build(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    onnx_model, removed = psw_onnx.export(model, torch.zeros(1, 3, 224, 224), args.out)
    psw_onnx.set_psw_metadata(onnx_model, {
        "format": "psw.model/1",
        "name": "resnet50_random_3class",
        "classes": CLASSES,
        "input": {"width": 224, "height": 224, "channels": 3, "pixel_size_m": None,
                  "percentile_low": 0.0, "percentile_high": 100.0, "flat_field": False,
                  "flat_field_sigma_px": 8.0, "mean": [0.485, 0.456, 0.406],
                  "std": [0.229, 0.224, 0.225]},
        "temperature": 1.0,
        "confidence_threshold": 0.0,
        "card": {"note": "random weights (seed %d); for engine agreement tests only" % args.seed},
    })
    import onnx
    onnx.save(onnx_model, str(args.out))
    print(f"wrote {args.out} (Identity nodes removed: {removed})")


if __name__ == "__main__":
    main()
