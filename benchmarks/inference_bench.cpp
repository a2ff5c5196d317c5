// Per-image cost of the inference pipeline's classical parts, side by side: reading a PNG and
// a TIFF with psw's libpng/libtiff readers against OpenCV's imread of the same file (the
// baseline, which decodes the same bytes but drops the resolution metadata), explaining an
// image, and making a synthetic one. Read the ratios between rows of the same image size.
//
//   build/release/bin/inference_bench --benchmark_counters_tabular=true
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <opencv2/imgcodecs.hpp>

#include <psw/inference/explain.hpp>
#include <psw/inference/image.hpp>
#include <psw/inference/synth.hpp>

namespace {

namespace fs = std::filesystem;
using namespace psw::inference;

SynthSample sample(int size, std::uint64_t index = 0) {
  SynthOptions o;
  o.seed = 99;
  o.width_px = o.height_px = size;
  return synthesize(o, index);
}

// One file per size and format in the temp directory, written once.
fs::path file_for(int size, const std::string& ext) {
  const fs::path p =
      fs::temp_directory_path() / ("psw_inference_bench_" + std::to_string(size) + "." + ext);
  if (!fs::exists(p)) save_image(sample(size).image, p);
  return p;
}

void BM_LoadImage(benchmark::State& state, const char* ext) {
  const fs::path p = file_for(static_cast<int>(state.range(0)), ext);
  for (auto _ : state) {
    Image im = load_image(p);
    benchmark::DoNotOptimize(im.pixels.data());
  }
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_OpenCvImread(benchmark::State& state, const char* ext) {
  const fs::path p = file_for(static_cast<int>(state.range(0)), ext);
  for (auto _ : state) {
    cv::Mat m = cv::imread(p.string(), cv::IMREAD_UNCHANGED);
    benchmark::DoNotOptimize(m.data);
  }
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Explain(benchmark::State& state) {
  const SynthSample s = sample(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Explanation e = explain(s.image);
    benchmark::DoNotOptimize(e.defect.length_m);
  }
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Synthesize(benchmark::State& state) {
  SynthOptions o;
  o.width_px = o.height_px = static_cast<int>(state.range(0));
  std::uint64_t i = 0;
  for (auto _ : state) {
    SynthSample s = synthesize(o, i++);
    benchmark::DoNotOptimize(s.image.pixels.data());
  }
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(BM_LoadImage, png, "png")->Arg(128)->Arg(512)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_OpenCvImread, png, "png")->Arg(128)->Arg(512)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LoadImage, tiff, "tiff")->Arg(128)->Arg(512)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_OpenCvImread, tiff, "tiff")->Arg(128)->Arg(512)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Explain)->Arg(128)->Arg(512)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Synthesize)->Arg(128)->Arg(512)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
