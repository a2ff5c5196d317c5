#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/core/rng.hpp>
#include <psw/scheduling/predictor.hpp>
#include <psw/scheduling/sintering_time.hpp>

using Catch::Matchers::Contains;
using psw::RngStream;
using namespace psw::scheduling;

TEST_CASE("the normal quantile inverts the normal CDF and matches tabulated values",
          "[scheduling]") {
  // Standard tables: z₀.₉₇₅ = 1.959963984540054, z₀.₉₉ = 2.326347874040841.
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-13));
  CHECK(normal_quantile(0.99) == Approx(2.326347874040841).epsilon(1e-13));
  CHECK(normal_quantile(0.5) == Approx(0.0).margin(1e-15));
  for (double p : {1e-10, 1e-3, 0.1, 0.37, 0.9, 0.999999}) {
    // Φ(Φ⁻¹(p)) = p to rounding (relative 1e-12 leaves room for erfc's last bits).
    CHECK(normal_cdf(normal_quantile(p)) == Approx(p).epsilon(1e-12));
  }
  REQUIRE_THROWS_WITH(normal_quantile(1.0), Contains("p = 1 is outside (0, 1)"));
}

TEST_CASE("a lognormal fixed by median and P99 has μ = ln m and σ = ln(t99/m)/z99",
          "[scheduling]") {
  const LogNormal d = LogNormal::from_median_p99(60.0, 240.0);
  // ln 4 / 2.326347874 = 0.59591... (the default tail of issue #9).
  CHECK(d.sigma == Approx(std::log(4.0) / 2.326347874040841).epsilon(1e-12));
  CHECK(d.median() == Approx(60.0).epsilon(1e-14));
  CHECK(d.quantile(0.99) == Approx(240.0).epsilon(1e-12));
  // E[T] = m·e^(σ²/2) = 71.66 s: each joint's mean is 19 % above its median.
  CHECK(d.mean() == Approx(60.0 * std::exp(0.5 * d.sigma * d.sigma)).epsilon(1e-14));
  CHECK(d.mean() == Approx(71.66).epsilon(1e-3));

  SECTION("a P99 at or below the median is refused, naming both") {
    REQUIRE_THROWS_WITH(LogNormal::from_median_p99(60.0, 50.0),
                        Contains("p99_s = 50 must exceed median_s = 60"));
  }
}

TEST_CASE("sampled sintering times reproduce the requested median and P99 within a 3σ band",
          "[scheduling]") {
  const LognormalSinteringTime model(60.0, 240.0, 20e-18, 1.0 / 3.0);
  RngStream rng(20261203);
  constexpr std::size_t kN = 200000;
  std::vector<double> t(kN);
  for (double& x : t) x = model.sample_s(20e-18, rng);
  std::sort(t.begin(), t.end());

  // The empirical p-quantile lies within F⁻¹(p ± 3·√(p(1−p)/N)) with probability 0.997
  // (the count of samples below a quantile is binomial).
  const LogNormal d = model.predicted(20e-18);
  for (double p : {0.5, 0.99}) {
    const double band = 3.0 * std::sqrt(p * (1.0 - p) / kN);
    const double sample_q = t[static_cast<std::size_t>(p * kN)];
    CHECK(sample_q >= d.quantile(p - band));
    CHECK(sample_q <= d.quantile(p + band));
  }
  // The requested figures themselves, for the record: 60 s and 240 s.
  CHECK(d.quantile(0.5) == Approx(60.0));
  CHECK(d.quantile(0.99) == Approx(240.0));
}

TEST_CASE("the median scales as V^a and the tail ratio does not change with volume",
          "[scheduling]") {
  const LognormalSinteringTime model(60.0, 240.0, 20e-18, 1.0 / 3.0);
  // (8V₀/V₀)^(1/3) = 2.
  CHECK(model.predicted(160e-18).median() == Approx(120.0).epsilon(1e-12));
  CHECK(model.predicted(160e-18).quantile(0.99) / model.predicted(160e-18).median() ==
        Approx(4.0).epsilon(1e-12));
  REQUIRE_THROWS_WITH(LognormalSinteringTime(60, 240, 20e-18, 5.0),
                      Contains("volume_exponent = 5 is outside [0, 3]"));
}

