#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/sintering/neck_growth.hpp>

#include "../support/fit.hpp"

using namespace psw::sintering;

using psw::test::log_log_slope;

namespace {

NeckGrowthOptions only(Mechanism m) {
  NeckGrowthOptions o;
  o.mechanisms = {m};
  o.viscosity_Pa_s = 1e10;  // used by viscous flow only
  o.stop_ratio = 0.3;
  return o;
}

// Temperatures at which each mechanism grows a 20 nm Ag neck to x/a = 0.3 within a practical
// window, so the integration spans the whole initial stage.
double temperature_for(Mechanism m) {
  switch (m) {
    case Mechanism::volume_diffusion:
      return 800.0;
    case Mechanism::surface_diffusion:
      return 700.0;
    default:
      return 450.0;
  }
}

}  // namespace

TEST_CASE(
    "integrated neck growth recovers each mechanism's exponents n (log-log fit) and m "
    "(Herring scaling)",
    "[sintering][neck]") {
  const SinteringMaterial ag = load_material("Ag");
  // Expected (n, m): Frenkel viscous (2, 1), Coble/Kuczynski volume (5, 3), Coble boundary
  // (6, 4), Kuczynski surface (7, 4); m is Herring's (1950) size exponent for each path.
  struct Expect {
    Mechanism m;
    int n, size_exponent;
  };
  const std::vector<Expect> expected = {{Mechanism::viscous_flow, 2, 1},
                                        {Mechanism::volume_diffusion, 5, 3},
                                        {Mechanism::grain_boundary_diffusion, 6, 4},
                                        {Mechanism::surface_diffusion, 7, 4}};
  for (const Expect& e : expected) {
    SECTION(std::string(to_string(e.m))) {
      const auto history = TemperatureHistory::constant(temperature_for(e.m));
      const double a = 10e-9;
      const auto options = only(e.m);
      const NeckLaw law = neck_law(ag, e.m, temperature_for(e.m), options.viscosity_Pa_s);
      const double end = 2.0 * law.time_to(a, 0.3);
      const NeckGrowthResult r = grow_neck(ag, a, history, end, options);
      REQUIRE(r.reached_stop);
      REQUIRE(r.time_s.size() > 10);

      // (x/a)ⁿ ∝ t: the slope of ln(x/a) against ln t is 1/n. The integrator's per-step
      // tolerance is 1e-8, so 1e-5 on the slope leaves a wide margin.
      const double slope = log_log_slope(r.time_s, r.x_over_a);
      CHECK(1.0 / slope == Approx(e.n).epsilon(1e-5));

      // Herring: doubling the radius multiplies the time to x/a = 0.3 by 2^m.
      auto time_to_03 = [&](double radius) {
        const NeckGrowthResult g = grow_neck(ag, radius, history, 1e30, options);
        return g.time_s.back() * std::pow(0.3 / g.x_over_a.back(), e.n);  // exact last bit
      };
      const double ratio = time_to_03(2 * a) / time_to_03(a);
      CHECK(std::log2(ratio) == Approx(e.size_exponent).epsilon(1e-6));
    }
  }
}

TEST_CASE("the grain-boundary law for Ag matches the hand-computed Coble coefficient",
          "[sintering][neck]") {
  const SinteringMaterial ag = load_material("Ag");
  // B = 96·δD·γΩ/kT at 423.15 K with δD = 4.5e-15·exp(−90000/RT) m³/s, γ = 1.25 J/m²,
  // Ω = 107.8682e-3/(10490·N_A) = 1.70752e-29 m³: B = 1.22627e-32 m⁴/s (hand computation in
  // Python from the same figures). For a = 10 nm, x/a = 0.3 after 0.3⁶·a⁴/B = 5.9449e-4 s.
  const NeckLaw law = neck_law(ag, Mechanism::grain_boundary_diffusion, 423.15);
  CHECK(law.n == 6);
  CHECK(law.m == 4);
  CHECK(law.B == Approx(1.22627e-32).epsilon(1e-4));
  CHECK(law.time_to(10e-9, 0.3) == Approx(5.9449e-4).epsilon(1e-4));
  CHECK(ag.atomic_volume_m3() == Approx(1.70752e-29).epsilon(1e-5));
}

TEST_CASE("for nano-Ag below 250 C grain-boundary diffusion outruns lattice and surface paths",
          "[sintering][neck]") {
  // REFERENCES.md: lattice diffusion (1.76 eV) is negligible below ~250 °C, so boundary (and
  // surface) paths dominate; with the Gjostein surface figures the boundary path wins.
  const SinteringMaterial ag = load_material("Ag");
  const auto history = TemperatureHistory::constant(423.15);
  NeckGrowthOptions options;
  options.stop_ratio = 0.3;
  const NeckGrowthResult r = grow_neck(ag, 10e-9, history, 1.0, options);
  REQUIRE(r.reached_stop);
  for (Mechanism m : r.dominant) CHECK(m == Mechanism::grain_boundary_diffusion);
  // With all three paths the neck is at least as fast as the boundary path alone (rates add).
  const NeckLaw gb = neck_law(ag, Mechanism::grain_boundary_diffusion, 423.15);
  CHECK(r.x_over_a.back() == Approx(0.3).epsilon(1e-9));
  CHECK(r.time_s.back() <= gb.time_to(10e-9, 0.3));
}

TEST_CASE("adaptive and fixed-step RK4 integration agree on a ramped history",
          "[sintering][neck]") {
  // A converged fixed-step RK4 run is an independent check of the adaptive integrator when
  // the temperature changes in time (no closed form there).
  const SinteringMaterial ag = load_material("Ag");
  const auto history = TemperatureHistory::ramp(300.0, 360.0, 10.0);
  NeckGrowthOptions options;
  options.stop_ratio = 0.9;      // do not stop early; compare at the end time
  options.initial_ratio = 0.05;  // uniform RK4 steps cannot resolve a smaller, faster start
  const double end = 10.0;
  const NeckGrowthResult adaptive = grow_neck(ag, 10e-9, history, end, options);
  const double rk4 = grow_neck_rk4(ag, 10e-9, history, end, 20000, options);
  CHECK(adaptive.time_s.back() == Approx(end));
  CHECK(adaptive.x_over_a.back() == Approx(rk4).epsilon(1e-6));
}

TEST_CASE("neck growth rejects bad input naming the value", "[sintering][neck]") {
  const SinteringMaterial ag = load_material("Ag");
  const auto history = TemperatureHistory::constant(400.0);
  CHECK_THROWS_WITH(grow_neck(ag, -1e-9, history, 1.0),
                    "neck growth: radius_m = -1e-09 is outside (0, 0.001]");
  CHECK_THROWS_WITH(neck_law(ag, Mechanism::viscous_flow, 400.0),
                    "neck_law: viscous flow needs viscosity_Pa_s");
  NeckGrowthOptions options;
  options.relative_tolerance = 0.5;
  CHECK_THROWS_WITH(grow_neck(ag, 1e-8, history, 1.0, options),
                    "neck growth: relative_tolerance = 0.5 is outside (0, 0.01]");
}
