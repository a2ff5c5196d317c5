#include <cmath>

#include <catch2/catch.hpp>

#include <psw/core/constants.hpp>
#include <psw/sintering/temperature_history.hpp>

using namespace psw::sintering;
using psw::constants::kGasConstant;

namespace {
// E₁(u) = −Ei(−u), from the C++17 special functions.
double e1(double u) { return -std::expint(-u); }
}  // namespace

TEST_CASE("the work of sintering of a constant temperature is t·exp(-Q/RT)/T",
          "[sintering][history]") {
  const auto h = TemperatureHistory::constant(600.0);
  const double Q = 90e3;
  const double rate = std::exp(-Q / (kGasConstant * 600.0)) / 600.0;
  CHECK(h.theta(1800.0, Q) == Approx(1800.0 * rate).epsilon(1e-14));
  // time_to_theta inverts theta exactly in the hold.
  CHECK(h.time_to_theta(h.theta(1234.5, Q), Q) == Approx(1234.5).epsilon(1e-13));
}

TEST_CASE("the work of sintering of a linear ramp matches the exponential-integral closed form",
          "[sintering][history]") {
  // With T = T₀ + b·t, ∫ exp(−Q/RT)/T dt = [E₁(Q/RT₁) − E₁(Q/RT₀)]/b (substitute u = Q/RT).
  const double T0 = 300.0, T1 = 700.0, duration = 100.0, Q = 90e3;
  const auto h = TemperatureHistory::ramp(T0, T1, duration);
  const double b = (T1 - T0) / duration;
  const double exact = (e1(Q / (kGasConstant * T1)) - e1(Q / (kGasConstant * T0))) / b;
  // 5-point Gauss–Legendre on pieces with ΔQ/RT ≤ 0.25: ~1e-12 relative.
  CHECK(h.theta(duration, Q) == Approx(exact).epsilon(1e-10));

  SECTION("the time at which a ramp reaches a given work inverts theta") {
    const double target = 0.3 * exact;
    const double t = h.time_to_theta(target, Q);
    CHECK(t > 0.0);
    CHECK(t < duration);
    CHECK(h.theta(t, Q) == Approx(target).epsilon(1e-10));
  }
  SECTION("after the ramp the end temperature is held") {
    const double rate = std::exp(-Q / (kGasConstant * T1)) / T1;
    CHECK(h.theta(duration + 50.0, Q) == Approx(exact + 50.0 * rate).epsilon(1e-10));
    CHECK(h.at(1e6) == T1);
  }
}

TEST_CASE("a table (e.g. a TTM lattice temperature) is interpolated linearly and validated",
          "[sintering][history]") {
  const auto h = TemperatureHistory::table({0.0, 1.0, 3.0}, {300.0, 500.0, 400.0});
  CHECK(h.at(0.5) == Approx(400.0));
  CHECK(h.at(2.0) == Approx(450.0));
  CHECK(h.at(10.0) == 400.0);
  CHECK_THROWS_WITH(TemperatureHistory::table({0.0, 1.0, 1.0}, {300.0, 400.0, 500.0}),
                    "temperature table: time_s[2] = 1 is not after time_s[1] = 1");
  CHECK_THROWS_WITH(TemperatureHistory::table({0.0, 1.0}, {300.0, -4.0}),
                    "temperature table: temperature_K[1] = -4 is outside (0, 100000]");
  CHECK_THROWS_WITH(TemperatureHistory::table({1.0}, {300.0}),
                    "temperature table: time_s[0] = 1 must be 0");
}