TEST_CASE("the mean residual time matches ∫(1 − F)dt/(1 − F(e)) by quadrature", "[scheduling]") {
  const LogNormal d = LogNormal::from_median_p99(60.0, 240.0);
  CHECK(d.mean_residual(0.0) == Approx(d.mean()).epsilon(1e-14));
  for (double e : {30.0, 120.0, 400.0}) {
    // Trapezoid on [e, e + 20000 s] with 0.05 s steps; the tail beyond is below 1e-12.
    double integral = 0.0;
    constexpr double kStep = 0.05;
    for (double t = e; t < e + 20000.0; t += kStep) {
      integral += 0.5 * kStep * ((1.0 - d.cdf(t)) + (1.0 - d.cdf(t + kStep)));
    }
    // Relative 1e-5: the trapezoid's error with this step.
    CHECK(d.mean_residual(e) == Approx(integral / (1.0 - d.cdf(e))).epsilon(1e-5));
  }
}

TEST_CASE(
    "Fenton–Wilkinson keeps the mean and variance of a sum and its median is close to "
    "the sampled median of 100 joints",
    "[scheduling]") {
  const LogNormal one = LogNormal::from_median_p99(60.0, 240.0);
  const LogNormal sum = fenton_wilkinson(100 * one.mean(), 100 * one.variance());
  CHECK(sum.mean() == Approx(100 * one.mean()).epsilon(1e-12));
  CHECK(sum.variance() == Approx(100 * one.variance()).epsilon(1e-12));

  RngStream rng(7);
  std::vector<double> sums(4000);
  for (double& s : sums) {
    s = 0.0;
    for (int j = 0; j < 100; ++j) s += one.sample(rng);
  }
  std::nth_element(sums.begin(), sums.begin() + 2000, sums.end());
  // Sampling sd of the median ≈ 1.2533·468 s/√4000 = 9.3 s (0.13 %); FW's own error for a sum
  // of 100 with σ = 0.6 is smaller than that. 0.5 % ≈ 3.5 sampling sd.
  CHECK(sums[2000] == Approx(sum.median()).epsilon(0.005));
}

TEST_CASE("the predictor learns a shifted process and, with forgetting, follows a drift",
          "[scheduling]") {
  auto model = std::make_shared<LognormalSinteringTime>(60.0, 240.0, 20e-18, 0.0);
  const double sigma = model->predicted(20e-18).sigma;
  const double true_shift = std::log(1.5);  // the process runs 50 % slower than the prior
  const LogNormal truth{model->predicted(20e-18).mu + true_shift, sigma};

  SECTION("no observations: the prior") {
    const SinteringPredictor p(model, 20.0, 0.0);
    CHECK(p.predict(20e-18).median() == Approx(60.0));
  }
  SECTION("λ = 0: δ = Σr/(n₀ + n), mean ln1.5·n/(n₀ + n), sd σ√n/(n₀ + n)") {
    SinteringPredictor p(model, 20.0, 0.0);
    RngStream rng(11);
    constexpr double kN = 2000;
    for (int i = 0; i < 2000; ++i) p.observe(20e-18, truth.sample(rng));
    const double expected = true_shift * kN / (20.0 + kN);
    CHECK(std::abs(p.log_shift() - expected) < 3.0 * sigma * std::sqrt(kN) / (20.0 + kN));
  }
  SECTION("a step change: λ = 0.05 tracks it, λ = 0 lags behind by half") {
    SinteringPredictor tracking(model, 20.0, 0.05), fixed(model, 20.0, 0.0);
    RngStream rng(12);
    const LogNormal before = model->predicted(20e-18);
    for (int i = 0; i < 200; ++i) {
      const double t = before.sample(rng);
      tracking.observe(20e-18, t), fixed.observe(20e-18, t);
    }
    for (int i = 0; i < 200; ++i) {
      const double t = truth.sample(rng);
      tracking.observe(20e-18, t), fixed.observe(20e-18, t);
    }
    // Exponential smoothing with weight λ: stationary sd σ·√(λ/(2 − λ)) = 0.095.
    CHECK(std::abs(tracking.log_shift() - true_shift) < 3.0 * sigma * std::sqrt(0.05 / 1.95));
    // Without forgetting: ln1.5·200/420 = 0.193 expected, sd σ·√400/420 = 0.028.
    CHECK(std::abs(fixed.log_shift() - true_shift * 200.0 / 420.0) < 3.0 * sigma * 20.0 / 420.0);
  }
}
