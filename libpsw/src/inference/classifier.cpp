#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include <psw/core/data_dir.hpp>
#include <psw/core/error.hpp>
#include <psw/core/log.hpp>
#include <psw/inference/classifier.hpp>

#include "backends.hpp"

namespace psw::inference {
namespace {

using Json = nlohmann::json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    s += (i ? ", " : "") + (shape[i] < 0 ? std::string("?") : std::to_string(shape[i]));
  }
  return s + "]";
}

// Applies the psw.model JSON (sidecar or metadata) to `spec`.
void apply_model_json(const std::string& text, const std::string& where, ModelSpec& spec) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    throw std::invalid_argument(where + " is not valid JSON (" + e.what() + ")");
  }
  if (!j.is_object()) throw std::invalid_argument(where + " is not a JSON object");
  try {
    for (const auto& [key, value] : j.items()) {
      if (key == "format") {
        if (value.get<std::string>() != "psw.model/1") {
          throw std::invalid_argument(where + ": format = '" + value.get<std::string>() +
                                      "' is not 'psw.model/1'");
        }
      } else if (key == "name" || key == "card") {
        // Descriptive: the model card (training data, figures) is kept for reports.
        if (key == "card") spec.card_json = value.dump();
      } else if (key == "classes") {
        spec.classes = value.get<std::vector<std::string>>();
      } else if (key == "input") {
        spec.input = InputContract::from_json(value.dump(), where);
      } else if (key == "temperature") {
        spec.temperature = value.get<double>();
      } else if (key == "confidence_threshold") {
        spec.confidence_threshold = value.get<double>();
      } else {
        throw std::invalid_argument(where + ": unknown key '" + key +
                                    "' (known: format, name, "
                                    "classes, input, temperature, confidence_threshold, card)");
      }
    }
  } catch (const Json::exception& e) {
    throw std::invalid_argument(where + " has a value of the wrong type (" + e.what() + ")");
  }
  if (!(spec.temperature > 0.0 && spec.temperature <= 100.0)) {
    throw std::invalid_argument(
        where + ": " +
        out_of_range_message("temperature", spec.temperature, Range::open_closed(0, 100)));
  }
  if (!Range::closed(0, 1).contains(spec.confidence_threshold)) {
    throw std::invalid_argument(where + ": " +
                                out_of_range_message("confidence_threshold",
                                                     spec.confidence_threshold,
                                                     Range::closed(0, 1)));
  }
}

}  // namespace

// ---- model metadata -----------------------------------------------------------------------------

std::filesystem::path default_model_path() { return data_file("models/psw_reference_v1.onnx"); }

ModelSpec load_model_spec(const std::filesystem::path& model) {
  ModelSpec spec;
  spec.path = model;
  spec.onnx = read_onnx_model_info(model);
  spec.card_json = "{}";
  const std::string where = "ONNX model '" + model.string() + "'";

  // The graph: one float input [N, C, H, W], one output [N, K].
  if (spec.onnx.inputs.size() != 1) {
    throw std::invalid_argument(where + " has " + std::to_string(spec.onnx.inputs.size()) +
                                " inputs; psw classifiers take one image tensor");
  }
  const OnnxTensorInfo& in = spec.onnx.inputs[0];
  const OnnxTensorInfo& out = spec.onnx.outputs[0];
  if (in.element_type != 1 || in.shape.size() != 4) {
    throw std::invalid_argument(where + ": input '" + in.name + "' has shape " +
                                shape_text(in.shape) + " of element type " +
                                std::to_string(in.element_type) +
                                "; expected float (1) [N, channels, height, width]");
  }
  if (out.shape.size() != 2) {
    throw std::invalid_argument(where + ": output '" + out.name + "' has shape " +
                                shape_text(out.shape) + "; expected [N, classes]");
  }

  // The metadata: sidecar first, then the ONNX metadata entry, then defaults from the graph.
  std::filesystem::path sidecar = model;
  sidecar.replace_extension(".json");
  if (std::filesystem::is_regular_file(sidecar)) {
    std::ifstream f(sidecar);
    std::stringstream text;
    text << f.rdbuf();
    apply_model_json(text.str(), "model metadata '" + sidecar.string() + "'", spec);
    spec.source = "sidecar " + sidecar.string();
  } else if (auto it = spec.onnx.metadata.find("psw.model"); it != spec.onnx.metadata.end()) {
    apply_model_json(it->second, where + " metadata 'psw.model'", spec);
    spec.source = "ONNX metadata";
  } else {
    if (in.shape[1] <= 0 || in.shape[2] <= 0 || in.shape[3] <= 0) {
      throw std::invalid_argument(where + ": input shape " + shape_text(in.shape) +
                                  " has symbolic channels or size and the model carries no "
                                  "psw input contract (sidecar " +
                                  sidecar.string() + ")");
    }
    spec.input.channels = static_cast<int>(in.shape[1]);
    spec.input.height = static_cast<int>(in.shape[2]);
    spec.input.width = static_cast<int>(in.shape[3]);
    spec.source = "defaults";
    log::warn_once("psw.inference.no_contract." + model.string(),
                   where +
                       " carries no psw input contract; using defaults (1-99 percentile "
                       "contrast to [0, 1], temperature 1, no Uncertain threshold)");
  }

  // The contract and the graph must agree.
  const std::int64_t dims[3] = {spec.input.channels, spec.input.height, spec.input.width};
  const char* names[3] = {"channels", "height", "width"};
  for (int i = 0; i < 3; ++i) {
    if (in.shape[i + 1] >= 0 && in.shape[i + 1] != dims[i]) {
      throw std::invalid_argument(where + ": input '" + in.name + "' has shape " +
                                  shape_text(in.shape) + " but the input contract says " +
                                  names[i] + " = " + std::to_string(dims[i]));
    }
  }
  const std::int64_t k = out.shape[1];
  if (spec.classes.empty()) {
    if (k <= 0) throw std::invalid_argument(where + ": output classes are symbolic and unnamed");
    for (std::int64_t i = 0; i < k; ++i) spec.classes.push_back("class" + std::to_string(i));
  } else if (k >= 0 && k != static_cast<std::int64_t>(spec.classes.size())) {
    throw std::invalid_argument(where + ": output '" + out.name + "' has " + std::to_string(k) +
                                " classes but the metadata names " +
                                std::to_string(spec.classes.size()));
  }
  if (spec.classes.size() < 2) {
    throw std::invalid_argument(where + " names fewer than 2 classes");
  }
  return spec;
}

