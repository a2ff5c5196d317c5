#include <cmath>

#include <catch2/catch.hpp>

#include <psw/core/constants.hpp>
#include <psw/sintering/deposit.hpp>

using namespace psw::sintering;

TEST_CASE("Bruggeman: three times bulk resistivity at porosity 4/9", "[sintering][resistivity]") {
  // (3φ − 1)/2 = 1/3 ⇔ φ = 5/9: porosity 4/9 (no grain-boundary scattering).
  ResistivityModel m;
  m.mean_free_path_m = 0.0;
  const double phi = m.solid_fraction_for_resistivity(3.0 * m.bulk_resistivity_ohm_m, 1e-6);
  CHECK(1.0 - phi == Approx(4.0 / 9.0).epsilon(1e-14));
  CHECK(m.resistivity(5.0 / 9.0, 1e-6) == Approx(3.0 * m.bulk_resistivity_ohm_m).epsilon(1e-14));
  // The Bruggeman conduction threshold for insulating pores is φ = 1/3.
  CHECK(std::isinf(m.resistivity(1.0 / 3.0, 1e-6)));
}

TEST_CASE("percolation: the 3x-bulk porosity matches its closed form", "[sintering][resistivity]") {
  // ((φ − φc)/(1 − φc))^t = 1/3 ⇔ φ = φc + (1 − φc)·3^(−1/t).
  ResistivityModel m;
  m.conduction = ConductionModel::percolation;
  m.percolation_threshold = 0.2;
  m.percolation_exponent = 2.0;
  m.mean_free_path_m = 0.0;
  const double phi = m.solid_fraction_for_resistivity(3.0 * m.bulk_resistivity_ohm_m, 1e-6);
  CHECK(phi == Approx(0.2 + 0.8 / std::sqrt(3.0)).epsilon(1e-14));
  CHECK(m.resistivity(phi, 1e-6) == Approx(3.0 * m.bulk_resistivity_ohm_m).epsilon(1e-13));
}

TEST_CASE("Mayadas-Shatzkes factor: limits and a hand-computed value", "[sintering][resistivity]") {
  // α → 0 (large grains or R = 0): no extra scattering.
  CHECK(mayadas_shatzkes_factor(1e-3, 53.3e-9, 0.3) == Approx(1.0).epsilon(1e-4));
  CHECK(mayadas_shatzkes_factor(50e-9, 53.3e-9, 0.0) == 1.0);
  // Small α: F ≈ 1 + 1.5α, large α: F ≈ 4α/3 (the limits given by Mayadas & Shatzkes 1970).
  auto grain_for = [](double alpha) { return 53.3e-9 / alpha * 0.3 / 0.7; };
  CHECK(mayadas_shatzkes_factor(grain_for(1e-4), 53.3e-9, 0.3) ==
        Approx(1.0 + 1.5e-4).epsilon(1e-7));
  CHECK(mayadas_shatzkes_factor(grain_for(1e4), 53.3e-9, 0.3) ==
        Approx(4.0 / 3.0 * 1e4).epsilon(1e-4));
  // Continuity where the series takes over (α = 1e3).
  CHECK(mayadas_shatzkes_factor(grain_for(1e3 * (1 - 1e-9)), 53.3e-9, 0.3) ==
        Approx(mayadas_shatzkes_factor(grain_for(1e3 * (1 + 1e-9)), 53.3e-9, 0.3)).epsilon(1e-6));
  // 50 nm Ag grains, λ = 53.3 nm, R = 0.3: α = 0.45686, F = 1.64168 (hand computation).
  CHECK(mayadas_shatzkes_factor(50e-9, 53.3e-9, 0.3) == Approx(1.64168).epsilon(1e-5));
}

TEST_CASE("published Ag-ink resistivities are reproduced within 10 %", "[sintering][deposit]") {
  // The Ag master sintering curve (data/sintering/ag.yaml) was fitted to these two points, so
  // this guards the chain MSC → density → Bruggeman → Mayadas–Shatzkes against regressions;
  // it is not an independent validation. Band: 10 %, about the spread of repeated film
  // measurements in such papers.
  const SinteringMaterial ag = load_material("Ag");
  SECTION("Park et al., Materials 17 (2024) 978: 50 nm ink, 30 min at 350 C -> 2.6 uohm cm") {
    const Deposit d(ag, deposit_options_for(ag, 50e-9));
    const double rho = d.resistivity_at(TemperatureHistory::constant(623.15), 1800.0);
    CHECK(rho == Approx(2.6e-8).epsilon(0.10));
  }
  SECTION("Ding et al., Nanoscale Res. Lett. 11 (2016) 412: ~52 nm, 75 min at 160 C -> 3.83") {
    const Deposit d(ag, deposit_options_for(ag, 52e-9));
    const double rho = d.resistivity_at(TemperatureHistory::constant(433.15), 4500.0);
    CHECK(rho == Approx(3.83e-8).epsilon(0.10));
  }
  SECTION("after 30 min, hotter furnaces give lower resistivity (the trend of Park et al.)") {
    const Deposit d(ag, deposit_options_for(ag, 50e-9));
    double previous = HUGE_VAL;
    for (double celsius = 150; celsius <= 400; celsius += 50) {
      const double rho = d.resistivity_at(TemperatureHistory::constant(celsius + 273.15), 1800);
      CHECK(rho < previous);
      previous = rho;
    }
  }
}

TEST_CASE("time to 3x bulk: the inverse of the forward curves, with expected outcomes as status",
          "[sintering][deposit]") {
  const SinteringMaterial ag = load_material("Ag");
  const Deposit d(ag, deposit_options_for(ag, 50e-9));
  const auto hold = TemperatureHistory::constant(473.15);

  SECTION("at constant T the time is Θ_needed·T·exp(Q/RT) and the resistivity there is 3x") {
    const TimeToTarget t = d.time_to_resistivity_ratio(hold);
    REQUIRE(t.status == TargetStatus::reached);
    const double Q = d.curve().activation_J_per_mol();
    const double closed =
        t.theta_s_per_K * 473.15 * std::exp(Q / (psw::constants::kGasConstant * 473.15));
    CHECK(t.time_s == Approx(closed).epsilon(1e-12));
    CHECK(d.resistivity_at(hold, t.time_s) == Approx(3.0 * 1.59e-8).epsilon(1e-9));
  }
  SECTION("a target below what 50 nm grains allow at full density is unreachable") {
    // F_MS(50 nm) = 1.64, so 1.5× bulk cannot be met by densification alone.
    const TimeToTarget t = d.time_to_resistivity_ratio(hold, 1.5);
    CHECK(t.status == TargetStatus::unreachable);
    CHECK_THAT(t.message, Catch::Contains("above the curve's maximum"));
  }
  SECTION("a loose target is met by the green deposit") {
    CHECK(d.time_to_resistivity_ratio(hold, 100.0).status == TargetStatus::already_met);
  }
  SECTION("a deposit held cold makes no progress") {
    CHECK(d.time_to_resistivity_ratio(TemperatureHistory::constant(5.0)).status ==
          TargetStatus::not_in_history);
  }
}

TEST_CASE("copper has no fitted master curve and says so", "[sintering][deposit]") {
  const SinteringMaterial cu = load_material("Cu");
  CHECK_THROWS_WITH(Deposit(cu, deposit_options_for(cu, 50e-9)),
                    "material Cu has no master_sintering_curve; give one in the case");
  CHECK_THROWS_WITH(load_material("Au"),
                    "unknown sintering material 'Au'; known materials: Ag, Cu");
}
