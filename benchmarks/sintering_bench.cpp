// Sintering, side by side. Read the ratios between rows of the same group.
//
// Joints sintered per second: each joint is a 50 nm Ag deposit ramped to its own hold
// temperature (a spread of laser powers), and "sintering it" means finding the time at which
// its resistivity falls to 3× bulk.
// - BM_JointTimeToTarget: psw's path. The target is inverted once to a work of sintering Θ*,
//   then each joint's history is searched for Θ* (Gauss–Legendre per segment, Newton inside).
//   Both give the time to 3× bulk; the baseline to within its 10 ms step, psw to ~1e-12.
// - BM_JointTimeMarchingBaseline: the straightforward way: march Θ in fixed 10 ms steps
//   (trapezoid rule), evaluating density and resistivity each step until the target is met.
// - BM_JointSampledTime: the scheduler's path once t_ref is known: draw a volume, map it to a
//   time (psw::sintering::SinteringTimeDistribution).
//
// Neck growth to the same accuracy (1e-6 relative at the end): adaptive Dormand–Prince
// (BM_NeckAdaptive) against fixed-step RK4 (BM_NeckRK4Baseline), on a ramp.
//
//   build/release/bin/sintering_bench --benchmark_counters_tabular=true
#include <cmath>
#include <vector>

#include <benchmark/benchmark.h>

#include <psw/core/rng.hpp>
#include <psw/sintering/deposit.hpp>
#include <psw/sintering/neck_growth.hpp>
#include <psw/sintering/sintering_time.hpp>

namespace {

using namespace psw::sintering;

// Per-joint hold temperatures 180–260 °C, 30 s ramp from room temperature.
std::vector<TemperatureHistory> joint_histories(std::size_t n) {
  psw::RngStream rng(5);
  std::vector<TemperatureHistory> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(TemperatureHistory::ramp(300.0, rng.uniform(453.15, 533.15), 30.0));
  }
  return out;
}

const SinteringMaterial& silver() {
  static const SinteringMaterial ag = load_material("Ag");
  return ag;
}

void BM_JointTimeToTarget(benchmark::State& state) {
  const Deposit deposit(silver(), deposit_options_for(silver(), 50e-9));
  const auto histories = joint_histories(256);
  for (auto _ : state) {
    double sum = 0.0;
    for (const auto& h : histories) sum += deposit.time_to_resistivity_ratio(h, 3.0).time_s;
    benchmark::DoNotOptimize(sum);
  }
  state.counters["joints/s"] = benchmark::Counter(
      static_cast<double>(histories.size() * state.iterations()), benchmark::Counter::kIsRate);
}

void BM_JointTimeMarchingBaseline(benchmark::State& state) {
  const Deposit deposit(silver(), deposit_options_for(silver(), 50e-9));
  const double Q = deposit.curve().activation_J_per_mol();
  const double target = 3.0 * silver().bulk_resistivity_ohm_m;
  const auto histories = joint_histories(16);
  constexpr double dt = 0.01;
  for (auto _ : state) {
    double sum = 0.0;
    for (const auto& h : histories) {
      // March Θ with the trapezoid rule until ρ_e(ρ(Θ)) ≤ target.
      double t = 0.0, theta = 0.0;
      auto f = [&](double time) {
        const double T = h.at(time);
        return std::exp(-Q / (8.314462618 * T)) / T;
      };
      double f_old = f(0.0);
      while (deposit.resistivity_for_density(deposit.curve().density(theta)) > target) {
        const double f_new = f(t + dt);
        theta += 0.5 * dt * (f_old + f_new);
        f_old = f_new;
        t += dt;
      }
      sum += t;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["joints/s"] = benchmark::Counter(
      static_cast<double>(histories.size() * state.iterations()), benchmark::Counter::kIsRate);
}

void BM_JointSampledTime(benchmark::State& state) {
  VolumeTimeLaw law{120.0, 8e-18, 1.0};
  const SinteringTimeDistribution dist(calibrate_volume_distribution(60.0, 240.0, law), law);
  psw::RngStream rng(9);
  for (auto _ : state) {
    double sum = 0.0;
    for (int i = 0; i < 1024; ++i) sum += dist.sample(rng).time_s;
    benchmark::DoNotOptimize(sum);
  }
  state.counters["joints/s"] = benchmark::Counter(1024.0 * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
}

NeckGrowthOptions neck_options() {
  NeckGrowthOptions o;
  o.stop_ratio = 0.9;
  o.initial_ratio = 0.05;
  o.relative_tolerance = 1e-8;
  return o;
}

void BM_NeckAdaptive(benchmark::State& state) {
  const auto h = TemperatureHistory::ramp(300.0, 360.0, 10.0);
  for (auto _ : state) {
    const NeckGrowthResult r = grow_neck(silver(), 10e-9, h, 10.0, neck_options());
    benchmark::DoNotOptimize(r.x_over_a.back());
  }
  state.counters["necks/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_NeckRK4Baseline(benchmark::State& state) {
  // 20000 uniform steps reach 1e-6 relative agreement with the adaptive run on this ramp
  // (checked in tests/sintering/neck_growth_test.cpp).
  const auto h = TemperatureHistory::ramp(300.0, 360.0, 10.0);
  const auto steps = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    benchmark::DoNotOptimize(grow_neck_rk4(silver(), 10e-9, h, 10.0, steps, neck_options()));
  }
  state.counters["necks/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_JointTimeToTarget);
BENCHMARK(BM_JointTimeMarchingBaseline);
BENCHMARK(BM_JointSampledTime);
BENCHMARK(BM_NeckAdaptive);
BENCHMARK(BM_NeckRK4Baseline)->Arg(20000);

BENCHMARK_MAIN();
