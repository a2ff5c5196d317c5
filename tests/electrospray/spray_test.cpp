#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/electrospray/spray.hpp>

using Catch::Matchers::Contains;
using namespace psw::electrospray;

namespace {

// Identical 1 µm water droplets dropped from rest between plates (E = 5e5 V/m) with drag:
// every droplet flies the same path, so the landing scatter is Brownian alone, x ~ N(0, B).
struct BrownianOnly {
  EmitterField field{EmitterShape::uniform, {5e-6, 200e-6}, 100.0};
  Ink ink = builtin_ink("water");
  Gas gas;
  FlightOptions flight;
  SprayLaunch launch;
  BrownianOnly() {
    flight.gravity = flight.evaporation = false;
    launch.median_diameter_m = 1e-6;
    launch.rayleigh_fraction = 0.1;
    launch.height_m = 150e-6;
  }
  // B of the common path.
  double variance() const {
    Launch l;
    l.position_m = {0, 0, launch.height_m};
    l.diameter_m = launch.median_diameter_m;
    l.charge_C = launch.rayleigh_fraction * rayleigh_charge(1e-6, ink.surface_tension_N_per_m);
    return DropletFlight(field, ink, gas, flight).fly(l).brownian_variance_m2;
  }
  SprayResult run(std::size_t n, std::uint64_t seed, unsigned threads = 1) const {
    SprayOptions o;
    o.droplets = n;
    o.seed = seed;
    o.threads = threads;
    return simulate_spray(field, ink, gas, flight, launch, o);
  }
};

}  // namespace

TEST_CASE("the Brownian scatter matches √B and the mean converges as 1/√N",
          "[electrospray][spray]") {
  const BrownianOnly setup;
  const double sigma = std::sqrt(setup.variance());  // (2Dt)^½ ≈ 61 nm
  CHECK(sigma > 10e-9);

  // One large run: the sample σ per axis is σ within 3 standard errors, σ/(2(N−1))^½.
  const std::size_t n = 4000;
  const SprayResult big = setup.run(n, 7);
  REQUIRE(big.landed == n);
  const double se_sigma = sigma / std::sqrt(2.0 * (n - 1));
  CHECK(std::abs(big.sigma_x_m - sigma) < 3 * se_sigma);
  CHECK(std::abs(big.sigma_y_m - sigma) < 3 * se_sigma);
  CHECK(big.standard_error_m == Approx(std::max(big.sigma_x_m, big.sigma_y_m) / std::sqrt(n)));
  // Footprint radii of a 2-D Gaussian: r50 = σ(2 ln 2)^½, r95 = σ(2 ln 20)^½ (4 % band:
  // sampling error of a quantile of 4000 draws).
  CHECK(big.radius_50_m == Approx(sigma * std::sqrt(2 * std::log(2.0))).epsilon(0.04));
  CHECK(big.radius_95_m == Approx(sigma * std::sqrt(2 * std::log(20.0))).epsilon(0.04));

  // Replicas: the rms of the mean landing x over R seeds is σ/√N. With R = 40 the rms itself
  // scatters by 1/(2R)^½ = 11 %, so each N must match within 3 × 11 %.
  const int replicas = 40;
  for (std::size_t droplets : {25, 100, 400}) {
    double sum2 = 0.0;
    for (int r = 0; r < replicas; ++r) {
      const double m = setup.run(droplets, 1000 + static_cast<std::uint64_t>(r)).mean_x_m;
      sum2 += m * m;
    }
    const double rms = std::sqrt(sum2 / replicas);
    CHECK(rms * std::sqrt(static_cast<double>(droplets)) / sigma == Approx(1.0).epsilon(0.34));
  }
}

TEST_CASE("a spray is reproducible from its seed whatever the number of threads",
          "[electrospray][spray]") {
  const BrownianOnly setup;
  const SprayResult one = setup.run(500, 42, 1);
  const SprayResult three = setup.run(500, 42, 3);
  CHECK(one.x_m == three.x_m);
  CHECK(one.y_m == three.y_m);
  CHECK(one.time_s == three.time_s);
  CHECK(setup.run(500, 43, 1).x_m != one.x_m);
}

TEST_CASE("a hyperboloid spray lands in a footprint that space charge widens",
          "[electrospray][spray]") {
  const EmitterField field(EmitterShape::hyperboloid, {5e-6, 200e-6}, 800.0);
  const Ink ink = builtin_ink("ag-np-eg");
  SprayLaunch launch;
  launch.median_diameter_m = 0.5e-6;
  launch.geometric_std = 1.1;
  launch.rayleigh_fraction = 0.5;
  launch.height_m = 195e-6;
  launch.speed_m_per_s = 1.0;
  launch.position_spread_m = 0.1e-6;
  SprayOptions o;
  o.droplets = 400;
  o.threads = 2;
  const SprayResult plain = simulate_spray(field, ink, Gas{}, FlightOptions{}, launch, o);
  REQUIRE(plain.landed == o.droplets);
  CHECK(plain.radius_50_m > 0.0);
  CHECK(plain.radius_95_m > plain.radius_50_m);
  // Axial symmetry: the mean lands on the axis within 4 standard errors.
  CHECK(std::abs(plain.mean_x_m) < 4 * plain.standard_error_m);
  CHECK(plain.mean_time_s > 0.0);
  CHECK(plain.space_charge.empty());

  // 100 nA of like charges repel: the mean field pushes droplets outward.
  o.space_charge = true;
  o.current_A = 100e-9;
  o.space_charge_sample = 200;
  o.space_charge_passes = 2;
  const SprayResult charged = simulate_spray(field, ink, Gas{}, FlightOptions{}, launch, o);
  CHECK(charged.radius_rms_m > 1.5 * plain.radius_rms_m);
  REQUIRE_FALSE(charged.space_charge.empty());
  // λ = I/v̄ > 0 where droplets passed; the passes report how much the field still moved.
  CHECK(charged.space_charge.line_charge_C_per_m.front() > 0.0);
  CHECK(charged.space_charge_residual > 0.0);
  CHECK(plain.space_charge_residual == 0.0);
}

TEST_CASE("bad spray settings are refused with the field", "[electrospray][spray]") {
  const BrownianOnly setup;
  SprayLaunch l = setup.launch;
  l.geometric_std = 0.5;
  REQUIRE_THROWS_WITH(simulate_spray(setup.field, setup.ink, setup.gas, setup.flight, l, {}),
                      "launch.geometric_std = 0.5 is outside [1, 5]");
  SprayOptions o;
  o.droplets = 0;
  REQUIRE_THROWS_WITH(
      simulate_spray(setup.field, setup.ink, setup.gas, setup.flight, setup.launch, o),
      "monte_carlo.droplets = 0 is outside [1, 1e+08]");
}