// ---- decisions ----------------------------------------------------------------------------------

std::vector<double> softmax(const float* logits, std::size_t count, double temperature) {
  require_in_range("temperature", temperature, Range::positive());
  std::vector<double> p(count);
  if (count == 0) return p;

  // p_k = exp((z_k − max z) / T) / Σ_j exp((z_j − max z) / T)
  const double top = *std::max_element(logits, logits + count);
  double sum = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    p[i] = std::exp((logits[i] - top) / temperature);
    sum += p[i];
  }
  for (double& v : p) v /= sum;
  return p;
}

RepairClass decision_for(std::string_view class_name) {
  const std::string n = lower(class_name);
  if (n == "repairable") return RepairClass::repairable;
  if (n == "scrap") return RepairClass::scrap;
  return RepairClass::uncertain;
}

Classification decide(const float* logits, const ModelSpec& spec, double temperature,
                      double threshold) {
  Classification c;
  const std::size_t k = spec.classes.size();
  for (std::size_t i = 0; i < k; ++i) {
    if (!std::isfinite(logits[i])) {
      throw std::runtime_error("model '" + spec.path.string() + "' returned a non-finite logit");
    }
  }
  c.logits.assign(logits, logits + k);
  c.probabilities = softmax(logits, k, temperature);
  c.class_index = static_cast<std::size_t>(
      std::max_element(c.probabilities.begin(), c.probabilities.end()) - c.probabilities.begin());
  c.confidence = c.probabilities[c.class_index];
  c.label = spec.classes[c.class_index];
  c.decision = c.confidence >= threshold ? decision_for(c.label) : RepairClass::uncertain;
  return c;
}

// ---- engines ------------------------------------------------------------------------------------

std::unique_ptr<Backend> make_backend(std::string_view name, const ModelSpec& spec, int threads) {
  require_in_range("threads", threads, Range::closed(1, 256));
  if (name == "opencv") return detail::make_opencv_backend(spec, threads);
  if (name == "onnxruntime") return detail::make_onnxruntime_backend(spec, threads);
  if (name != "auto") {
    throw std::invalid_argument("backend = '" + std::string(name) +
                                "' is not one of auto, onnxruntime, opencv");
  }
  const OnnxRuntimeStatus ort = onnxruntime_status();
  if (ort.loaded) return detail::make_onnxruntime_backend(spec, threads);
  log::warn_once("psw.inference.fallback",
                 "ONNX Runtime unavailable (" + ort.message + "); falling back to OpenCV dnn");
  return detail::make_opencv_backend(spec, threads);
}

// ---- the classifier -----------------------------------------------------------------------------

