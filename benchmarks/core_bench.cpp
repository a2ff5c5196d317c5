// Core numerics, side by side: a 1-D diffusion system (the implicit step of the thermal models)
// solved by the Thomas algorithm, by psw's general banded LU, and by Eigen's dense LU as the
// simple baseline. Read the ratios between rows of the same size.
//
//   build/release/bin/core_bench --benchmark_counters_tabular=true
#include <psw/core/banded.hpp>
#include <psw/core/interpolation.hpp>
#include <psw/core/rng.hpp>
#include <psw/core/tridiagonal.hpp>

#include <Eigen/Dense>
#include <benchmark/benchmark.h>

#include <vector>

namespace {

// (−1, 2 + ε, −1): a backward-Euler diffusion step.
constexpr double kDiag = 2.01;

void BM_Thomas(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<double> a(n, -1.0), b(n, kDiag), c(n, -1.0), d(n, 1.0), scratch(n);
  for (auto _ : state) {
    std::fill(d.begin(), d.end(), 1.0);
    psw::solve_tridiagonal(a, b, c, d, scratch);
    benchmark::DoNotOptimize(d.data());
  }
  state.counters["cells/s"] = benchmark::Counter(static_cast<double>(n * state.iterations()),
                                                 benchmark::Counter::kIsRate);
}

void BM_BandedLU(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  psw::BandedMatrix m(n, 1, 1);
  for (std::size_t i = 0; i < n; ++i) {
    m(i, i) = kDiag;
    if (i > 0) m(i, i - 1) = -1.0;
    if (i + 1 < n) m(i, i + 1) = -1.0;
  }
  std::vector<double> d(n, 1.0);
  for (auto _ : state) {
    std::fill(d.begin(), d.end(), 1.0);
    psw::BandedLU lu(m);  // factor every step, as a time integrator with changing Jacobian does
    lu.solve(std::span<double>(d));
    benchmark::DoNotOptimize(d.data());
  }
  state.counters["cells/s"] = benchmark::Counter(static_cast<double>(n * state.iterations()),
                                                 benchmark::Counter::kIsRate);
}

void BM_EigenDenseLU(benchmark::State& state) {
  const auto n = static_cast<Eigen::Index>(state.range(0));
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    m(i, i) = kDiag;
    if (i > 0) m(i, i - 1) = -1.0;
    if (i + 1 < n) m(i, i + 1) = -1.0;
  }
  const Eigen::VectorXd d = Eigen::VectorXd::Ones(n);
  for (auto _ : state) {
    Eigen::VectorXd x = m.partialPivLu().solve(d);
    benchmark::DoNotOptimize(x.data());
  }
  state.counters["cells/s"] = benchmark::Counter(static_cast<double>(n * state.iterations()),
                                                 benchmark::Counter::kIsRate);
}

void BM_TableMonotoneCubic(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<double> x(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>(i);
    y[i] = static_cast<double>(i * i);
  }
  const psw::Table1D table(x, y, psw::Interpolation::monotone_cubic);
  psw::RngStream rng(1);
  std::vector<double> queries(1024);
  for (auto& q : queries) q = rng.uniform(0.0, static_cast<double>(n - 1));
  for (auto _ : state) {
    double sum = 0.0;
    for (double q : queries) sum += table(q);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["lookups/s"] = benchmark::Counter(
      static_cast<double>(queries.size() * state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_Thomas)->Arg(64)->Arg(400)->Arg(4000);
BENCHMARK(BM_BandedLU)->Arg(64)->Arg(400)->Arg(4000);
BENCHMARK(BM_EigenDenseLU)->Arg(64)->Arg(400);
BENCHMARK(BM_TableMonotoneCubic)->Arg(64)->Arg(4096);

BENCHMARK_MAIN();
