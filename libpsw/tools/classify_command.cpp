// `psw classify IMAGE... [--model M.onnx] [--backend auto|onnxruntime|opencv] [--threads N]
//  [--pixel-size-um X] [--json]`: Repairable / Scrap / Uncertain for each defect image.
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <psw/core/error.hpp>
#include <psw/core/log.hpp>
#include <psw/inference/classifier.hpp>
#include <psw/inference/explain.hpp>
#include <psw/inference/image.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

struct ClassifyOptions {
  std::vector<std::string> images;
  std::string model;
  std::string backend = "auto";
  int threads = 1;
  std::size_t batch_size = 8;
  std::optional<double> pixel_size_um;
  bool json = false;
};

// The explanation in words beside the model's class (psw::inference::explain with the default
// repair rules); none, with a warning, for an image that cannot be explained (no pixel size).
std::optional<std::string> explanation_for(const inference::Image& image,
                                           const inference::Classification& result) {
  try {
    const inference::Explanation e = inference::explain(image);
    return inference::explain_with_class(e, result.decision);
  } catch (const std::invalid_argument& err) {
    log::warn(std::string("no explanation for '") + image.source + "': " + err.what());
    return std::nullopt;
  }
}

}  // namespace

Command add_classify_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "classify", "Classify defect images as Repairable, Scrap or Uncertain (ONNX model)");
  auto o = std::make_shared<ClassifyOptions>();
  cmd->add_option("images", o->images, "PNG or TIFF images (8/16-bit, grey or RGB)")->required();
  cmd->add_option("--model", o->model,
                  "ONNX model (default: psw's reference model, data/models/psw_reference_v1.onnx)");
  cmd->add_option("--backend", o->backend,
                  "auto (ONNX Runtime if it loads, else OpenCV), "
                  "onnxruntime or opencv")
      ->check(CLI::IsMember({"auto", "onnxruntime", "opencv"}));
  cmd->add_option("--threads", o->threads, "Engine threads (default 1)")->check(CLI::Range(1, 256));
  cmd->add_option("--batch-size", o->batch_size, "Images per engine call (default 8)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--pixel-size-um", o->pixel_size_um,
                  "Pixel size in micrometres, for images whose files do not state it");
  cmd->add_flag("--json", o->json, "One JSON document on stdout instead of text");

  return {cmd, [o] {
            if (o->pixel_size_um) {
              require_in_range("--pixel-size-um", *o->pixel_size_um, Range::open_closed(0, 1000));
            }
            inference::ClassifierOptions copt;
            if (!o->model.empty()) copt.model = o->model;
            copt.backend = o->backend;
            copt.threads = o->threads;
            copt.batch_size = o->batch_size;
            inference::Classifier classifier(copt);

            // Load every image first, so a bad file stops the run before any result is printed.
            std::vector<inference::Image> images;
            for (const std::string& path : o->images) {
              inference::Image im = inference::load_image(path);
              if (o->pixel_size_um) im.pixel_size_m = *o->pixel_size_um * 1e-6;
              images.push_back(std::move(im));
            }
            const auto results = classifier.classify(images);

            const auto& spec = classifier.model();
            nlohmann::json out{{"model", spec.path.string()},
                               {"backend", classifier.backend_name()},
                               {"temperature", classifier.temperature()},
                               {"confidence_threshold", classifier.confidence_threshold()},
                               {"results", nlohmann::json::array()}};
            for (std::size_t i = 0; i < results.size(); ++i) {
              const auto& r = results[i];
              const auto sentence = explanation_for(images[i], r);
              nlohmann::json probabilities;
              for (std::size_t k = 0; k < spec.classes.size(); ++k) {
                probabilities[spec.classes[k]] = r.probabilities[k];
              }
              out["results"].push_back({{"image", o->images[i]},
                                        {"decision", inference::to_string(r.decision)},
                                        {"label", r.label},
                                        {"confidence", r.confidence},
                                        {"probabilities", probabilities},
                                        {"explanation", sentence ? nlohmann::json(*sentence)
                                                                 : nlohmann::json(nullptr)}});
              if (!o->json) {
                std::printf("%s: %s (confidence %.3f%s)\n", o->images[i].c_str(),
                            std::string(inference::to_string(r.decision)).c_str(), r.confidence,
                            r.decision == inference::RepairClass::uncertain
                                ? (", most likely " + r.label).c_str()
                                : "");
                if (sentence) std::printf("  %s\n", sentence->c_str());
              }
            }
            if (o->json) {
              std::printf("%s\n", out.dump(2).c_str());
            } else {
              std::printf("model %s, backend %s, threshold %.3f\n", spec.path.string().c_str(),
                          std::string(classifier.backend_name()).c_str(),
                          classifier.confidence_threshold());
            }
            return 0;
          }};
}

}  // namespace psw::cli
