#include <cmath>

#include <catch2/catch.hpp>

#include <psw/sintering/coalescence.hpp>
#include <psw/sintering/size_dependent_melting.hpp>

using namespace psw::sintering;

TEST_CASE("Koch-Friedlander coalescence time matches a hand computation and scales as d^3",
          "[sintering][coalescence]") {
  const SinteringMaterial ag = load_material("Ag");
  // τ = 3kT·(πd³/6)/(64π·γ·Ω·D) for 20 nm Ag at 900 K with D = 4.3e-6·exp(−169800/RT):
  // D = 6.39e-16 m²/s, τ = 0.060562 s (hand computation from the same figures).
  CHECK(koch_friedlander_time(ag, 900.0, 20e-9) == Approx(0.0605624).epsilon(1e-5));
  // v_p ∝ d³ with everything else fixed: Herring's volume-diffusion scaling.
  const double ratio =
      koch_friedlander_time(ag, 900.0, 40e-9) / koch_friedlander_time(ag, 900.0, 20e-9);
  CHECK(ratio == Approx(8.0).epsilon(1e-12));
  CHECK_THROWS_WITH(koch_friedlander_time(900.0, 0.0, 1.0, 1e-29, 1e-16),
                    "koch_friedlander_time: diameter_m = 0 is outside (0, inf)");
}

TEST_CASE("Buffat-Borel melting point: hand-computed value, 1/r depression, bulk limit",
          "[sintering][melting]") {
  const SinteringMaterial ag = load_material("Ag");
  // r = 5 nm: 2/(ρs·L·r)·(γs − γl·(ρs/ρl)^(2/3)) with ρs = 10490, ρl = 9320 kg/m³,
  // L = 11280/0.1078682 J/kg, γs = 1.25, γl = 0.93 J/m² gives Tm = 1125.18 K.
  CHECK(buffat_borel_melting_point(ag, 5e-9) == Approx(1125.18).epsilon(1e-5));
  // The depression ΔT ∝ 1/r: halving r doubles it.
  const double d5 = ag.melting_point_K - buffat_borel_melting_point(ag, 5e-9);
  const double d10 = ag.melting_point_K - buffat_borel_melting_point(ag, 10e-9);
  CHECK(d5 / d10 == Approx(2.0).epsilon(1e-12));
  // A 1 mm particle melts within 1 mK of the bulk point.
  CHECK(buffat_borel_melting_point(ag, 1e-3) == Approx(ag.melting_point_K).margin(1e-3));
  CHECK_THROWS_WITH(buffat_borel_melting_point(ag, 0.5e-9),
                    "buffat_borel_melting_point: radius_m = 5e-10 is outside [1e-09, 1]");
}
