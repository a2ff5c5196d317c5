#include <psw/stage/flexure.hpp>
#include <psw/stage/state_space.hpp>

#include "test_axes.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using namespace psw::stage;

namespace {

constexpr double kPi = std::numbers::pi;

// One mode at f (Hz) with damping ζ, via k and m.
FlexureParams single_mode(double f, double zeta, double mass = 0.01) {
  FlexureParams p;
  p.effective_mass_kg = mass;
  p.stiffness_N_per_m = std::pow(2 * kPi * f, 2) * mass;
  p.damping_ratio = zeta;
  return p;
}

// Classical RK4 on ẋ = Ax + Bu with u held, n substeps over T: a generic integrator to compare
// the matrix exponential with.
Eigen::VectorXd rk4(const ContinuousSystem& s, Eigen::VectorXd x, double u, double T, int n) {
  const double h = T / n;
  const auto f = [&](const Eigen::VectorXd& v) -> Eigen::VectorXd { return s.A * v + s.B * u; };
  for (int i = 0; i < n; ++i) {
    const Eigen::VectorXd k1 = f(x), k2 = f(x + h / 2 * k1), k3 = f(x + h / 2 * k2),
                          k4 = f(x + h * k3);
    x += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return x;
}

}  // namespace

TEST_CASE("a single-mode axis reproduces the analytic second-order step response",
          "[stage][state_space]") {
  const double f = 1000.0, zeta = 0.1;
  const ContinuousSystem sys = flexure_system(single_mode(f, zeta));
  const double w = 2 * kPi * f, wd = w * std::sqrt(1 - zeta * zeta);

  SECTION("overshoot and peak time") {
    // Ogata §5-3: M_p = exp(−πζ/√(1−ζ²)), t_p = π/ω_d. Sampling at h = 0.1 µs locates the peak
    // within h, and the overshoot to (ω_d·h)²/2 ≈ 2e-7 of the peak's height.
    const double h = 1e-7;
    const DiscreteSystem d = discretize_zoh(sys, h);
    Eigen::VectorXd x = Eigen::VectorXd::Zero(2);
    double peak = 0.0, t_peak = 0.0;
    for (int k = 1; k <= 20000; ++k) {
      x = d.Phi * x + d.Gamma * 1.0;
      const double y = (d.C * x)(0);
      if (y > peak) {
        peak = y;
        t_peak = k * h;
      }
    }
    CHECK(peak - 1.0 == Approx(std::exp(-kPi * zeta / std::sqrt(1 - zeta * zeta))).epsilon(1e-6));
    CHECK(std::abs(t_peak - kPi / wd) <= h);
  }
  SECTION("zero-order hold equals the continuous solution at the sample instants") {
    // y(t) = 1 − e^{−ζωt}·(cos ω_d t + ζ/√(1−ζ²)·sin ω_d t) for a unit step; the ZOH is exact
    // for a held input, so only rounding separates them (1e-12 of the unit step).
    const double T = 50e-6;
    const DiscreteSystem d = discretize_zoh(sys, T);
    Eigen::VectorXd x = Eigen::VectorXd::Zero(2);
    for (int k = 1; k <= 400; ++k) {
      x = d.Phi * x + d.Gamma * 1.0;
      const double t = k * T;
      const double exact =
          1 - std::exp(-zeta * w * t) *
                  (std::cos(wd * t) + zeta / std::sqrt(1 - zeta * zeta) * std::sin(wd * t));
      REQUIRE((d.C * x)(0) == Approx(exact).margin(1e-12));
    }
  }
}

TEST_CASE("zero-order hold of a multi-mode axis with creep matches a fine RK4 integration",
          "[stage][state_space]") {
  // Three modes and a creep bank: no closed form, so compare with RK4 at T/400, whose error
  // (∝ (ωh)⁴ with ω·h ≈ 0.02 for the 12 kHz mode) is far below the 1e-9 margin used.
  FlexureParams flex = psw::stage::test::fast_flexure();
  flex.higher_modes = {{6000.0, 0.05, 0.1}, {12000.0, 0.03, 0.05}};
  CreepParams creep;
  creep.gamma_per_decade = 0.015;
  const ContinuousSystem sys = axis_plant(flex, creep);
  const double T = 50e-6;
  const DiscreteSystem d = discretize_zoh(sys, T);
  Eigen::VectorXd x_zoh = Eigen::VectorXd::Zero(sys.order()), x_rk = x_zoh;
  for (int k = 0; k < 100; ++k) {
    const double u = 1e-6 * std::sin(0.3 * k);  // a held staircase input
    x_zoh = d.Phi * x_zoh + d.Gamma * u;
    x_rk = rk4(sys, x_rk, u, T, 400);
    REQUIRE((d.C * x_zoh)(0) == Approx((sys.C * x_rk)(0)).margin(1e-9 * 1e-6));
  }
  // Static gain: the modes' shares sum to 1, the creep adds its settled part.
  CHECK(sys.dc_gain() == Approx(make_creep_model(creep).step_response(1e12)).epsilon(1e-12));
}

TEST_CASE("the axis' frequency response is the analytic second-order one", "[stage][state_space]") {
  // |G| = 1/√((1−r²)² + (2ζr)²), ∠G = −atan2(2ζr, 1−r²), r = ω/ωₙ (any vibration text).
  const double f = 2400.0, zeta = 0.02;
  const ContinuousSystem sys = flexure_system(single_mode(f, zeta));
  for (double r : {0.01, 0.3, 0.9, 1.0, 1.1, 3.0, 10.0}) {
    const auto G = sys.frequency_response(r * 2 * kPi * f);
    const double mag = 1 / std::hypot(1 - r * r, 2 * zeta * r);
    CHECK(std::abs(G) == Approx(mag).epsilon(1e-12));
    CHECK(std::arg(G) == Approx(-std::atan2(2 * zeta * r, 1 - r * r)).margin(1e-12));
  }
  // A held input's DC gain survives the discretisation exactly: G(z = 1) = G(s = 0) = 1.
  const DiscreteSystem d = discretize_zoh(sys, 50e-6);
  CHECK(std::abs(d.frequency_response(0.0)) == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("a payload lowers the first resonance to sqrt(k/(m + m_L))", "[stage][flexure]") {
  // Lumped mass on a spring: ω² = k/(m_eff + m_L), read here from A's eigenvalues, |λ| = ω.
  FlexureParams flex = psw::stage::test::fast_flexure();
  flex.payload_mass_kg = 0.030;
  const ContinuousSystem sys = flexure_system(flex);
  const Eigen::VectorXcd lambda = sys.A.eigenvalues();
  const double w_expected = std::sqrt(flex.stiffness_N_per_m / 0.040);
  CHECK(std::abs(lambda(0)) == Approx(w_expected).epsilon(1e-12));
  // 2.4 kHz unloaded with m_L = 3·m_eff: half the frequency.
  CHECK(flex.loaded_resonance_Hz() == Approx(1200.0).epsilon(1e-12));
  // Damping ratio kept: Re λ = −ζω.
  CHECK(-lambda(0).real() == Approx(0.02 * w_expected).epsilon(1e-12));
}

TEST_CASE("bad flexure input names the key, the value and the range", "[stage][flexure]") {
  FlexureParams flex = psw::stage::test::fast_flexure();
  SECTION("negative mass") {
    flex.effective_mass_kg = -0.01;
    REQUIRE_THROWS_WITH(flexure_system(flex),
                        Equals("flexure.effective_mass_kg = -0.01 is outside (0, 100]"));
  }
  SECTION("negative stiffness") {
    flex.stiffness_N_per_m = -5;
    REQUIRE_THROWS_WITH(flexure_system(flex),
                        Equals("flexure.stiffness_N_per_m = -5 is outside (0, 1e+10]"));
  }
  SECTION("a higher mode below the first") {
    flex.higher_modes = {{1000.0, 0.05, 0.1}};
    REQUIRE_THROWS_WITH(flexure_system(flex),
                        Contains("flexure.higher_modes[0].frequency_Hz = 1000 is outside (2400"));
  }
  SECTION("a non-positive period") {
    REQUIRE_THROWS_WITH(discretize_zoh(flexure_system(flex), 0.0),
                        Contains("discretize_zoh: period_s = 0 is outside (0, inf)"));
  }
}
