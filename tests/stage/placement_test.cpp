#include <psw/stage/placement.hpp>
#include <psw/stage/xyz_stage.hpp>

#include "test_axes.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using Catch::Matchers::Contains;
using namespace psw::stage;

TEST_CASE("the placement Monte Carlo reproduces the analytic 1-sigma for Gaussian parts",
          "[stage][placement]") {
  // σ² adds: 10² + (0.5 nm/s·30 s)² + 20² = 725 nm², σ = 26.93 nm; P(|e| ≤ 50 nm) =
  // erf(50/(σ√2)), radial 1 − e^{−50²/2σ²}. With N = 1e5, σ's standard error is σ/√(2N)
  // (0.22 %) and a probability's √(p(1−p)/N) (< 0.16 %): allow 4 standard errors.
  PlacementBudget b;
  b.stage_m = {ErrorDistribution::gaussian, 10e-9};
  b.drift_rate_m_per_s = {ErrorDistribution::gaussian, 0.5e-9};
  b.deposition_time_s = 30.0;
  b.landing_m = {ErrorDistribution::gaussian, 20e-9};
  b.samples = 100000;
  b.seed = 42;
  const PlacementResult r = placement_monte_carlo(b);
  const double sigma = std::sqrt(725.0) * 1e-9;
  const double n = b.samples;
  CHECK(r.all_gaussian);
  CHECK(r.analytic_sigma_m == Approx(sigma).epsilon(1e-12));
  CHECK(r.sigma_m == Approx(sigma).epsilon(4 / std::sqrt(2 * n)));
  CHECK(std::abs(r.mean_m) <= 4 * sigma / std::sqrt(n));
  const double p_axis = std::erf(50e-9 / (sigma * std::sqrt(2.0)));
  const double p_radius = 1 - std::exp(-2500e-18 / (2 * sigma * sigma));
  CHECK(r.analytic_p_axis == Approx(p_axis).epsilon(1e-12));
  CHECK(r.p_within_axis == Approx(p_axis).margin(4 * std::sqrt(p_axis * (1 - p_axis) / n)));
  CHECK(r.p_within_radius == Approx(p_radius).margin(4 * std::sqrt(p_radius * (1 - p_radius) / n)));

  // The same seed gives the same samples; stream i depends on (seed, i) only.
  CHECK(placement_monte_carlo(b).error_x_m == r.error_x_m);
}

TEST_CASE("variances add whatever the distributions", "[stage][placement]") {
  // Uniform on ±a has σ = a/√3; independent parts add variances (Bienaymé).
  PlacementBudget b;
  b.stage_m = {ErrorDistribution::uniform, 30e-9};
  b.landing_m = {ErrorDistribution::gaussian, 20e-9};
  b.samples = 100000;
  const PlacementResult r = placement_monte_carlo(b);
  const double sigma = std::sqrt(900.0 / 3 + 400.0) * 1e-9;
  CHECK(!r.all_gaussian);
  CHECK(r.sigma_m == Approx(sigma).epsilon(4 / std::sqrt(2.0 * b.samples) * 1.2));
}

TEST_CASE("settled stage errors of an ideal axis lie inside its window", "[stage][placement]") {
  // ONT? guarantees the sensor inside the window; with no noise, drift or creep the true
  // position equals the sensor to the 32-bit ADC's rounding.
  const AxisParams p = psw::stage::test::ideal_axis();
  const std::vector<double> e = settled_stage_errors(p, 20, 1e-3, 5);
  REQUIRE(e.size() == 20);
  for (double v : e) CHECK(std::abs(v) <= p.servo.window_m);
}

TEST_CASE("bad placement input names the field", "[stage][placement]") {
  PlacementBudget b;
  b.tolerance_m = 0;
  REQUIRE_THROWS_WITH(placement_monte_carlo(b),
                      Contains("placement.tolerance_m = 0 is outside (0, 0.001]"));
  b.tolerance_m = 50e-9;
  b.samples = 10;
  REQUIRE_THROWS_WITH(placement_monte_carlo(b),
                      Contains("placement.samples = 10 is outside [100, 1e+08]"));
}

TEST_CASE("cross-coupling moves the other axis in open loop; the servo removes it",
          "[stage][xyz]") {
  XyzParams params;
  params.axes = {psw::stage::test::ideal_axis('x'), psw::stage::test::ideal_axis('y')};
  params.coupling = Eigen::MatrixXd{{0.0, 0.005}, {0.005, 0.0}};

  SECTION("open loop: y = K_yx·x") {
    // (I + K)·p with p_y = 0: y sees 0.5 % of x's motion. After 0.1 s the 2.4 kHz mode has
    // rung down by e^{−ζωt} = e^{−30}; what is left is the 32-bit DAC's rounding of the
    // voltages (140 V/2³² × 0.1 µm/V = 3.3e-15 m), hence the margins.
    XyzStage stage(params, 1);
    stage.axis(0).set_voltage(50.0);
    stage.step(0.1);
    const double x = stage.axis(0).plant_output_m();
    const double dac_m = 140.0 / std::ldexp(1.0, 32) * 0.1e-6;
    CHECK(x == Approx(5e-6).margin(dac_m));
    CHECK(stage.axis(1).position_m() == Approx(0.005 * x).margin(dac_m));
  }
  SECTION("closed loop: y held inside its window") {
    // The 25 nm that x's 5 µm move couples into y is 5 windows; the y servo rejects it.
    XyzStage stage(params, 1);
    stage.set_servo(true);
    REQUIRE(stage.move_to({0.0, 2e-6}) == MoveStatus::accepted);
    stage.step(0.02);
    REQUIRE(stage.move_to({5e-6, 2e-6}) == MoveStatus::accepted);
    stage.step(0.03);
    CHECK(stage.on_target());
    CHECK(std::abs(stage.axis(1).position_m() - 2e-6) <= params.axes[1].servo.window_m);
    CHECK(std::abs(stage.axis(0).position_m() - 5e-6) <= params.axes[0].servo.window_m);
    CHECK(stage.move_to({5e-6, 11e-6}) == MoveStatus::out_of_limits);
  }
  SECTION("bad coupling names the entry") {
    params.coupling(0, 1) = 0.3;
    REQUIRE_THROWS_WITH(XyzStage(params, 1),
                        Contains("stage.cross_coupling[0][1] = 0.3 is outside [-0.1, 0.1]"));
  }
}
