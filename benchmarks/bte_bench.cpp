// The gray phonon BTE across a slab (psw::thermal::solve_slab_bte), side by side: diffusion
// synthetic acceleration against plain source iteration on the same problem, at Kn = 0.01, 1
// and 100 (the argument is log₁₀ Kn). Read the `sweeps` counter (iterations to converge; plain
// iteration is capped at 20000 and `converged` says whether it got there) and the throughput
// `cell_ordinates/s` (cells × ordinates × sweeps per second), which should match between rows.
//
// The 2-D rows (BM_Box*) do the same on a 100 nm square, 40 × 40 cells, 4 × 16 directions, a
// centred hot spot and black walls, at Kn = 0.025 (cells one mean free path thick, the
// thickest DSA accepts), 1 and 100, and at Kn = 0.005 (cells 5 mean free paths thick, where the
// DSA is off and only GMRES is fast); the argument is Kn·1000. BM_BoxKrylov is the default
// (GMRES preconditioned by the DSA). Plain iteration is capped at 5000 sweeps here.
//
//   build/release/bin/bte_bench --benchmark_counters_tabular=true
#include <cmath>

#include <benchmark/benchmark.h>

#include <psw/thermal/phonon_bte.hpp>
#include <psw/thermal/phonon_bte_2d.hpp>

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

void run_box(benchmark::State& state, psw::thermal::BteAcceleration acceleration) {
  psw::thermal::Bte2dOptions o;
  o.width_m = o.height_m = 100e-9;
  o.cells_x = o.cells_y = 40;
  o.phonons.mean_free_path_m = o.width_m * static_cast<double>(state.range(0)) * 1e-3;
  o.polar = 4;
  o.azimuths = 16;
  psw::thermal::HeatBox2d spot;
  spot.x0_m = spot.y0_m = 40e-9;
  spot.x1_m = spot.y1_m = 60e-9;
  spot.power_W_per_m3 = 1e16;
  o.heat.push_back(spot);
  o.acceleration = acceleration;
  o.max_iterations = 5000;
  psw::thermal::Bte2dResult r;
  double sweeps = 0.0;
  for (auto _ : state) {
    r = psw::thermal::solve_bte_2d(o);
    sweeps += static_cast<double>(r.iterations);
    benchmark::DoNotOptimize(r.T_K.data());
  }
  state.counters["sweeps"] = static_cast<double>(r.iterations);
  state.counters["converged"] = r.status == psw::thermal::BteStatus::converged ? 1.0 : 0.0;
  state.counters["cell_ordinates/s"] =
      benchmark::Counter(sweeps * static_cast<double>(o.cells_x * o.cells_y * o.polar * o.azimuths),
                         benchmark::Counter::kIsRate);
}

void BM_BoxDsa(benchmark::State& state) { run_box(state, psw::thermal::BteAcceleration::dsa); }
void BM_BoxPlain(benchmark::State& state) { run_box(state, psw::thermal::BteAcceleration::none); }
void BM_BoxKrylov(benchmark::State& state) {
  run_box(state, psw::thermal::BteAcceleration::krylov);
}

}  // namespace

BENCHMARK(BM_BoxKrylov)->Arg(5)->Arg(25)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BoxDsa)->Arg(5)->Arg(25)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BoxPlain)->Arg(5)->Arg(25)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SlabDsa)->Arg(-2)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SlabPlain)->Arg(-2)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
