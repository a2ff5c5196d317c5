// Droplet trajectories per second in the landing Monte Carlo: the adaptive Dormand–Prince
// integrator against a fixed-step RK4 baseline whose step is chosen, in this run, to land as
// accurately as the adaptive one (rms landing error against a tight reference on the same
// droplets). Read the ratio of the rows of one size; the counters give the errors and steps.
//
//   build/release/bin/electrospray_bench --benchmark_counters_tabular=true
//   build/release/bin/electrospray_bench --benchmark_filter=/1000000   # 10⁶ droplets
#include <cmath>
#include <vector>

#include <benchmark/benchmark.h>

#include <psw/electrospray/electrospray_case.hpp>

namespace {

using namespace psw::electrospray;

// The example case of data/electrospray/cases/ag_rdl_repair.yaml, without Brownian motion
// (so that landing errors measure the integrator alone).
struct Setup {
  Ink ink = builtin_ink("ag-np-eg");
  EmitterGeometry emitter{5e-6, 200e-6};
  EmitterField field{EmitterShape::hyperboloid, emitter, 600.0};
  Gas gas;
  SprayLaunch launch;
  FlightOptions adaptive;
  FlightOptions rk4;
  double adaptive_error_m = 0.0, rk4_error_m = 0.0;

  Setup() {
    ElectrosprayCase c;
    c.ink = ink;
    c.emitter = emitter;
    c.voltage_V = 600.0;
    c.flow_m3_per_s = 2e-12;
    const ConeJetResult window = analyse_cone_jet(ink, emitter, 600.0, 2e-12, c.law);
    launch = derive_launch(c, window);
    adaptive.brownian = false;

    // Reference landings, then the RK4 step that matches the adaptive error.
    FlightOptions tight = adaptive;
    tight.relative_tolerance = 1e-12;
    tight.position_tolerance_m = 1e-18;
    tight.velocity_tolerance_m_per_s = 1e-12;
    const std::vector<double> ref = landings(tight, 200);
    adaptive_error_m = rms_error(landings(adaptive, 200), ref);
    rk4 = adaptive;
    rk4.integrator = Integrator::rk4;
    for (rk4.rk4_step_s = 1e-7; rk4.rk4_step_s > 1e-13; rk4.rk4_step_s *= 0.7) {
      rk4_error_m = rms_error(landings(rk4, 200), ref);
      if (rk4_error_m <= adaptive_error_m) break;
    }
  }

  SprayResult spray(const FlightOptions& flight, std::size_t n) const {
    SprayOptions o;
    o.droplets = n;
    o.threads = 1;
    return simulate_spray(field, ink, gas, flight, launch, o);
  }
  std::vector<double> landings(const FlightOptions& flight, std::size_t n) const {
    const SprayResult r = spray(flight, n);
    std::vector<double> xy(r.x_m);
    xy.insert(xy.end(), r.y_m.begin(), r.y_m.end());
    return xy;
  }
  static double rms_error(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(sum / static_cast<double>(a.size()));
  }
};

const Setup& setup() {
  static const Setup s;
  return s;
}

void run(benchmark::State& state, const FlightOptions& flight, double error_m) {
  const auto n = static_cast<std::size_t>(state.range(0));
  double steps = 0.0;
  for (auto _ : state) {
    const SprayResult r = setup().spray(flight, n);
    steps = r.mean_steps;
    benchmark::DoNotOptimize(r.mean_x_m);
  }
  state.counters["trajectories/s"] =
      benchmark::Counter(static_cast<double>(n * state.iterations()), benchmark::Counter::kIsRate);
  state.counters["steps/flight"] = steps;
  state.counters["rms_error_nm"] = error_m * 1e9;
}

void BM_SprayAdaptive(benchmark::State& state) {
  run(state, setup().adaptive, setup().adaptive_error_m);
}

void BM_SprayRK4(benchmark::State& state) {
  run(state, setup().rk4, setup().rk4_error_m);
  state.counters["rk4_step_ns"] = setup().rk4.rk4_step_s * 1e9;
}

}  // namespace

BENCHMARK(BM_SprayAdaptive)->Arg(1000)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SprayRK4)->Arg(1000)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
