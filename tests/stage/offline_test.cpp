#include <psw/stage/flexure.hpp>
#include <psw/stage/offline.hpp>

#include "test_axes.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <vector>

using Catch::Matchers::Contains;
using namespace psw::stage;

namespace {

constexpr double kPi = std::numbers::pi;

FlexureParams single_mode(double f, double zeta) {
  FlexureParams p;
  p.effective_mass_kg = 0.01;
  p.stiffness_N_per_m = std::pow(2 * kPi * f, 2) * 0.01;
  p.damping_ratio = zeta;
  return p;
}

}  // namespace

TEST_CASE("CVODE reproduces the analytic second-order step response", "[stage][offline]") {
  // y = 1 − e^{−ζωt}(cos ω_d t + ζ/√(1−ζ²) sin ω_d t); rtol 1e-10 keeps the global error far
  // below the 1e-7 margin (of a unit step).
  const double f = 1000.0, zeta = 0.1, w = 2 * kPi * f, wd = w * std::sqrt(1 - zeta * zeta);
  std::vector<double> times;
  for (int k = 1; k <= 50; ++k) times.push_back(k * 1e-4);
  AdaptiveOptions opt;
  opt.rtol = 1e-10;
  opt.atol = 1e-14;
  const AdaptiveResult r = simulate_adaptive(
      flexure_system(single_mode(f, zeta)), [](double) { return 1.0; }, times, opt);
  REQUIRE(r.status == AdaptiveStatus::ok);
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double t = times[i];
    const double exact =
        1 - std::exp(-zeta * w * t) *
                (std::cos(wd * t) + zeta / std::sqrt(1 - zeta * zeta) * std::sin(wd * t));
    REQUIRE(r.output[i] == Approx(exact).margin(1e-7));
  }
}

TEST_CASE("CVODE's steady sine response has the analytic gain and phase", "[stage][offline]") {
  // Driven at half the resonance, after e^{−ζω·0.1 s} = e^{−63} of transient:
  // y = |G|·sin(ωt + ∠G) with |G| = 1/√((1−r²)² + (2ζr)²), ∠G = −atan2(2ζr, 1−r²).
  const double f = 1000.0, zeta = 0.1, r = 0.5, w = 2 * kPi * f * r;
  const double gain = 1 / std::hypot(1 - r * r, 2 * zeta * r);
  const double phase = -std::atan2(2 * zeta * r, 1 - r * r);
  std::vector<double> times;
  for (int k = 0; k < 20; ++k) times.push_back(0.1 + k * 5e-5);
  AdaptiveOptions opt;
  opt.rtol = 1e-10;
  opt.atol = 1e-14;
  const AdaptiveResult res = simulate_adaptive(
      flexure_system(single_mode(f, zeta)), [w](double t) { return std::sin(w * t); }, times, opt);
  REQUIRE(res.status == AdaptiveStatus::ok);
  for (std::size_t i = 0; i < times.size(); ++i) {
    REQUIRE(res.output[i] == Approx(gain * std::sin(w * times[i] + phase)).margin(1e-6));
  }
}

TEST_CASE("an hour of creep takes far fewer adaptive steps than servo ticks", "[stage][offline]") {
  // The fast axis with creep, a unit step of stroke at t = 0: once the 2.4 kHz mode has rung
  // down, y(t) is the creep bank's step response (creep.hpp) less the mode's quasi-static lag
  // (2ζ/ω)·ṗ ≈ 1.7e-7 at 0.1 s, hence the 1e-6 margin. A 20 kHz run ticks 7.2e7 times in the
  // hour; BDF with the exact Jacobian needs under 1e5 steps (CVODE's step control, measured,
  // not a bound from theory).
  FlexureParams flex = psw::stage::test::fast_flexure();
  CreepParams creep;
  creep.gamma_per_decade = 0.015;
  const CreepModel bank = make_creep_model(creep);
  const std::vector<double> times{0.1, 1.0, 10.0, 100.0, 3600.0};
  AdaptiveOptions opt;
  opt.rtol = 1e-7;
  opt.atol = 1e-12;
  const AdaptiveResult r = simulate_adaptive(
      axis_plant(flex, creep), [](double) { return 1.0; }, times, opt);
  REQUIRE(r.status == AdaptiveStatus::ok);
  for (std::size_t i = 0; i < times.size(); ++i) {
    CHECK(r.output[i] == Approx(bank.step_response(times[i])).margin(1e-6));
  }
  CHECK(r.steps < 100000);
}

TEST_CASE("a held input restarted per period equals the exact ZOH", "[stage][offline]") {
  // Both are the same piecewise-constant problem; ZOH is exact, CVODE (rtol 1e-10) close.
  const ContinuousSystem sys = flexure_system(psw::stage::test::fast_flexure());
  const double T = 50e-6;
  const DiscreteSystem d = discretize_zoh(sys, T);
  const auto u = [T](double t) { return std::sin(0.3 * std::floor(t / T + 1e-9)); };
  std::vector<double> times;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(sys.order());
  std::vector<double> zoh;
  for (int k = 0; k < 40; ++k) {
    x = d.Phi * x + d.Gamma * u(k * T);
    times.push_back((k + 1) * T);
    zoh.push_back((d.C * x)(0));
  }
  AdaptiveOptions opt;
  opt.rtol = 1e-10;
  opt.atol = 1e-14;
  opt.hold_period_s = T;
  const AdaptiveResult r = simulate_adaptive(sys, u, times, opt);
  REQUIRE(r.status == AdaptiveStatus::ok);
  for (std::size_t i = 0; i < times.size(); ++i)
    REQUIRE(r.output[i] == Approx(zoh[i]).margin(1e-7));
}

TEST_CASE("adaptive runs report failure as a status and bad arguments by name",
          "[stage][offline]") {
  const ContinuousSystem sys = flexure_system(psw::stage::test::fast_flexure());
  AdaptiveOptions opt;
  opt.max_steps = 5;
  const AdaptiveResult r = simulate_adaptive(
      sys, [](double) { return 1.0; }, {1.0}, opt);
  CHECK(r.status == AdaptiveStatus::failed);
  CHECK_THAT(r.message, Contains("CV_TOO_MUCH_WORK"));
  REQUIRE_THROWS_WITH(simulate_adaptive(sys, [](double) { return 1.0; }, {1.0, 0.5}),
                      Contains("simulate_adaptive times_s[1] = 0.5 is outside [1, 1e+09]"));
}
