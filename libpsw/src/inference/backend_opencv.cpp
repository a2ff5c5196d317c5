// The OpenCV dnn engine: always present (Debian's libopencv-dev 4.6).
#include <stdexcept>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>

#include "backends.hpp"

namespace psw::inference::detail {
namespace {

class OpenCvBackend final : public Backend {
 public:
  OpenCvBackend(const ModelSpec& spec, int threads) : spec_(spec) {
    // OpenCV prints its own parse diagnostics to stderr; psw reports the error itself.
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
    try {
      net_ = cv::dnn::readNetFromONNX(spec.path.string());
    } catch (const cv::Exception& e) {
      throw std::invalid_argument("OpenCV dnn cannot load ONNX model '" + spec.path.string() +
                                  "': " + e.what());
    }
    if (net_.empty()) {
      throw std::invalid_argument("OpenCV dnn loaded an empty network from '" + spec.path.string() +
                                  "'");
    }
    net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    cv::setNumThreads(threads);
  }

  std::string_view name() const override { return "opencv"; }

  std::vector<float> run(const float* batch, std::size_t n) override {
    const auto shape = input_shape(spec_, n);
    const int dims[4] = {static_cast<int>(shape[0]), static_cast<int>(shape[1]),
                         static_cast<int>(shape[2]), static_cast<int>(shape[3])};
    // cv::Mat wraps the caller's floats; setInput copies them into the network.
    const cv::Mat blob(4, dims, CV_32F, const_cast<float*>(batch));
    cv::Mat out;
    try {
      net_.setInput(blob, spec_.onnx.inputs[0].name);
      out = net_.forward(spec_.onnx.outputs[0].name);
    } catch (const cv::Exception& e) {
      throw std::runtime_error("OpenCV dnn failed to run '" + spec_.path.string() +
                               "': " + e.what());
    }
    if (out.type() != CV_32F || !out.isContinuous()) out = out.clone();
    out.convertTo(out, CV_32F);
    const float* p = out.ptr<float>();
    return std::vector<float>(p, p + out.total());
  }

 private:
  ModelSpec spec_;
  cv::dnn::Net net_;
};

}  // namespace

std::unique_ptr<Backend> make_opencv_backend(const ModelSpec& spec, int threads) {
  return std::make_unique<OpenCvBackend>(spec, threads);
}

}  // namespace psw::inference::detail
