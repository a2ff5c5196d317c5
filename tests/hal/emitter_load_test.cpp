// The simulated HV channel's load follows psw::electrospray's cone-jet model (issue #7
// "Simulated devices"): zero spray current below the emitter's onset voltage, the scaling
// law's current above it, read back through the real iseg driver.
#include <cmath>

#include <catch2/catch.hpp>

#include <psw/electrospray/ink.hpp>
#include <psw/hal/emitter_load.hpp>
#include <psw/hal/iseg_hv_supply.hpp>

using namespace psw::hal;
namespace es = psw::electrospray;

namespace {

// Six significant digits in iseg's number format ("6.93000E-11A"): half a unit in the last.
constexpr double kIsegRelTol = 5e-6;

ConeJetLoad ethylene_glycol_load() {
  ConeJetLoad load;
  load.ink = es::builtin_ink("ethylene-glycol");
  load.flow_m3_per_s = 1e-12;  // above its Q_min = γεε₀/(ρK) ≈ 1.4e-13 m³/s
  return load;
}

// The measured current after ramping the simulated channel to `voltage_V` and settling.
double measured_current_at(const ConeJetLoad& load, double voltage_V) {
  IsegSimulatorOptions base;
  base.leak_resistance_ohm = 1e15;
  IsegSimulator sim(cone_jet_hv_options(load, base));
  SimulatedClock clock;
  PipeTransport pipe(sim, clock);
  IsegHvSupply hv(pipe, clock, {});
  REQUIRE(hv.set_ramp_rate(1000.0).ok());
  REQUIRE(hv.set_voltage(voltage_V).ok());
  REQUIRE(hv.set_output(true).ok());
  clock.advance(5.0);  // ≥ voltage_V / 1000 V/s
  REQUIRE(hv.measured_voltage().value() == Approx(voltage_V).epsilon(kIsegRelTol));
  return hv.measured_current().value();
}

}  // namespace

TEST_CASE("The HV load is the cone-jet current above onset and nothing below",
          "[hal][iseg][twin][electrospray]") {
  const ConeJetLoad load = ethylene_glycol_load();
  const double onset_V = es::onset_voltage(load.ink.surface_tension_N_per_m, load.emitter);
  REQUIRE(onset_V > 100.0);
  REQUIRE(onset_V < 5000.0);
  CHECK(cone_jet_hv_options(load).onset_V == onset_V);

  SECTION("above onset: the electrospray module's own figure at that voltage, plus leakage") {
    const double V = std::round(1.5 * onset_V);  // whole volts go out exactly
    const double expected_spray =
        es::analyse_cone_jet(load.ink, load.emitter, V, load.flow_m3_per_s, load.law)
            .prediction.current_A;
    REQUIRE(expected_spray > 0.0);
    const double leak = V / 1e15;
    CHECK(measured_current_at(load, V) == Approx(expected_spray + leak).epsilon(kIsegRelTol));
  }
  SECTION("below onset: leakage V/R only") {
    const double V = std::round(0.8 * onset_V);
    CHECK(measured_current_at(load, V) == Approx(V / 1e15).epsilon(kIsegRelTol));
  }
  SECTION("another law changes the current as the electrospray module says") {
    ConeJetLoad fdlm = load;
    fdlm.law = es::ScalingLaw::fernandez_de_la_mora;
    const double V = std::round(1.2 * onset_V);
    const double expected = es::predict(fdlm.law, fdlm.ink, fdlm.flow_m3_per_s).current_A;
    CHECK(measured_current_at(fdlm, V) == Approx(expected + V / 1e15).epsilon(kIsegRelTol));
  }
}
