#include <cmath>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <psw/electrospray/cone_jet.hpp>

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using namespace psw::electrospray;

namespace {
// Identities between closed forms: a few ulps of the operations involved.
constexpr double kIdentity = 1e-13;
// Hand-computed values below are quoted to 7 significant figures.
constexpr double kHand = 1e-6;

// Ethylene glycol with round properties, so that the expected values are easy to recompute.
Ink glycol() {
  Ink ink = builtin_ink("ethylene-glycol");
  ink.conductivity_S_per_m = 1e-4;
  return ink;
}
}  // namespace

TEST_CASE("Smith's onset voltage puts Taylor's field at the tip", "[electrospray][cone_jet]") {
  // Water (γ = 0.07197 N/m), r_c = 50 µm, h = 5 mm:
  // V_on = (γ r_c cos 49.29° / 2ε₀)^½ · ln(4h/r_c) = 5.445233·… = 2181.248 V.
  const EmitterGeometry e{50e-6, 5e-3};
  const double v_on = onset_voltage(0.07197, e);
  CHECK(v_on == Approx(2181.2478).epsilon(kHand));
  // E(V_on) = 2V_on/(r_c ln(4h/r_c)) equals E_T = (2γ cos θ_T/(ε₀ r_c))^½ = 1.456237e7 V/m.
  CHECK(taylor_onset_field(0.07197, 50e-6) == Approx(1.4562368e7).epsilon(kHand));
  CHECK(tip_field(v_on, e) == Approx(taylor_onset_field(0.07197, 50e-6)).epsilon(kIdentity));
  // The rule of thumb V_on ≈ 2·10⁵ (γ r_c)^½ ln(4h/r_c): (cos θ_T/2ε₀)^½ = 1.919160e5.
  CHECK(v_on / (std::sqrt(0.07197 * 50e-6) * std::log(4 * 5e-3 / 50e-6)) ==
        Approx(1.9191603e5).epsilon(kHand));
}

TEST_CASE("Gañán-Calvo's scales satisfy I₀(Q/Q₀)^½ = (γKQ)^½", "[electrospray][cone_jet]") {
  const Ink ink = glycol();
  const ReferenceScales s = reference_scales(ink);
  // I₀ = (ε₀γ²/ρ)^½ = 4.286113e-9 A, Q₀ = γε₀/(ρK) = 3.828040e-12 m³/s,
  // d₀ = (γε₀²/(ρK²))^⅓ = 6.972284e-7 m for γ = 0.04799, ρ = 1110, K = 1e-4.
  CHECK(s.current_A == Approx(4.2861131e-9).epsilon(kHand));
  CHECK(s.flow_m3_per_s == Approx(3.8280403e-12).epsilon(kHand));
  CHECK(s.length_m == Approx(6.9722841e-7).epsilon(kHand));
  for (double q : {1e-15, 1e-12, 3e-10, 1e-8}) {
    const double gkq = ink.surface_tension_N_per_m * ink.conductivity_S_per_m * q;
    CHECK(s.current_A * std::sqrt(q / s.flow_m3_per_s) ==
          Approx(std::sqrt(gkq)).epsilon(kIdentity));
    // And d₀(Q/Q₀)^½ = (ρε₀Q³/(γK))^⅙.
    CHECK(s.length_m * std::sqrt(q / s.flow_m3_per_s) ==
          Approx(std::pow(ink.density_kg_per_m3 * psw::constants::kVacuumPermittivity * q * q * q /
                              (ink.surface_tension_N_per_m * ink.conductivity_S_per_m),
                          1.0 / 6.0))
              .epsilon(kIdentity));
  }
}

TEST_CASE("Chen & Pui's size function and the minimum flow rate", "[electrospray][cone_jet]") {
  // G(ε) = −10.87 ε^(−6/5) + 4.08 ε^(−1/3).
  CHECK(chen_pui_size_function(37.7) == Approx(1.0772681).epsilon(kHand));
  CHECK(chen_pui_size_function(80.0) == Approx(0.8903225).epsilon(kHand));
  // G vanishes at ε = (10.87/4.08)^(1/(6/5 − 1/3)) = 3.0975: no droplets below.
  CHECK(chen_pui_size_function(std::pow(10.87 / 4.08, 1.0 / (1.2 - 1.0 / 3.0))) ==
        Approx(0.0).margin(1e-14));
  // Q_min = γεε₀/(ρK) = 0.04799·37.7·ε₀/(1110·1e-4) = 1.443171e-10 m³/s.
  CHECK(minimum_flow_rate(glycol()) == Approx(1.4431712e-10).epsilon(kHand));
}

