// What psw reads from an ONNX file itself, before any engine sees it: the graph's inputs and
// outputs with their shapes, the opset, and the metadata_props (where a psw model carries its
// input contract, classes and calibration under the key "psw.model").
//
// Reading this first lets psw reject a missing, truncated or non-ONNX file, or a model with
// the wrong input shape, with a message naming the file, whichever engine would run it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace psw::inference {

/// A graph input or output. Dimensions that the file leaves symbolic ("batch") are −1.
struct OnnxTensorInfo {
  std::string name;
  int element_type = 0;  ///< ONNX TensorProto.DataType: 1 = float
  std::vector<std::int64_t> shape;
};

struct OnnxModelInfo {
  std::filesystem::path path;
  std::int64_t ir_version = 0;
  std::int64_t opset = 0;  ///< of the default ("" or "ai.onnx") domain
  std::string producer;
  /// Graph inputs that are not initializers (the tensors a caller feeds).
  std::vector<OnnxTensorInfo> inputs;
  std::vector<OnnxTensorInfo> outputs;
  std::map<std::string, std::string> metadata;
  std::size_t node_count = 0;
};

/// Parses the ONNX protobuf's outer structure (no tensor data is decoded).
/// @throws std::invalid_argument naming the file when it is missing, empty, truncated, not an
///         ONNX model, or has no graph, inputs or outputs.
OnnxModelInfo read_onnx_model_info(const std::filesystem::path& path);

}  // namespace psw::inference
