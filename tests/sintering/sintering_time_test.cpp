#include <algorithm>
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/sintering/sintering_time.hpp>

using namespace psw::sintering;

namespace {
double sample_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto i = static_cast<std::size_t>(pos);
  return v[i] + (pos - static_cast<double>(i)) * (v[i + 1] - v[i]);
}
}  // namespace

TEST_CASE("standard normal quantiles match tabulated values", "[sintering][statistics]") {
  // z values to 16 digits from the inverse of Φ (e.g. R's qnorm, NIST handbook tables).
  CHECK(standard_normal_quantile(0.5) == Approx(0.0).margin(1e-15));
  CHECK(standard_normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-14));
  CHECK(standard_normal_quantile(0.99) == Approx(2.326347874040841).epsilon(1e-14));
  CHECK(standard_normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-12));
  CHECK_THROWS_WITH(standard_normal_quantile(1.0),
                    "standard_normal_quantile: p = 1 is outside (0, 1)");
}

TEST_CASE(
    "calibration gives the volume distribution whose times have the requested median and "
    "P99",
    "[sintering][statistics]") {
  // Production figure: P99 = 240 s (about one joint in 100); median 60 s.
  const double median = 60.0, p99 = 240.0;
  for (double beta : {0.5, 1.0, 2.0}) {
    SECTION("volume exponent " + std::to_string(beta)) {
      VolumeTimeLaw law;
      law.reference_time_s = 45.0;
      law.reference_volume_m3 = 8e-18;
      law.volume_exponent = beta;
      const LognormalVolume v = calibrate_volume_distribution(median, p99, law);
      const SinteringTimeDistribution dist(v, law);

      // Exact: quantiles map through the monotone law.
      CHECK(dist.median_s() == Approx(median).epsilon(1e-13));
      CHECK(dist.quantile_s(0.99) == Approx(p99).epsilon(1e-13));
      // σ_t = ln 4 / z_0.99 whatever β; the volume spread is σ_t/β.
      CHECK(v.sigma_ln * beta == Approx(std::log(4.0) / 2.326347874040841).epsilon(1e-13));

      // Sampled with a fixed seed: the sample median and P99 of 40000 joints lie within 3
      // standard errors √(q(1−q)/n)/f(t_q) of the requested values.
      const std::size_t n = 40000;
      const std::vector<double> t = dist.sample_times(n, psw::RngStream(20261203));
      CHECK(std::abs(sample_quantile(t, 0.5) - median) < 3 * quantile_standard_error(dist, 0.5, n));
      CHECK(std::abs(sample_quantile(t, 0.99) - p99) < 3 * quantile_standard_error(dist, 0.99, n));
      // About one joint in 100 takes longer than 240 s: binomial(n, 0.01), 3σ band.
      const double above =
          static_cast<double>(std::count_if(t.begin(), t.end(), [&](double x) { return x > p99; }));
      CHECK(std::abs(above - 0.01 * n) < 3 * std::sqrt(n * 0.01 * 0.99));
    }
  }
}

TEST_CASE("sampling is reproducible per joint and independent of how many are drawn",
          "[sintering][statistics]") {
  VolumeTimeLaw law;
  const SinteringTimeDistribution dist({8e-18, 0.6}, law);
  const psw::RngStream root(7);
  const std::vector<double> a = dist.sample_times(100, root);
  const std::vector<double> b = dist.sample_times(1000, root);
  CHECK(std::equal(a.begin(), a.end(), b.begin()));
  psw::RngStream joint = root.substream(42);
  CHECK(dist.sample(joint).time_s == b[42]);
}

TEST_CASE("calibration refuses a P99 that is not above the median", "[sintering][statistics]") {
  VolumeTimeLaw law;
  CHECK_THROWS_WITH(calibrate_volume_distribution(60.0, 50.0, law),
                    "calibration: p99_s = 50 is outside (60, inf)");
  law.volume_exponent = 0.0;
  CHECK_THROWS_WITH(calibrate_volume_distribution(60.0, 240.0, law),
                    "volume-time law: volume_exponent = 0 is outside (0, 4]");
}