TEST_CASE("each scaling law gives its hand-computed current and droplet",
          "[electrospray][cone_jet]") {
  const Ink ink = glycol();
  const double q = 2.0 * minimum_flow_rate(ink);  // 2.886342e-10 m³/s, r* = 9.876718e-6 m

  SECTION("Fernández de la Mora & Loscertales: I = 18(γKQ/ε)^½, d = 1.89·0.4·r*") {
    const auto p = predict(ScalingLaw::fernandez_de_la_mora, ink, q);
    CHECK(p.current_A == Approx(1.0910663e-7).epsilon(kHand));
    CHECK(p.droplet_diameter_m == Approx(7.4667986e-6).epsilon(kHand));
    CHECK(p.rayleigh_fraction == Approx(0.6972025).epsilon(kHand));
    // ε = 37.7 lies just below the f = 18 plateau.
    CHECK_FALSE(p.in_validity_range);
    CHECK_THAT(p.note, Contains("below the f = 18 plateau"));
  }
  SECTION("Gañán-Calvo: I = (γKQ)^½, d = 1.89·d₀(Q/Q₀)^½") {
    const auto p = predict(ScalingLaw::ganan_calvo, ink, q);
    CHECK(p.current_A == Approx(3.7217680e-8).epsilon(kHand));
    CHECK(p.droplet_diameter_m == Approx(1.1442543e-5).epsilon(kHand));
    CHECK(p.rayleigh_fraction == Approx(0.4511690).epsilon(kHand));
    CHECK(p.in_validity_range);
    CHECK(p.note.empty());
  }
  SECTION("Hartman: I = (γKQ)^½, d = 2.0(ρε₀Q⁴/I²)^⅙") {
    const auto p = predict(ScalingLaw::hartman, ink, q);
    CHECK(p.current_A == Approx(3.7217680e-8).epsilon(kHand));
    CHECK(p.droplet_diameter_m == Approx(1.2108511e-5).epsilon(kHand));
    CHECK(p.rayleigh_fraction == Approx(0.4911245).epsilon(kHand));
  }
  SECTION("Chen & Pui: d = G(ε)r*; with the f = 18 current the charge exceeds Rayleigh") {
    const auto p = predict(ScalingLaw::chen_pui, ink, q);
    CHECK(p.droplet_diameter_m == Approx(1.0639873e-5).epsilon(kHand));
    // q/q_R = 1.186 > 1: the combination is inconsistent here, and the result says so.
    CHECK(p.rayleigh_fraction == Approx(1.1859379).epsilon(kHand));
    CHECK_FALSE(p.in_validity_range);
    CHECK_THAT(p.note, Contains("of the Rayleigh limit (> 1"));
  }
  SECTION("below the minimum flow every law says so") {
    for (ScalingLaw law : {ScalingLaw::fernandez_de_la_mora, ScalingLaw::ganan_calvo,
                           ScalingLaw::hartman, ScalingLaw::chen_pui}) {
      CHECK_THAT(predict(law, ink, 0.5 * minimum_flow_rate(ink)).note, Contains("below Q_min"));
    }
  }
  SECTION("names round-trip, and unknown names list the known ones") {
    for (const auto& name : scaling_law_names()) CHECK(to_string(parse_scaling_law(name)) == name);
    REQUIRE_THROWS_WITH(parse_scaling_law("taylor"),
                        Contains("unknown scaling law 'taylor'; known laws: fernandez_de_la_mora"));
    REQUIRE_THROWS_AS(predict(ScalingLaw::hartman, ink, -1e-12), std::invalid_argument);
  }
}

