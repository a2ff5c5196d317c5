#include <psw/core/constants.hpp>
#include <psw/core/units.hpp>

#include <catch2/catch.hpp>

#include <cmath>

namespace c = psw::constants;

TEST_CASE("CODATA 2018 constants satisfy the relations that define them", "[core][units]") {
  // ε₀μ₀c² = 1 holds to the 1.5e-10 relative uncertainty of CODATA 2018's ε₀ and μ₀.
  CHECK(c::kVacuumPermittivity * c::kVacuumPermeability * c::kSpeedOfLight * c::kSpeedOfLight ==
        Approx(1.0).epsilon(1e-9));
  // σ = 2π⁵k⁴/(15h³c²) with exact h, k, c: CODATA quotes 5.670374419e-8 (rounded, 1e-10).
  const double sigma = 2.0 * std::pow(c::kPi, 5) * std::pow(c::kBoltzmann, 4) /
                       (15.0 * std::pow(c::kPlanck, 3) * c::kSpeedOfLight * c::kSpeedOfLight);
  CHECK(sigma == Approx(c::kStefanBoltzmann).epsilon(1e-9));
  // R = N_A·k_B = 8.314462618... J/(mol·K).
  CHECK(c::kGasConstant == Approx(8.314462618).epsilon(1e-10));
  // m_u = 1 g/mol / N_A to the 3e-10 relative uncertainty of m_u.
  CHECK(c::kAtomicMassUnit == Approx(1e-3 / c::kAvogadro).epsilon(1e-9));
}

TEST_CASE("unit suffixes of config keys map to SI factors", "[core][units]") {
  CHECK(*psw::si_scale_for_key("thickness_nm") == 1e-9);
  CHECK(*psw::si_scale_for_key("pulse_fwhm_fs") == 1e-15);
  CHECK(*psw::si_scale_for_key("fluence_J_per_m2") == 1.0);
  CHECK(*psw::si_scale_for_key("fluence_mJ_per_cm2") == 10.0);  // 1 mJ/cm² = 10 J/m²
  CHECK(*psw::si_scale_for_key("setpoint_kV") == 1e3);
  CHECK(*psw::si_scale_for_key("gamma_J_per_m3K2") == 1.0);
  CHECK(*psw::si_scale_for_key("viscosity_mPa_s") == 1e-3);
  CHECK(*psw::si_scale_for_key("flow_nL_per_s") == 1e-12);
  SECTION("keys without a unit, and Celsius, have none") {
    CHECK_FALSE(psw::si_scale_for_key("cells").has_value());
    CHECK_FALSE(psw::si_scale_for_key("rtol").has_value());
    CHECK_FALSE(psw::si_scale_for_key("temperature_C").has_value());
  }
}

TEST_CASE("temperature conversions are exact offsets", "[core][units]") {
  CHECK(psw::units::celsius_to_kelvin(25.0) == 298.15);
  CHECK(psw::units::kelvin_to_celsius(273.15) == 0.0);
  // 1 eV ≈ 11604.518 K (e/k_B with exact SI values).
  CHECK(psw::units::electronvolt_to_kelvin(1.0) == Approx(11604.51812).epsilon(1e-9));
}
