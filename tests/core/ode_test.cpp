#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/core/ode.hpp>

#include "../support/fit.hpp"

using Catch::Matchers::Contains;
using psw::DormandPrince54;
using psw::OdeOptions;
using psw::OdeStatus;

using psw::test::log_log_slope;

namespace {

// y' = −y: y(t) = y₀·e^(−t).
void decay(double, std::span<const double> y, std::span<double> dy) { dy[0] = -y[0]; }

// y'' = −y as (y, v): y(t) = cos t, v(t) = −sin t from (1, 0).
void rotation(double, std::span<const double> y, std::span<double> dy) {
  dy[0] = y[1];
  dy[1] = -y[0];
}

OdeOptions fixed(double h) {
  OdeOptions o;
  o.adaptive = false;
  o.initial_step = h;
  return o;
}

}  // namespace

TEST_CASE("fixed Dormand-Prince steps converge at fifth order on decay and rotation",
          "[core][ode]") {
  // Global error of an order-p method is C·hᵖ; the pair's propagated solution has p = 5
  // (Dormand & Prince 1980). Expected values are the analytic solutions above.
  const std::vector<double> steps = {0.1, 0.05, 0.025, 0.0125};

  SECTION("y' = -y on [0, 2]") {
    std::vector<double> errors;
    for (double h : steps) {
      const std::vector<double> y0 = {1.0};
      const auto s = psw::integrate(decay, 0.0, y0, 2.0, fixed(h));
      REQUIRE(s.status == OdeStatus::reached_end);
      CHECK(s.steps == static_cast<std::size_t>(std::lround(2.0 / h)));
      errors.push_back(std::abs(s.y[0] - std::exp(-2.0)));
    }
    // Three halvings from h = 0.1 stay above round-off (smallest error ~2e-14, ~50× it).
    CHECK(log_log_slope(steps, errors) == Approx(5.0).margin(0.15));
  }

  SECTION("y'' = -y over one period") {
    const double period = 2.0 * M_PI;
    std::vector<double> hs, errors;
    for (double h : steps) {
      const double n = std::round(period / h);
      hs.push_back(period / n);
      const std::vector<double> y0 = {1.0, 0.0};
      const auto s = psw::integrate(rotation, 0.0, y0, period, fixed(period / n));
      REQUIRE(s.status == OdeStatus::reached_end);
      errors.push_back(std::hypot(s.y[0] - 1.0, s.y[1]));
    }
    CHECK(log_log_slope(hs, errors) == Approx(5.0).margin(0.15));
  }
}

TEST_CASE("adaptive steps keep the global error proportional to the tolerance", "[core][ode]") {
  // With local extrapolation the global error of DOPRI5 scales about linearly with the
  // tolerance (Hairer, Nørsett & Wanner §II.4, "tolerance proportionality"); the exact
  // solution of the rotation, (cos t, −sin t), gives the error.
  const double t_end = 4.0 * M_PI;
  std::vector<double> tolerances, errors;
  std::size_t previous_steps = 0;
  for (double tol : {1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10}) {
    OdeOptions o;
    o.relative_tolerance = tol;
    o.absolute_tolerance = {tol};
    const std::vector<double> y0 = {1.0, 0.0};
    const auto s = psw::integrate(rotation, 0.0, y0, t_end, o);
    REQUIRE(s.status == OdeStatus::reached_end);
    CHECK(s.t == t_end);
    const double error = std::hypot(s.y[0] - std::cos(t_end), s.y[1] + std::sin(t_end));
    // Two periods of drift stay within a small multiple of the tolerance.
    CHECK(error < 20.0 * tol);
    // Tighter tolerance costs more steps: about tol^(-1/5) for a fifth-order pair.
    CHECK(s.steps > previous_steps);
    previous_steps = s.steps;
    tolerances.push_back(tol);
    errors.push_back(error);
  }
  const double slope = log_log_slope(tolerances, errors);
  CHECK(slope > 0.85);
  CHECK(slope < 1.15);
}

TEST_CASE("components past controlled_size ride along without steering the step", "[core][ode]") {
  // A fast-oscillating quadrature q' = 1e3·cos(1e3·t) would force tiny steps if controlled;
  // left out of the norm, the decay alone sets the steps, so they match its solo run.
  const auto both = [](double t, std::span<const double> y, std::span<double> dy) {
    dy[0] = -y[0];
    dy[1] = 1e3 * std::cos(1e3 * t);
  };
  OdeOptions o;
  o.relative_tolerance = 1e-8;
  o.absolute_tolerance = {1e-12};
  o.controlled_size = 1;
  const std::vector<double> y2 = {1.0, 0.0}, y1 = {1.0};
  const auto with_q = psw::integrate(both, 0.0, y2, 1.0, o);
  o.controlled_size = 0;
  const auto alone = psw::integrate(decay, 0.0, y1, 1.0, o);
  const auto controlled = psw::integrate(both, 0.0, y2, 1.0, o);
  CHECK(with_q.steps == alone.steps);
  CHECK(with_q.y[0] == alone.y[0]);
  // Controlled, the oscillation (period 6.3 ms) needs many more steps over 1 s.
  CHECK(controlled.steps > 10 * alone.steps);
}

