"""Defect-image inference (``psw::inference``).

Classifier side:

- :class:`InputContract` and :func:`preprocess`: the normalisation a model expects (bit depth,
  resampling to the model's pixel size, flat-field, percentile contrast, mean/std); the
  training script calls this same function, so training and inference cannot drift apart;
- :class:`Classifier`: ``Classifier(model=None, backend="auto", threads=1)``;
  ``.classify(images)`` takes a uint8/uint16 NumPy image, a list of them, or the dicts
  returned by ``synthesize()``, and returns one dict per image (decision, label, confidence,
  probabilities, logits, backend); ``.logits(batch)`` runs the engine on preprocessed input;
- :func:`load_model_spec`, :func:`read_onnx_model_info`, :func:`onnxruntime_status`.

Pixel sizes are in metres (``pixel_size_m``).
"""

from ._psw import inference as _i

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