TEST_CASE("the operating window names why there is no stable cone-jet",
          "[electrospray][cone_jet]") {
  const Ink ink = glycol();
  const EmitterGeometry e{50e-6, 5e-3};
  const double q_ok = 2.0 * minimum_flow_rate(ink);
  const double v_on = onset_voltage(ink.surface_tension_N_per_m, e);  // 1781.2 V

  SECTION("inside the window") {
    const auto r = analyse_cone_jet(ink, e, 1.2 * v_on, q_ok, ScalingLaw::ganan_calvo);
    CHECK(r.stable());
    CHECK(r.reason == "stable cone-jet");
    CHECK(r.onset_voltage_V == Approx(v_on));
    CHECK(r.multijet_voltage_V == Approx(1.5 * v_on));
    // Peek, sphere of 50 µm at δ(293.15 K) = 1.01706: E_c = 2.72e6·δ(1 + 0.054/(δ r)^½).
    const double delta = 298.15 / 293.15;
    CHECK(r.corona_field_V_per_m ==
          Approx(2.72e6 * delta * (1 + 0.054 / std::sqrt(delta * 50e-6))).epsilon(kIdentity));
  }
  SECTION("below onset (dripping)") {
    const auto r = analyse_cone_jet(ink, e, 0.9 * v_on, q_ok, ScalingLaw::ganan_calvo);
    CHECK(r.status == ConeJetStatus::below_onset);
    CHECK_THAT(r.reason, StartsWith("no stable cone-jet: 1.6e+03 V is below the onset voltage "
                                    "1.78e+03 V (Smith 1986)"));
  }
  SECTION("above the multi-jet bound") {
    const auto r = analyse_cone_jet(ink, e, 1.6 * v_on, q_ok, ScalingLaw::ganan_calvo);
    CHECK(r.status == ConeJetStatus::multi_jet);
    CHECK_THAT(r.reason, Contains("above the multi-jet bound 1.5 x onset"));
  }
  SECTION("flow below the minimum") {
    const auto r =
        analyse_cone_jet(ink, e, 1.2 * v_on, 0.5 * minimum_flow_rate(ink), ScalingLaw::ganan_calvo);
    CHECK(r.status == ConeJetStatus::below_minimum_flow);
    CHECK_THAT(r.reason, StartsWith("no stable cone-jet: flow 7.22e-11 m3/s is below the "
                                    "minimum 1.44e-10 m3/s"));
  }
  SECTION("corona: a sharp tip far from the plane with water's surface tension") {
    // r_c = 1 mm, h = 10 cm, air at a tenth of an atmosphere: Peek's field falls to
    // 1.76e6 V/m (corona from 5.27 kV), below Taylor's 3.26e6 V/m (onset 9.75 kV), so the
    // meniscus ionises the gas before it forms a cone, as Smith (1986) saw with water.
    Ink water = builtin_ink("water");
    water.conductivity_S_per_m = 1e-3;
    Gas thin;
    thin.pressure_Pa = 10132.5;
    const EmitterGeometry wide{1e-3, 0.1};
    const double v = 1.1 * onset_voltage(water.surface_tension_N_per_m, wide);
    const auto r = analyse_cone_jet(water, wide, v, 1e-6, ScalingLaw::ganan_calvo, thin);
    CHECK(r.status == ConeJetStatus::corona);
    CHECK(r.corona_voltage_V < r.onset_voltage_V);
    CHECK_THAT(r.reason, Contains("reaches the corona onset field"));
  }
  SECTION("heptane: its conductivity puts any practical flow below the minimum") {
    const Ink heptane = builtin_ink("heptane");
    // Q_min = 0.01965·1.92·ε₀/(679.5·1e-12) = 4.92e-4 m³/s: half a litre per second.
    CHECK(minimum_flow_rate(heptane) == Approx(4.9162e-4).epsilon(1e-4));
    const auto r = analyse_cone_jet(heptane, e, 2000, 1e-12, ScalingLaw::hartman);
    CHECK(r.status == ConeJetStatus::below_minimum_flow);
    CHECK_THAT(r.reason, Contains("K = 1e-12 S/m"));
  }
  SECTION("bad input throws, naming the field") {
    REQUIRE_THROWS_WITH(analyse_cone_jet(ink, e, 1000, -1e-12, ScalingLaw::hartman),
                        "flow_m3_per_s = -1e-12 is outside (0, inf)");
    REQUIRE_THROWS_WITH(analyse_cone_jet(ink, {50e-6, 60e-6}, 1000, q_ok, ScalingLaw::hartman),
                        "emitter.gap_m = 6e-05 is outside (1e-04, 1]");
    Ink bad = ink;
    bad.conductivity_S_per_m = -1.0;
    REQUIRE_THROWS_WITH(analyse_cone_jet(bad, e, 1000, q_ok, ScalingLaw::hartman),
                        "ink 'ethylene-glycol': conductivity_S_per_m = -1 is outside (0, 100]");
  }
}