TEST_CASE("a singular right-hand side ends in a step-size underflow with a message",
          "[core][ode]") {
  // y' = −1/(2√(1 − t)), y(0) = 1 has y = √(1 − t); f is infinite at t = 1 and NaN beyond,
  // so no step may cross t = 1 and the steps shrink until they underflow just before it.
  const auto singular = [](double t, std::span<const double>, std::span<double> dy) {
    dy[0] = -0.5 / std::sqrt(1.0 - t);
  };
  OdeOptions o;
  o.relative_tolerance = 1e-8;
  o.absolute_tolerance = {1e-12};
  const std::vector<double> y0 = {1.0};
  const auto s = psw::integrate(singular, 0.0, y0, 2.0, o);
  CHECK(s.status == OdeStatus::step_size_underflow);
  CHECK(s.t < 1.0);
  CHECK(s.t > 0.999);
  CHECK_THAT(s.message, Contains("ode: step size underflow at t = 0.99") &&
                            Contains("the tolerance cannot be met there"));
  // Up to there the solution is still right to a few absolute tolerances' worth.
  CHECK(std::abs(s.y[0] - std::sqrt(1.0 - s.t)) < 1e-7);
}

TEST_CASE("retake discards the last step and restarts from its beginning", "[core][ode]") {
  OdeOptions o = fixed(0.5);
  DormandPrince54 stepper(decay, o);
  const std::vector<double> y0 = {1.0};
  stepper.start(0.0, y0);
  REQUIRE(stepper.step(10.0) == OdeStatus::accepted);
  CHECK(stepper.t() == 0.5);
  stepper.retake(0.25);
  CHECK(stepper.t() == 0.0);
  CHECK(stepper.y()[0] == 1.0);
  REQUIRE(stepper.step(10.0) == OdeStatus::accepted);
  CHECK(stepper.t() == 0.25);
  CHECK(stepper.accepted_steps() == 1);
  // On y' = −y one step multiplies y by DOPRI5's stability polynomial
  // R(z) = 1 + z + z²/2 + z³/6 + z⁴/24 + z⁵/120 + z⁶/600 at z = −h (Hairer & Wanner II, §IV.2).
  const double z = -0.25;
  const double R = 1 + z + z * z / 2 + std::pow(z, 3) / 6 + std::pow(z, 4) / 24 +
                   std::pow(z, 5) / 120 + std::pow(z, 6) / 600;
  CHECK(stepper.y()[0] == Approx(R).epsilon(1e-14));
  CHECK_THROWS_WITH(stepper.retake(-1.0), "ode: retake step = -1 is outside (0, inf)");
  CHECK_THROWS_WITH(stepper.step(0.25), "ode: step(t_stop = 0.25) needs t_stop after t = 0.25");
}

TEST_CASE("bad integrator options are refused naming the field", "[core][ode]") {
  OdeOptions o;
  o.relative_tolerance = 0.0;
  CHECK_THROWS_WITH(DormandPrince54(decay, o), "ode.relative_tolerance = 0 is outside (0, 1]");
  o = OdeOptions{};
  o.absolute_tolerance = {1e-6, -1.0};
  CHECK_THROWS_WITH(DormandPrince54(decay, o),
                    "ode.absolute_tolerance[1] = -1 is outside [0, inf)");
  o = OdeOptions{};
  o.adaptive = false;
  CHECK_THROWS_WITH(DormandPrince54(decay, o), Contains("fixed steps (adaptive = false)"));
  o = OdeOptions{};
  o.absolute_tolerance = {1e-6, 1e-6, 1e-6};
  DormandPrince54 stepper(rotation, o);
  const std::vector<double> y0 = {1.0, 0.0};
  CHECK_THROWS_WITH(stepper.start(0.0, y0),
                    "ode.absolute_tolerance has 3 values; give 1 or 2 (one per controlled "
                    "component)");
  CHECK_THROWS_WITH(psw::integrate(decay, 1.0, std::vector<double>{1.0}, 1.0),
                    "ode: t_end = 1 is not after t0 = 1");
}