void ClassifierOptions::validate() const {
  std::string problems;
  auto add = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  if (backend != "auto" && backend != "onnxruntime" && backend != "opencv") {
    add("backend = '" + backend + "' is not one of auto, onnxruntime, opencv");
  }
  if (!Range::closed(1, 256).contains(threads)) {
    add(out_of_range_message("threads", threads, Range::closed(1, 256)));
  }
  if (!Range::closed(1, 1024).contains(static_cast<double>(batch_size))) {
    add(out_of_range_message("batch_size", static_cast<double>(batch_size),
                             Range::closed(1, 1024)));
  }
  if (temperature && !Range::open_closed(0, 100).contains(*temperature)) {
    add(out_of_range_message("temperature", *temperature, Range::open_closed(0, 100)));
  }
  if (confidence_threshold && !Range::closed(0, 1).contains(*confidence_threshold)) {
    add(out_of_range_message("confidence_threshold", *confidence_threshold, Range::closed(0, 1)));
  }
  if (!problems.empty()) throw std::invalid_argument(problems);
}

struct Classifier::Impl {
  ClassifierOptions options;
  ModelSpec spec;
  std::unique_ptr<Backend> backend;
  bool fixed_batch_of_one = false;
};

Classifier::Classifier(ClassifierOptions options) : impl_(std::make_unique<Impl>()) {
  options.validate();
  if (options.model.empty()) options.model = default_model_path();
  impl_->spec = load_model_spec(options.model);
  impl_->backend = make_backend(options.backend, impl_->spec, options.threads);
  impl_->fixed_batch_of_one = impl_->spec.onnx.inputs[0].shape[0] == 1;
  impl_->options = std::move(options);
  log::telemetry(log::Level::debug, "classifier_ready",
                 {{"model", impl_->spec.path.string()},
                  {"backend", impl_->backend->name()},
                  {"threads", impl_->options.threads},
                  {"metadata", impl_->spec.source}});
}

Classifier::~Classifier() = default;
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;

const ModelSpec& Classifier::model() const { return impl_->spec; }
std::string_view Classifier::backend_name() const { return impl_->backend->name(); }
double Classifier::temperature() const {
  return impl_->options.temperature.value_or(impl_->spec.temperature);
}
double Classifier::confidence_threshold() const {
  return impl_->options.confidence_threshold.value_or(impl_->spec.confidence_threshold);
}

std::vector<float> Classifier::logits(const std::vector<float>& batch, std::size_t n) {
  const InputContract& c = impl_->spec.input;
  const std::size_t per = static_cast<std::size_t>(c.channels) * c.height * c.width;
  if (batch.size() != n * per) {
    throw std::invalid_argument(
        "batch holds " + std::to_string(batch.size()) +
        " floats, expected n x channels x height x width = " + std::to_string(n * per));
  }
  if (!impl_->fixed_batch_of_one || n <= 1) return impl_->backend->run(batch.data(), n);

  // A model exported with a fixed batch of one runs image by image.
  std::vector<float> out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto z = impl_->backend->run(batch.data() + i * per, 1);
    out.insert(out.end(), z.begin(), z.end());
  }
  return out;
}

std::vector<Classification> Classifier::classify(const std::vector<Image>& images) {
  const InputContract& c = impl_->spec.input;
  const std::size_t per = static_cast<std::size_t>(c.channels) * c.height * c.width;
  const std::size_t k = impl_->spec.classes.size();
  std::vector<Classification> results;
  results.reserve(images.size());
  for (std::size_t first = 0; first < images.size(); first += impl_->options.batch_size) {
    const std::size_t n = std::min(impl_->options.batch_size, images.size() - first);

    // Preprocess the batch into one NCHW tensor, run it, decide each image.
    std::vector<float> batch(n * per);
    for (std::size_t i = 0; i < n; ++i) {
      preprocess_into(images[first + i], c, batch.data() + i * per);
    }
    const std::vector<float> z = logits(batch, n);
    if (z.size() != n * k) {
      throw std::runtime_error("model '" + impl_->spec.path.string() + "' returned " +
                               std::to_string(z.size()) + " logits for " + std::to_string(n) +
                               " images of " + std::to_string(k) + " classes");
    }
    for (std::size_t i = 0; i < n; ++i) {
      Classification r =
          decide(z.data() + i * k, impl_->spec, temperature(), confidence_threshold());
      r.backend = std::string(impl_->backend->name());
      results.push_back(std::move(r));
    }
  }
  return results;
}

Classification Classifier::classify(const Image& image) {
  return classify(std::vector<Image>{image}).front();
}

}  // namespace psw::inference
