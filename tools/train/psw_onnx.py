"""ONNX export helpers shared by psw's training and export scripts.

- :func:`export` writes a torch module to ONNX at an opset OpenCV 4.6's dnn importer reads,
  with a symbolic batch dimension;
- :func:`remove_identity_nodes` rewires and drops ``Identity`` nodes. torch 1.13 emits them
  when two BatchNorm parameters hold equal tensors (it de-duplicates the initializer and
  aliases the second name through an Identity), and OpenCV 4.6 refuses an Identity whose input
  is an initializer ("Identity: can't find layer input");
- :func:`set_psw_metadata` stores the model's psw metadata (input contract, classes,
  temperature, threshold, card) in ``metadata_props["psw.model"]``.
"""

import io
import json

import onnx

OPSET = 13  # OpenCV 4.6's importer supports opsets up to 13 for the operators used here


def export(module, example, path, input_name="image", output_name="logits"):
    """Exports ``module`` (eval mode) for inputs like ``example`` (N, C, H, W) to ``path``."""
    import torch

    module.eval()
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(module, example, buffer, opset_version=OPSET,
                          input_names=[input_name], output_names=[output_name],
                          dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"}},
                          do_constant_folding=True)
    model = onnx.load_model_from_string(buffer.getvalue())
    removed = remove_identity_nodes(model)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return model, removed


def remove_identity_nodes(model):
    """Drops every Identity node whose output is not a graph output, pointing its consumers
    at its input instead. Returns how many were removed."""
    graph = model.graph
    outputs = {o.name for o in graph.output}
    alias = {}
    keep = []
    for node in graph.node:
        if node.op_type == "Identity" and node.output[0] not in outputs:
            alias[node.output[0]] = node.input[0]
        else:
            keep.append(node)

    def resolve(name):
        while name in alias:
            name = alias[name]
        return name

    for node in keep:
        for i, name in enumerate(node.input):
            node.input[i] = resolve(name)
    del graph.node[:]
    graph.node.extend(keep)
    return len(alias)


def set_psw_metadata(model, metadata):
    """Stores ``metadata`` (a dict) as JSON under metadata_props["psw.model"]."""
    for prop in list(model.metadata_props):
        if prop.key == "psw.model":
            model.metadata_props.remove(prop)
    entry = model.metadata_props.add()
    entry.key = "psw.model"
    entry.value = json.dumps(metadata, sort_keys=True)
