// The gray phonon BTE across a slab (psw::thermal::solve_slab_bte), side by side: diffusion
// synthetic acceleration against plain source iteration on the same problem, at Kn = 0.01, 1
// and 100 (the argument is log₁₀ Kn). Read the `sweeps` counter (iterations to converge; plain
// iteration is capped at 20000 and `converged` says whether it got there) and the throughput
// `cell_ordinates/s` (cells × ordinates × sweeps per second), which should match between rows.
//
//   build/release/bin/bte_bench --benchmark_counters_tabular=true
#include <psw/thermal/phonon_bte.hpp>

#include <benchmark/benchmark.h>

#include <cmath>

namespace {

void run(benchmark::State& state, psw::thermal::BteAcceleration acceleration) {
  psw::thermal::SlabBteOptions o;
  o.thickness_m = 100e-9;
  o.phonons.mean_free_path_m = o.thickness_m * std::pow(10.0, static_cast<double>(state.range(0)));
  o.cells = 400;
  o.ordinates = 16;
  o.acceleration = acceleration;
  o.max_iterations = 20000;
  psw::thermal::SlabBteResult r;
  double sweeps = 0.0;
  for (auto _ : state) {
    r = psw::thermal::solve_slab_bte(o);
    sweeps += static_cast<double>(r.iterations);
    benchmark::DoNotOptimize(r.flux_ratio);
  }
  state.counters["sweeps"] = static_cast<double>(r.iterations);
  state.counters["converged"] = r.status == psw::thermal::BteStatus::converged ? 1.0 : 0.0;
  state.counters["cell_ordinates/s"] = benchmark::Counter(
      sweeps * static_cast<double>(o.cells * o.ordinates), benchmark::Counter::kIsRate);
}

void BM_SlabDsa(benchmark::State& state) { run(state, psw::thermal::BteAcceleration::dsa); }
void BM_SlabPlain(benchmark::State& state) { run(state, psw::thermal::BteAcceleration::none); }

}  // namespace

BENCHMARK(BM_SlabDsa)->Arg(-2)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SlabPlain)->Arg(-2)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
