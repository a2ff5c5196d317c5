// Two-temperature model speed, side by side in one run:
// - psw's CVODE/banded run of the Qiu & Tien gold case at 400 and 4000 cells;
// - a simple explicit (forward-Euler) reference stepper on the same grid, at its stability limit;
// - 3-D runs of a Gaussian spot at 64³ and 128³ cells (GMRES + column preconditioner);
// - a STREAM-style triad measuring this machine's memory bandwidth.
// Compare cell-steps per second with the explicit stepper, and the steps each needs for the same
// 5.3 ps (counter `steps`): the implicit solver takes far fewer, far costlier steps.
//
//   build/release/bin/thermal_bench --benchmark_counters_tabular=true
#include <psw/core/config.hpp>
#include <psw/core/data_dir.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

psw::thermal::TtmCase gold_case(long cells) {
  auto root = psw::Config::load_file(psw::data_file("cases/qiu_tien_gold_100nm.yaml"));
  root.set("ttm.layers[0].cells", std::to_string(cells));
  root.set("ttm.time.output_every_fs", "100");
  return psw::thermal::TtmCase::from_config(root);
}

void BM_TtmCvode(benchmark::State& state) {
  const auto c = gold_case(state.range(0));
  long steps = 0;
  for (auto _ : state) {
    const auto r = psw::thermal::run_ttm(c);
    steps = r.steps;
    benchmark::DoNotOptimize(r.Te_K.data());
  }
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["cell-steps/s"] = benchmark::Counter(
      static_cast<double>(steps * state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

// Forward Euler on the same finite-volume grid (constant-in-step coefficients), for a fixed
// number of steps at the explicit stability limit dt = h²·γT₀/(2k₀).
void BM_ExplicitReference(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const double L = 100e-9, h = L / static_cast<double>(n);
  const double gamma = 70, cl = 2.5e6, G = 2.6e16, k0 = 315;
  const double dt = 0.9 * h * h * gamma * 300.0 / (2.0 * k0);
  std::vector<double> te(n, 300.0), tl(n, 300.0), flux(n + 1, 0.0);
  for (std::size_t i = 0; i < n / 10; ++i) te[i] = 1000.0;
  constexpr int kSteps = 200;
  for (auto _ : state) {
    for (int s = 0; s < kSteps; ++s) {
      for (std::size_t i = 1; i < n; ++i) {
        const double k = k0 * 0.5 * (te[i] / tl[i] + te[i - 1] / tl[i - 1]);
        flux[i] = -k * (te[i] - te[i - 1]) / h;
      }
      for (std::size_t i = 0; i < n; ++i) {
        const double exchange = G * (te[i] - tl[i]);
        te[i] += dt * ((flux[i] - flux[i + 1]) / h - exchange) / (gamma * te[i]);
        tl[i] += dt * exchange / cl;
      }
    }
    benchmark::DoNotOptimize(te.data());
  }
  state.counters["steps"] = std::ceil(5.3e-12 / dt);  // steps needed for the same 5.3 ps
  state.counters["cell-steps/s"] = benchmark::Counter(
      static_cast<double>(kSteps * n) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

// 3-D: a Gaussian spot on Cu over polyimide, n × n lateral cells × n depth cells, 2 ps.
void BM_Ttm3D(benchmark::State& state) {
  const long n = state.range(0);
  const std::string text = "ttm:\n  layers:\n    - {material: Cu, thickness_nm: 400, cells: " +
                           std::to_string(n * 3 / 4) + ", first_cell_nm: 2}\n"
                           "    - {material: polyimide, thickness_nm: 400, cells: " +
                           std::to_string(n / 4) + "}\n"
                           "  geometry: {kind: cartesian, size_x_um: 4, size_y_um: 4, cells_x: " +
                           std::to_string(n) + ", cells_y: " + std::to_string(n) +
                           ", spot_radius_um: 1}\n"
                           "  source: {fluence_J_per_m2: 200, pulse_fwhm_fs: 300, "
                           "reflectivity: 0.6, penetration_depth_nm: 13}\n"
                           "  time: {start_fs: -1500, end_ps: 2, output_every_ps: 3.5}\n";
  const auto c = psw::thermal::TtmCase::from_config(psw::Config::parse(text, "bench"));
  long steps = 0;
  for (auto _ : state) {
    const auto r = psw::thermal::run_ttm(c);
    steps = r.steps;
    benchmark::DoNotOptimize(r.Te_K.data());
  }
  const double cells = static_cast<double>(n * n * n);
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["cell-steps/s"] = benchmark::Counter(
      cells * static_cast<double>(steps) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

// a[i] = b[i] + s·c[i] over arrays far larger than the caches: 24 bytes per element.
void BM_MemoryBandwidthTriad(benchmark::State& state) {
  const std::size_t n = 1 << 23;  // 3 × 64 MiB
  std::vector<double> a(n, 1.0), b(n, 2.0), c(n, 3.0);
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + 1.5 * c[i];
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n) *
                          24);
}

}  // namespace

BENCHMARK(BM_TtmCvode)->Arg(400)->Arg(4000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Ttm3D)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_ExplicitReference)->Arg(400)->Arg(4000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MemoryBandwidthTriad)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
