// Defect-image inference, per image: preprocessing (a 128 × 128 8-bit image to the reference
// model's 64 × 64 input), and the engine call on preprocessed input for the reference model and
// ResNet-50 (3-class head), on each engine, at batch 1 and 8.
//
// The peer is PyTorch on the same models and inputs: benchmarks/classifier_bench.py runs this
// program and PyTorch in the same run and prints the per-image latencies side by side with
// their ratios. Alone:
//
//   build/release/bin/classifier_bench --benchmark_counters_tabular=true
//
// ResNet-50 is read from $PSW_RESNET50_ONNX, else <build>/models/resnet50_3class.onnx (the
// pytest fixture and classifier_bench.py write it with tools/train/export_resnet50.py); its
// rows are skipped with a message when it is absent. Engines use $PSW_BENCH_THREADS threads
// (default 1), as does PyTorch in classifier_bench.py.
//
// Explanation, image reading and generation have their rows in inference_bench;
// classifier_bench.py runs that program too and prints the explanation beside the rest.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <psw/inference/classifier.hpp>
#include <psw/inference/preprocess.hpp>

namespace {

namespace inf = psw::inference;

int threads() {
  const char* env = std::getenv("PSW_BENCH_THREADS");
  return env && *env ? std::atoi(env) : 1;
}

std::filesystem::path model_path(const std::string& model) {
  if (model == "reference") return inf::default_model_path();
  if (const char* env = std::getenv("PSW_RESNET50_ONNX"); env && *env) return env;
  return std::filesystem::path(PSW_BINARY_DIR) / "models" / "resnet50_3class.onnx";
}

// A deterministic stand-in for an RDL image: lines, a gap, noise.
inf::Image test_image(int size) {
  inf::Image im;
  im.width = im.height = size;
  im.pixel_size_m = 0.1875e-6;
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0.0, 6.0);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const bool line = (y / 12) % 2 == 0 && !(x > 60 && x < 68);
      const double v = (line ? 190.0 : 40.0) + noise(rng);
      im.pixels.push_back(static_cast<std::uint16_t>(std::clamp(v, 0.0, 255.0)));
    }
  }
  return im;
}

void BM_Preprocess(benchmark::State& state) {
  const inf::Image image = test_image(static_cast<int>(state.range(0)));
  inf::InputContract contract;
  try {
    contract = inf::load_model_spec(model_path("reference")).input;
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  std::vector<float> out(static_cast<std::size_t>(contract.width * contract.height));
  for (auto _ : state) {
    inf::preprocess_into(image, contract, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("reference contract, " + std::to_string(state.range(0)) + " px image");
}
BENCHMARK(BM_Preprocess)->Arg(128)->Arg(512)->Unit(benchmark::kMicrosecond);

// One classifier per (model, engine), made once: loading is not what is measured.
inf::Classifier& classifier(const std::string& model, const std::string& engine) {
  static std::map<std::string, std::unique_ptr<inf::Classifier>> cache;
  auto& c = cache[model + "/" + engine];
  if (!c) {
    inf::ClassifierOptions o;
    o.model = model_path(model);
    o.backend = engine;
    o.threads = threads();
    c = std::make_unique<inf::Classifier>(o);
  }
  return *c;
}

void classify(benchmark::State& state, const std::string& model, const std::string& engine) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::filesystem::path path;
  try {
    path = model_path(model);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  if (!std::filesystem::exists(path)) {
    state.SkipWithError(("no " + path.string() + "; run tools/train/export_resnet50.py").c_str());
    return;
  }
  if (engine == "onnxruntime" && !inf::onnxruntime_status().loaded) {
    state.SkipWithError(("ONNX Runtime unavailable: " + inf::onnxruntime_status().message).c_str());
    return;
  }
  inf::Classifier& c = classifier(model, engine);
  const auto& in = c.model().input;
  std::vector<float> batch(n * static_cast<std::size_t>(in.channels * in.height * in.width));
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0.0f, 1.0f);
  for (float& v : batch) v = g(rng);
  for (auto _ : state) {
    auto z = c.logits(batch, n);
    benchmark::DoNotOptimize(z.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.counters["per_image_ms"] = benchmark::Counter(
      static_cast<double>(n) * 1e-3, benchmark::Counter::kIsIterationInvariantRate |
                                         benchmark::Counter::kInvert);
}

void BM_Reference_OpenCV(benchmark::State& s) { classify(s, "reference", "opencv"); }
void BM_Reference_OnnxRuntime(benchmark::State& s) { classify(s, "reference", "onnxruntime"); }
void BM_ResNet50_OpenCV(benchmark::State& s) { classify(s, "resnet50", "opencv"); }
void BM_ResNet50_OnnxRuntime(benchmark::State& s) { classify(s, "resnet50", "onnxruntime"); }
BENCHMARK(BM_Reference_OpenCV)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Reference_OnnxRuntime)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ResNet50_OpenCV)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ResNet50_OnnxRuntime)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
