// Stage axis stepping, side by side: the exact ZOH step psw uses against a generic ODE
// integration (classical RK4) of the same continuous model over the same servo period.
// Read the axis-steps/s column; `realtime` is how many times faster than the 20 kHz servo
// clock the row runs (>1: faster than real time).
//
//   build/release/bin/stage_bench --benchmark_counters_tabular=true
//
// Rows:
//   ZOH_plant      x ← Φx + Γp: one matrix-vector product per servo period
//   RK4_plant/n    n RK4 substeps of ẋ = Ax + Bp per period (ω_max·h ≈ 0.35 at n = 8 and
//                  0.09 at n = 32 for the fast stage's 9 kHz mode); the ZOH is exact at any n
//   CVODE_plant    SUNDIALS CVODE (BDF, exact Jacobian, rtol 1e-8) on the same model, restarted
//                  at every period because the held input jumps there (offline.hpp)
//   Axis_tick      the whole closed-loop axis per period: sensor noise, ADC, servo + notch,
//                  DAC, Prandtl–Ishlinskii hysteresis, creep + flexure (ZOH)
#include <psw/stage/axis.hpp>
#include <psw/stage/flexure.hpp>
#include <psw/stage/offline.hpp>
#include <psw/stage/stage_config.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <vector>

namespace {

psw::stage::AxisParams fast_axis() {
  const std::filesystem::path file =
      std::filesystem::path(PSW_SOURCE_DIR) / "data" / "stages" / "fast_10um.yaml";
  return psw::stage::load_stage_file(file).axes.front();
}

void report(benchmark::State& state, double rate_Hz, double steps_per_iteration = 1.0) {
  const auto steps = static_cast<double>(state.iterations()) * steps_per_iteration;
  state.counters["axis-steps/s"] = benchmark::Counter(steps, benchmark::Counter::kIsRate);
  state.counters["realtime"] = benchmark::Counter(steps / rate_Hz, benchmark::Counter::kIsRate);
}

// A held input that changes every period, as a servo output does.
double drive(long long k) { return 1e-6 * std::sin(0.01 * static_cast<double>(k)); }

void BM_ZOH_plant(benchmark::State& state) {
  const auto p = fast_axis();
  const auto d =
      psw::stage::discretize_zoh(psw::stage::axis_plant(p.flexure, p.creep), p.servo.period_s());
  Eigen::VectorXd x = Eigen::VectorXd::Zero(d.order());
  long long k = 0;
  for (auto _ : state) {
    x = d.Phi * x + d.Gamma * drive(k++);
    benchmark::DoNotOptimize(x.data());
  }
  report(state, p.servo.rate_Hz);
}

void BM_RK4_plant(benchmark::State& state) {
  const auto p = fast_axis();
  const auto s = psw::stage::axis_plant(p.flexure, p.creep);
  const auto n = static_cast<int>(state.range(0));
  const double h = p.servo.period_s() / n;
  // Preallocated stages and no temporaries, so the row measures arithmetic, not malloc.
  const Eigen::Index m = s.order();
  Eigen::VectorXd x = Eigen::VectorXd::Zero(m), k1(m), k2(m), k3(m), k4(m), tmp(m), Bu(m);
  long long k = 0;
  for (auto _ : state) {
    Bu = s.B * drive(k++);
    for (int i = 0; i < n; ++i) {
      k1.noalias() = s.A * x;
      k1 += Bu;
      tmp = x + (h / 2) * k1;
      k2.noalias() = s.A * tmp;
      k2 += Bu;
      tmp = x + (h / 2) * k2;
      k3.noalias() = s.A * tmp;
      k3 += Bu;
      tmp = x + h * k3;
      k4.noalias() = s.A * tmp;
      k4 += Bu;
      x += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    benchmark::DoNotOptimize(x.data());
  }
  report(state, p.servo.rate_Hz);
}

void BM_CVODE_plant(benchmark::State& state) {
  const auto p = fast_axis();
  const auto s = psw::stage::axis_plant(p.flexure, p.creep);
  const double T = p.servo.period_s();
  constexpr int kPeriods = 200;
  std::vector<double> times;
  for (int k = 1; k <= kPeriods; ++k) times.push_back(k * T);
  psw::stage::AdaptiveOptions opt;
  opt.rtol = 1e-8;
  opt.atol = 1e-16;
  opt.hold_period_s = T;
  const auto u = [T](double t) { return drive(static_cast<long long>(std::floor(t / T + 1e-9))); };
  for (auto _ : state) {
    const auto r = psw::stage::simulate_adaptive(s, u, times, opt);
    benchmark::DoNotOptimize(r.output.data());
  }
  report(state, p.servo.rate_Hz, kPeriods);
}

void BM_Axis_tick(benchmark::State& state) {
  const auto p = fast_axis();
  psw::stage::Axis axis(p, psw::RngStream(1));
  axis.set_servo(true);
  long long k = 0;
  for (auto _ : state) {
    if (k++ % 2000 == 0) axis.move_to(k % 4000 == 1 ? 3e-6 : 2e-6);  // a 1 µm step every 0.1 s
    axis.tick();
    benchmark::DoNotOptimize(axis.position_m());
  }
  report(state, p.servo.rate_Hz);
}

}  // namespace

BENCHMARK(BM_ZOH_plant);
BENCHMARK(BM_RK4_plant)->Arg(8)->Arg(32);
BENCHMARK(BM_CVODE_plant);
BENCHMARK(BM_Axis_tick);
BENCHMARK_MAIN();
