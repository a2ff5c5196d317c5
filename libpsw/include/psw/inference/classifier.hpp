// The defect classifier: an ONNX model run by one of two engines behind one interface, with
// softmax, temperature scaling and a calibrated confidence threshold.
//
// For logits z of K classes and temperature T > 0 the probabilities are
//   p_k = exp(z_k / T) / Σ_j exp(z_j / T),
// the confidence is max_k p_k, and the decision is the argmax class when the confidence is at
// least the threshold τ, Uncertain otherwise. T and τ are fitted on a held-out calibration set
// (T minimises the negative log-likelihood; τ is the smallest threshold whose decided images
// reach the target coverage or accuracy stated with the model), so Uncertain means "the model
// is not sure", not a trained class, unless the model lists "Uncertain" among its classes.
//
// Engines (Backend): ONNX Runtime, loaded at run time with dlopen so psw builds and runs
// without it, and OpenCV's dnn module, always present. "auto" picks ONNX Runtime when its
// library loads and falls back to OpenCV otherwise, saying so once per process. The library is
// looked for at, in order: $PSW_ONNXRUNTIME_LIBRARY (only there, when set), the path CMake
// found at configure time (scripts/install-deps' cache or the user's own install), then the
// dynamic loader's search path (libonnxruntime.so.1, libonnxruntime.so).
//
// @note OpenCV's thread count is process-wide (cv::setNumThreads): two OpenCV-backed
//       classifiers with different thread counts share whichever was set last.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <psw/inference/image.hpp>
#include <psw/inference/onnx_model.hpp>
#include <psw/inference/preprocess.hpp>

namespace psw::inference {

/// Everything psw needs to know about a model besides its graph: read from the sidecar
/// `<model>.json` when there is one, else from the ONNX metadata entry "psw.model", else
/// derived from the graph's input shape with the documented defaults.
struct ModelSpec {
  std::filesystem::path path;
  OnnxModelInfo onnx;
  InputContract input;
  std::vector<std::string> classes;   ///< one name per logit
  double temperature = 1.0;           ///< (0, 100]
  double confidence_threshold = 0.0;  ///< [0, 1]; 0 decides everything
  std::string source;                 ///< "sidecar <file>", "ONNX metadata", "defaults"
  std::string card_json;              ///< the model card block ("card"), "{}" when absent
};

/// Reads the model's metadata and checks it against the graph: one float input of shape
/// [N, channels, height, width] (N may be symbolic), one output of [N, classes].
/// @throws std::invalid_argument naming the file for a bad file, bad metadata or a mismatch.
ModelSpec load_model_spec(const std::filesystem::path& model);

/// The model psw ships: data/models/psw_reference_v1.onnx.
std::filesystem::path default_model_path();

/// An inference engine: feeds a batch of preprocessed inputs, returns the logits.
class Backend {
 public:
  virtual ~Backend() = default;
  /// "onnxruntime" or "opencv".
  virtual std::string_view name() const = 0;
  /// `batch` holds n × channels × height × width floats (NCHW); returns n × classes logits.
  virtual std::vector<float> run(const float* batch, std::size_t n) = 0;
};

/// Whether ONNX Runtime's library loads, and from where (or why not).
struct OnnxRuntimeStatus {
  bool compiled_in = false;  ///< psw was built with onnxruntime_c_api.h
  bool loaded = false;
  std::string library;  ///< the file that loaded
  std::string version;  ///< ORT's own version string
  std::string message;  ///< why it did not load
};
OnnxRuntimeStatus onnxruntime_status();

/// Makes the engine `name` ("auto", "onnxruntime" or "opencv") for `spec` with `threads`
/// intra-op threads (≥ 1).
/// @throws std::invalid_argument for an unknown name or a model the engine rejects;
///         std::runtime_error when "onnxruntime" is asked for and its library does not load.
std::unique_ptr<Backend> make_backend(std::string_view name, const ModelSpec& spec, int threads);

/// Softmax of logits / temperature, computed stably (max subtracted first).
std::vector<double> softmax(const float* logits, std::size_t count, double temperature);

/// One image's result.
struct Classification {
  RepairClass decision = RepairClass::uncertain;
  std::string label;  ///< the argmax class name (what the model would say if forced)
  std::size_t class_index = 0;
  double confidence = 0.0;  ///< max probability after temperature scaling
  std::vector<double> probabilities;
  std::vector<float> logits;
  std::string backend;
};

/// Maps a class name to a decision: "Repairable" and "Scrap" (any case) to theirs, anything
/// else to Uncertain.
RepairClass decision_for(std::string_view class_name);

/// Decides one image from its logits (softmax with temperature, then the threshold).
Classification decide(const float* logits, const ModelSpec& spec, double temperature,
                      double threshold);

struct ClassifierOptions {
  std::filesystem::path model;                 ///< empty: default_model_path()
  std::string backend = "auto";                ///< auto | onnxruntime | opencv
  int threads = 1;                             ///< intra-op threads, [1, 256]
  std::size_t batch_size = 8;                  ///< images per engine call, [1, 1024]
  std::optional<double> temperature;           ///< overrides the model's
  std::optional<double> confidence_threshold;  ///< overrides the model's

  /// @throws std::invalid_argument naming each bad field.
  void validate() const;
};

class Classifier {
 public:
  explicit Classifier(ClassifierOptions options = {});
  ~Classifier();
  Classifier(Classifier&&) noexcept;
  Classifier& operator=(Classifier&&) noexcept;

  /// Preprocesses and classifies `images`, batch_size at a time.
  std::vector<Classification> classify(const std::vector<Image>& images);
  Classification classify(const Image& image);

  /// The raw engine call on preprocessed inputs (n × C × H × W floats): n × classes logits.
  std::vector<float> logits(const std::vector<float>& batch, std::size_t n);

  const ModelSpec& model() const;
  std::string_view backend_name() const;
  double temperature() const;
  double confidence_threshold() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace psw::inference
