#include <catch2/catch.hpp>

#include <psw/core/config.hpp>
#include <psw/electrospray/electrospray_case.hpp>

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using psw::Config;
using namespace psw::electrospray;

namespace {
const char* kCase = R"(electrospray:
  ink: ag-np-eg
  emitter: {shape: hyperboloid, radius_um: 5, gap_um: 200}
  voltage_kV: 0.6
  flow_rate_nL_per_s: 2
  scaling_law: hartman
  window: {multijet_voltage_ratio: 1.4}
  gas: {temperature_K: 298.15, mean_free_path_nm: 67}
  flight: {integrator: rk4, rk4_step_ns: 2, evaporation: false}
  launch: {diameter_gsd: 1.2, position_spread_nm: 50, angle_spread_deg: 2, speed_m_per_s: 10}
  monte_carlo: {droplets: 300, seed: 5, threads: 2}
  defect: {length_um: 3, width_um: 2, height_um: 2}
)";

ElectrosprayCase parse(const std::string& text) {
  return ElectrosprayCase::from_config(Config::parse(text, "case.yaml"));
}
}  // namespace

TEST_CASE("a case is read in SI with its defaults", "[electrospray][case]") {
  const ElectrosprayCase c = parse(kCase);
  CHECK(c.ink.name == "ag-np-eg");
  CHECK(c.emitter.radius_m == Approx(5e-6).epsilon(1e-15));
  CHECK(c.voltage_V == Approx(600.0).epsilon(1e-15));
  CHECK(c.flow_m3_per_s == Approx(2e-12).epsilon(1e-15));
  CHECK(c.law == ScalingLaw::hartman);
  CHECK(c.window.multijet_voltage_ratio == 1.4);
  CHECK(c.gas.mean_free_path_m == Approx(67e-9).epsilon(1e-15));
  CHECK(c.flight.integrator == Integrator::rk4);
  CHECK(c.flight.rk4_step_s == Approx(2e-9).epsilon(1e-15));
  CHECK_FALSE(c.flight.evaporation);
  CHECK(c.launch.angle_spread_rad == Approx(2 * psw::constants::kPi / 180).epsilon(1e-15));
  CHECK(*c.launch.position_spread_m == Approx(50e-9).epsilon(1e-15));
  CHECK(c.monte_carlo.droplets == 300);
  REQUIRE(c.defect);
  CHECK(c.defect->packing_fraction == 0.6);
}

TEST_CASE("a stable case sprays, lands and fills the open", "[electrospray][case]") {
  const ElectrosprayCase c = parse(kCase);
  const ElectrosprayReport r = run_case(c);
  REQUIRE(r.cone_jet.stable());
  REQUIRE(r.spray);
  CHECK(r.spray->landed == 300);
  REQUIRE(r.launch);
  // Launch one emitter radius below the tip unless the case says otherwise.
  CHECK(r.launch->height_m == Approx(195e-6).epsilon(1e-14));
  CHECK(r.launch->speed_m_per_s == 10.0);
  REQUIRE(r.deposition);
  CHECK(r.deposition->captured_fraction > 0.0);
  CHECK(r.deposition->fill_time_s ==
        Approx(0.6 * 12e-18 / (r.deposition->captured_fraction * 0.05 * 2e-12)).epsilon(1e-12));
  const std::string summary = format_summary(c, r);
  CHECK_THAT(summary, Contains("status           stable cone-jet"));
  CHECK_THAT(summary, Contains("300 landed, 0 lost"));
  CHECK_THAT(summary, Contains("fill time"));
}

TEST_CASE("outside the window a case reports the reason and sprays nothing",
          "[electrospray][case]") {
  const ElectrosprayCase c = parse(R"(electrospray:
  ink: heptane
  emitter: {radius_um: 5, gap_um: 200}
  voltage_V: 400
  flow_rate_pL_per_s: 100
)");
  const ElectrosprayReport r = run_case(c);
  CHECK(r.cone_jet.status == ConeJetStatus::below_minimum_flow);
  CHECK_FALSE(r.spray);
  CHECK_THAT(format_summary(c, r), Contains("status           no stable cone-jet: flow 1e-13 "
                                            "m3/s is below the minimum 0.000492 m3/s"));
}

TEST_CASE("bad cases are refused with the file, the line and the key", "[electrospray][case]") {
  SECTION("an unknown key") {
    REQUIRE_THROWS_WITH(parse("electrospray:\n  ink: water\n  emitter: {radius_um: 5, gap_um: "
                              "200}\n  voltage_V: 1\n  flow_rate_pL_per_s: 1\n  volts: 3\n"),
                        Contains("case.yaml:6:3: unknown key 'electrospray.volts'"));
  }
  SECTION("two voltages, or none") {
    REQUIRE_THROWS_WITH(parse("electrospray:\n  ink: water\n  emitter: {radius_um: 5, gap_um: "
                              "200}\n  voltage_V: 1\n  voltage_kV: 1\n  flow_rate_pL_per_s: 1\n"),
                        Contains("give only one of voltage_V, voltage_kV"));
    REQUIRE_THROWS_WITH(parse("electrospray:\n  ink: water\n  emitter: {radius_um: 5, gap_um: "
                              "200}\n  flow_rate_pL_per_s: 1\n"),
                        Contains("missing one of voltage_V, voltage_kV in 'electrospray'"));
  }
  SECTION("a negative flow rate") {
    REQUIRE_THROWS_WITH(parse("electrospray:\n  ink: water\n  emitter: {radius_um: 5, gap_um: "
                              "200}\n  voltage_V: 1\n  flow_rate_pL_per_s: -5\n"),
                        Equals("case.yaml:5:23: electrospray.flow_rate_pL_per_s = -5 is outside "
                               "(0, 1e+12]"));
  }
  SECTION("an unknown ink and an unknown law") {
    REQUIRE_THROWS_WITH(parse("electrospray:\n  ink: gold\n"),
                        Contains("unknown ink 'gold'; known inks: ag-np-eg"));
    REQUIRE_THROWS_WITH(parse("electrospray:\n  ink: water\n  emitter: {radius_um: 5, gap_um: "
                              "200}\n  voltage_V: 1\n  flow_rate_pL_per_s: 1\n  scaling_law: x\n"),
                        Contains("'electrospray.scaling_law' = 'x' is not one of"));
  }
  SECTION("a gap smaller than two radii") {
    REQUIRE_THROWS_WITH(
        parse("electrospray:\n  ink: water\n  emitter: {radius_um: 5, gap_um: 8}\n"),
        Contains("electrospray.emitter.gap_um = 8 is outside (10, 1000000] (the "
                 "gap must exceed two emitter radii)"));
  }
}
