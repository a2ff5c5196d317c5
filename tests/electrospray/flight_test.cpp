#include <cmath>

#include <catch2/catch.hpp>

#include <psw/electrospray/flight.hpp>

using Catch::Matchers::Contains;
using namespace psw::electrospray;
using Eigen::Vector3d;

namespace {

// A 1 µm water droplet carrying 1e-15 C between plates 100 V apart (E = 5e5 V/m), the
// textbook case with closed-form answers.
constexpr double kDiameter = 1e-6, kCharge = 1e-15;
const EmitterGeometry kPlates{5e-6, 200e-6};

FlightOptions bare(Integrator integrator) {
  FlightOptions o;
  o.integrator = integrator;
  o.drag = o.gravity = o.evaporation = o.brownian = false;
  return o;
}

double water_mass(double d) {
  return builtin_ink("water").density_kg_per_m3 * psw::constants::kPi * d * d * d / 6.0;
}

}  // namespace

TEST_CASE("without drag a droplet in a uniform field follows the analytic parabola",
          "[electrospray][flight]") {
  const EmitterField field(EmitterShape::uniform, kPlates, 100.0);
  const Ink water = builtin_ink("water");
  Launch launch;
  launch.position_m = {0.0, 0.0, 150e-6};
  launch.velocity_m_per_s = {0.01, -0.002, 0.0};
  launch.diameter_m = kDiameter;
  launch.charge_C = kCharge;
  // a = qE/m; t = (2 z₀/a)^½; x = v_x t, y = v_y t; v_z = −a t at landing.
  const double a = kCharge * 5e5 / water_mass(kDiameter);
  const double t = std::sqrt(2 * 150e-6 / a);

  for (Integrator integrator : {Integrator::adaptive, Integrator::rk4}) {
    FlightOptions o = bare(integrator);
    o.rk4_step_s = 1e-5;
    const FlightResult r = DropletFlight(field, water, Gas{}, o).fly(launch);
    REQUIRE(r.status == FlightStatus::landed);
    // Both schemes integrate a quadratic exactly and the Hermite landing is exact for it:
    // agreement to rounding.
    CHECK(r.time_s == Approx(t).epsilon(1e-12));
    CHECK(r.position_m.x() == Approx(0.01 * t).epsilon(1e-12));
    CHECK(r.position_m.y() == Approx(-0.002 * t).epsilon(1e-12));
    CHECK(r.position_m.z() == 0.0);
    CHECK(r.velocity_m_per_s.z() == Approx(-a * t).epsilon(1e-12));
  }
}

TEST_CASE("with drag the droplet reaches the analytic terminal velocity",
          "[electrospray][flight]") {
  const EmitterGeometry plates{5e-6, 2e-3};
  const EmitterField field(EmitterShape::uniform, plates, 1000.0);  // 5e5 V/m again
  const Ink water = builtin_ink("water");
  const Gas air;
  Launch launch;
  launch.position_m = {0.0, 0.0, 1.9e-3};
  launch.diameter_m = kDiameter;
  launch.charge_C = kCharge;
  // v_t = qE·C/(3πμd); τ = m·C/(3πμd); from rest z(t) = z₀ − v_t(t − τ(1 − e^(−t/τ))).
  const double mobility = mechanical_mobility(kDiameter, air);
  const double vt = kCharge * 5e5 * mobility;           // 3.4177 m/s
  const double tau = water_mass(kDiameter) * mobility;  // 3.568e-6 s
  double t = 1.9e-3 / vt;
  for (int i = 0; i < 50; ++i) {
    const double z = 1.9e-3 - vt * (t - tau * (1 - std::exp(-t / tau)));
    t += z / (vt * (1 - std::exp(-t / tau)));
  }

  FlightOptions o = bare(Integrator::adaptive);
  o.drag = true;
  o.relative_tolerance = 1e-10;
  o.position_tolerance_m = 1e-15;
  o.velocity_tolerance_m_per_s = 1e-12;
  const FlightResult r = DropletFlight(field, water, air, o).fly(launch);
  REQUIRE(r.status == FlightStatus::landed);
  // After 155 relaxation times the speed is v_t to within e^(−155); the landing time matches
  // the closed form to the integrator's tolerance.
  CHECK(-r.velocity_m_per_s.z() == Approx(vt).epsilon(1e-9));
  CHECK(r.time_s == Approx(t).epsilon(1e-9));

  SECTION("the fixed-step RK4 baseline agrees once its step resolves τ") {
    FlightOptions rk4 = o;
    rk4.integrator = Integrator::rk4;
    rk4.rk4_step_s = tau / 20;
    const FlightResult b = DropletFlight(field, water, air, rk4).fly(launch);
    CHECK(-b.velocity_m_per_s.z() == Approx(vt).epsilon(1e-9));
    CHECK(b.time_s == Approx(t).epsilon(1e-8));
  }
  SECTION("Brownian variance accumulates as 2Dt, gravity adds m·g·B to v_t") {
    FlightOptions more = o;
    more.brownian = true;
    more.gravity = true;
    const FlightResult g = DropletFlight(field, water, air, more).fly(launch);
    CHECK(g.brownian_variance_m2 ==
          Approx(2 * diffusion_coefficient(kDiameter, air) * g.time_s).epsilon(1e-10));
    const double vt_g = vt + water_mass(kDiameter) * kStandardGravity * mobility;
    CHECK(-g.velocity_m_per_s.z() == Approx(vt_g).epsilon(1e-9));
  }
}

