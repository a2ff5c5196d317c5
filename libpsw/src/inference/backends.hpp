// The engines behind psw::inference::Backend, private to libpsw.
#pragma once

#include <psw/inference/classifier.hpp>

#include <memory>

namespace psw::inference::detail {

std::unique_ptr<Backend> make_opencv_backend(const ModelSpec& spec, int threads);

/// Throws std::runtime_error when the ONNX Runtime library does not load (the message says
/// where it looked), std::invalid_argument when ONNX Runtime rejects the model.
std::unique_ptr<Backend> make_onnxruntime_backend(const ModelSpec& spec, int threads);

/// The input tensor's dimensions for a batch of n.
inline std::vector<std::int64_t> input_shape(const ModelSpec& spec, std::size_t n) {
  return {static_cast<std::int64_t>(n), spec.input.channels, spec.input.height,
          spec.input.width};
}

}  // namespace psw::inference::detail
