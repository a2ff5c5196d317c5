"""Defect images (``psw::inference``): files, a synthetic generator with ground truth,
repairability rules and explanations in words.

Images are NumPy arrays, ``uint8`` or ``uint16``, shaped ``(H, W)`` (grey) or ``(H, W, 3)``
(RGB); pixel sizes are in metres.

- :func:`load_image`, :func:`save_image`: PNG and TIFF, 8/16-bit, pixel size in the metadata;
- :func:`synthesize`: RDL line images with one defect each, its mask, geometry and label;
  the twin of ``psw synth``;
- :func:`apply_rules`: the repairability rules that label the synthetic images;
- :func:`explain`: the defect found in an image, measured in micrometres, related to the
  layout and said in plain sentences, with the rules' verdict; the twin of ``psw explain``.

Bad input raises ``ValueError`` with a message that names the file or the option.

Classifier side:

- :class:`InputContract` and :func:`preprocess`: the normalisation a model expects (bit depth,
  resampling to the model's pixel size, flat-field, percentile contrast, mean/std); the
  training script calls this same function, so training and inference cannot drift apart;
- :class:`Classifier`: ``Classifier(model=None, backend="auto", threads=1)``;
  ``.classify(images)`` takes a uint8/uint16 NumPy image, a list of them, or the dicts
  returned by :func:`synthesize`, and returns one dict per image (decision, label,
  confidence, probabilities, logits, backend); ``.logits(batch)`` runs the engine on
  preprocessed input; :func:`classify` is the twin of ``psw classify``;
- :func:`load_model_spec`, :func:`read_onnx_model_info`, :func:`onnxruntime_status`.
"""

import json as _json

from ._psw import inference as _i

load_image = _i.load_image
save_image = _i.save_image

#: Defect kinds the generator draws, in the order of its ``kind_weights``.
DEFECT_KINDS = ("open", "bridge", "particle", "void", "mouse_bite", "residue")

__all__ = ["DEFECT_KINDS", "Classifier", "InputContract", "apply_rules", "classify",
           "default_model_path", "explain", "load_image", "load_model_spec",
           "onnxruntime_status", "percentile", "preprocess", "read_onnx_model_info", "save_image",
           "softmax", "synthesize"]


def synthesize(count, seed=1, start=0, **options):
    """Make ``count`` synthetic samples, indices ``start`` … ``start + count - 1`` of ``seed``.

    Sample *i* of a seed is the same whatever else is generated (it has its own random
    stream), so a data set can be made in pieces or in parallel.

    Options (all optional; metres for lengths): ``size_px`` or ``width_px``/``height_px``
    (default 128), ``pixel_size_m`` (fixed) or ``pixel_size_min_m``/``pixel_size_max_m``
    (default 0.05e-6–0.4e-6, chosen per image to show about 2.5 line pitches),
    ``line_width_min_m``/``line_width_max_m`` and ``line_space_min_m``/``line_space_max_m``
    (default 1e-6–10e-6), ``diagonal_fraction`` (0.2), ``modality`` ("optical", "sem",
    "mixed"), ``bit_depth`` (8 or 16), ``colour`` (False), ``noise``, ``blur``,
    ``illumination`` (strength multipliers, 1), ``kind_weights`` (dict kind → weight),
    ``near_via_probability`` (0.35), ``via_probability`` (0.6), and the repair rules
    ``max_open_length_m`` (5e-6), ``min_via_clearance_m`` (0.5e-6), ``min_line_clearance_m``
    (0.5e-6), ``bridges_repairable`` (False).

    Returns a list of dicts with ``image`` (array), ``mask`` (uint8 array, 255 on defect
    pixels), ``pixel_size_m``, ``label`` ("Repairable" or "Scrap"), ``reasons`` (why scrap),
    ``truth`` (defect geometry: kind, length_m, width_m, area_m2, orientation_deg, centre_x_m,
    centre_y_m, line_index, crossing, line_width_m, line_space_m, via_distance_m (None when the
    image has no via), neighbour_distance_m), ``layout``, ``modality``, ``seed``, ``index``.
    """
    out = []
    for image, mask, pixel_size_m, text in _i._synthesize(count, seed, start, **options):
        meta = _json.loads(text)
        out.append({
            "image": image,
            "mask": mask,
            "pixel_size_m": pixel_size_m,
            "label": meta["label"],
            "reasons": meta["reasons"],
            "margin_m": meta["margin_m"],
            "truth": meta["defect"],
            "layout": meta["layout"],
            "modality": meta["modality"],
            "seed": meta["seed"],
            "index": meta["index"],
        })
    return out


def apply_rules(kind, length_m, via_distance_m=float("inf"),
                neighbour_distance_m=float("inf"), **rules):
    """The repairability verdict for one defect: ``(label, reasons, margin_m)``.

    ``kind`` is one of :data:`DEFECT_KINDS`; ``rules`` override the defaults
    (``max_open_length_m``, ``min_via_clearance_m``, ``min_line_clearance_m``,
    ``bridges_repairable``).
    """
    return _i._apply_rules(kind, length_m, via_distance_m, neighbour_distance_m, **rules)


def explain(image, pixel_size_m=None, model_class=None, min_defect_pixels=6, **rules):
    """Explain one defect image (a uint8/uint16 array, (H, W) or (H, W, 3)).

    ``pixel_size_m`` is required (images carry none of their own here; use the value
    :func:`load_image` returns). ``model_class`` ("Repairable", "Scrap" or "Uncertain"), when
    given, adds ``with_class``: the sentence plus how the model's class relates to the rules.
    ``rules`` override the repair rules (``max_open_length_m``, ``min_via_clearance_m``,
    ``min_line_clearance_m``, ``bridges_repairable``, ``via_adjacent_m``).

    Returns a dict: ``sentence``, ``verdict`` (``class``, ``reasons``, ``margin_m``),
    ``defect`` (kind, description, length_m, width_m, area_m2, orientation_deg, centre_x_m,
    centre_y_m, line_index, crossing, line_width_m, line_space_m, via_distance_m,
    neighbour_distance_m; None for distances with nothing to measure to), ``layout``
    (angle_deg, line_width_m, line_space_m, line_count, via_count) and ``pixel_size_m``.
    """
    text, with_class = _i._explain(image, pixel_size_m, min_defect_pixels, model_class, **rules)
    out = _json.loads(text)
    if model_class is not None:
        out["with_class"] = with_class
    return out


# ---- the classifier side ----

InputContract = _i.InputContract
preprocess = _i.preprocess
percentile = _i.percentile
softmax = _i.softmax
read_onnx_model_info = _i.read_onnx_model_info
load_model_spec = _i.load_model_spec
default_model_path = _i.default_model_path
onnxruntime_status = _i.onnxruntime_status
Classifier = _i.Classifier


def classify(images, model=None, backend="auto", threads=1, pixel_size_m=None):
    """One-shot twin of ``psw classify``: a result dict per image."""
    return Classifier(model=model, backend=backend, threads=threads).classify(
        images, pixel_size_m=pixel_size_m)