TEST_CASE("an evaporating droplet shrinks by the d² law", "[electrospray][flight]") {
  const EmitterField field(EmitterShape::uniform, kPlates, 20.0);
  const Ink water = builtin_ink("water");
  const Gas air;
  Launch launch;
  launch.position_m = {0.0, 0.0, 150e-6};
  launch.diameter_m = 3e-6;
  launch.charge_C = kCharge;
  FlightOptions o;
  o.brownian = false;
  const DropletFlight flight(field, water, air, o);
  const FlightResult r = flight.fly(launch);
  REQUIRE(r.status == FlightStatus::landed);
  // d(t)² = d₀² − βt with β = evaporation_constant(water, air) = 4.54e-9 m²/s at 20 °C.
  const double beta = flight.evaporation_constant_m2_per_s();
  CHECK(beta == evaporation_constant(water, air));
  REQUIRE(9e-12 - beta * r.time_s > 0.0);
  CHECK(r.diameter_m == Approx(std::sqrt(9e-12 - beta * r.time_s)).epsilon(1e-12));
  CHECK(r.diameter_m < 3e-6);
  // The charge stays, so q/q_R grows as the droplet shrinks: (d₀/d)^(3/2) times the start.
  const double start = kCharge / rayleigh_charge(3e-6, water.surface_tension_N_per_m);
  CHECK(r.rayleigh_fraction == Approx(start * std::pow(3e-6 / r.diameter_m, 1.5)).epsilon(1e-12));
}

TEST_CASE("RK4 converges at fourth order toward the adaptive reference on the hyperboloid",
          "[electrospray][flight]") {
  const EmitterField field(EmitterShape::hyperboloid, {5e-6, 200e-6}, 800.0);
  const Ink ink = builtin_ink("ag-np-eg");
  Launch launch;
  launch.position_m = {0.2e-6, 0.0, 195e-6};
  launch.velocity_m_per_s = {0.5, 0.0, -1.0};
  launch.diameter_m = 0.5e-6;
  launch.charge_C = 0.5 * rayleigh_charge(0.5e-6, ink.surface_tension_N_per_m);

  FlightOptions tight;
  tight.brownian = false;
  tight.relative_tolerance = 1e-12;
  tight.position_tolerance_m = 1e-18;
  tight.velocity_tolerance_m_per_s = 1e-12;
  const FlightResult ref = DropletFlight(field, ink, Gas{}, tight).fly(launch);
  REQUIRE(ref.status == FlightStatus::landed);

  // The default adaptive tolerances land within 0.1 nm of the reference.
  FlightOptions normal;
  normal.brownian = false;
  const FlightResult adaptive = DropletFlight(field, ink, Gas{}, normal).fly(launch);
  CHECK(std::abs(adaptive.position_m.x() - ref.position_m.x()) < 1e-10);

  // Halving the RK4 step divides the landing error by about 2⁴ = 16.
  double previous = 0.0;
  for (double h : {4e-8, 2e-8, 1e-8}) {
    FlightOptions rk4 = tight;
    rk4.integrator = Integrator::rk4;
    rk4.rk4_step_s = h;
    const FlightResult r = DropletFlight(field, ink, Gas{}, rk4).fly(launch);
    const double error = std::abs(r.position_m.x() - ref.position_m.x());
    if (previous > 0.0) CHECK(previous / error == Approx(16.0).epsilon(0.3));
    previous = error;
  }
}

TEST_CASE("flights that cannot land say why, and bad launches are refused",
          "[electrospray][flight]") {
  const EmitterField field(EmitterShape::hyperboloid, {5e-6, 200e-6}, 800.0);
  const Ink ink = builtin_ink("ag-np-eg");
  Launch launch;
  launch.position_m = {0.0, 0.0, 190e-6};
  launch.diameter_m = 0.5e-6;
  SECTION("a droplet of the wrong polarity returns to the emitter") {
    launch.charge_C = -1e-15;
    CHECK(DropletFlight(field, ink, Gas{}, FlightOptions{}).fly(launch).status ==
          FlightStatus::returned);
  }
  SECTION("out of time") {
    launch.charge_C = 1e-15;
    FlightOptions o;
    o.max_time_s = 1e-9;
    CHECK(DropletFlight(field, ink, Gas{}, o).fly(launch).status == FlightStatus::timed_out);
  }
  SECTION("a launch inside the emitter or below the plane") {
    launch.position_m = {0.0, 0.0, 201e-6};
    REQUIRE_THROWS_WITH(DropletFlight(field, ink, Gas{}, FlightOptions{}).fly(launch),
                        "launch.position_m.z = 0.000201 is outside (0, 2e-04]");
    launch.position_m = {0.0, 0.0, 200e-6};  // the tip itself
    REQUIRE_THROWS_WITH(DropletFlight(field, ink, Gas{}, FlightOptions{}).fly(launch),
                        Contains("lies inside the emitter"));
  }
  SECTION("bad options name the field") {
    FlightOptions o;
    o.relative_tolerance = 0.0;
    REQUIRE_THROWS_WITH(DropletFlight(field, ink, Gas{}, o),
                        "flight.relative_tolerance = 0 is outside (0, 0.1]");
    REQUIRE_THROWS_WITH(parse_integrator("euler"),
                        "unknown integrator 'euler'; known integrators: adaptive, rk4");
  }
}
