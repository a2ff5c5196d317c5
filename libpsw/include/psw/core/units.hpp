// Unit conversions at the library's edges. Inside psw everything is SI; config keys, reports and
// drivers speak nm, µm, fs, kV and °C, and convert here.
#pragma once

#include <psw/core/constants.hpp>

#include <optional>
#include <string_view>

namespace psw::units {

inline constexpr double kNanometre = 1e-9;
inline constexpr double kMicrometre = 1e-6;
inline constexpr double kMillimetre = 1e-3;
inline constexpr double kFemtosecond = 1e-15;
inline constexpr double kPicosecond = 1e-12;
inline constexpr double kNanosecond = 1e-9;
inline constexpr double kMicrosecond = 1e-6;
inline constexpr double kMillisecond = 1e-3;
inline constexpr double kKilovolt = 1e3;
inline constexpr double kNanolitre = 1e-12;   // m³
inline constexpr double kPicolitre = 1e-15;   // m³
inline constexpr double kFemtolitre = 1e-18;  // m³

constexpr double celsius_to_kelvin(double celsius) { return celsius + constants::kZeroCelsius; }
constexpr double kelvin_to_celsius(double kelvin) { return kelvin - constants::kZeroCelsius; }
/// Temperature equivalent of an energy: E/k_B.
constexpr double electronvolt_to_kelvin(double ev) {
  return ev * constants::kElectronVolt / constants::kBoltzmann;
}

}  // namespace psw::units

namespace psw {

/// The factor that turns a value of a unit-suffixed config key into SI: "thickness_nm" → 1e-9,
/// "pulse_fwhm_fs" → 1e-15, "fluence_J_per_m2" → 1, "setpoint_kV" → 1e3. Temperatures in kelvin
/// only (°C is not a scale). nullopt when the key ends in no suffix psw knows.
std::optional<double> si_scale_for_key(std::string_view key);

}  // namespace psw
