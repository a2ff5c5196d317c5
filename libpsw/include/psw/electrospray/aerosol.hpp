// Aerosol mechanics of a charged droplet in still gas: slip-corrected Stokes drag, mobility,
// Brownian diffusion, the Rayleigh charge limit and d²-law evaporation.
//
//   Knudsen number        Kn = 2λ/d
//   Cunningham factor     C(d) = 1 + Kn·[A₁ + A₂·exp(−A₃/Kn)],  A₁ = 1.257, A₂ = 0.400,
//                         A₃ = 1.10                                        (Davies 1945)
//   Stokes drag           F = −3πμd·v / C
//   relaxation time       τ = m·C/(3πμd) = ρ_p·d²·C/(18μ)
//   Brownian diffusion    D = k_B·T·C/(3πμd)                               (Stokes–Einstein)
//   Rayleigh limit        q_R = 8π·(ε₀·γ·r³)^½, r = d/2                   (Rayleigh 1882)
//   d² law                d(d²)/dt = −β,  β = 8·D_v·M·p_sat/(ρ_l·R·T)
//                         (diffusion-limited evaporation into vapour-free gas; Hinds 1999,
//                         ch. 13)
//
// Regime and assumptions: Stokes drag needs a droplet Reynolds number Re = ρ_g·|v|·d/μ ≲ 1
// (the flight model reports the largest Re met); the Cunningham form covers all Kn with the
// Davies constants for oil droplets in air. The d² law neglects evaporative cooling, the Kelvin
// effect and the transition-regime (Fuchs) correction, so it overestimates evaporation of
// sub-µm droplets of volatile solvents.
//
// References: C. N. Davies, Proc. Phys. Soc. 57 (1945) 259; Lord Rayleigh, Phil. Mag. 14
// (1882) 184; W. C. Hinds, Aerosol Technology, 2nd ed., Wiley (1999).
#pragma once

#include <cmath>

#include <psw/core/constants.hpp>
#include <psw/electrospray/ink.hpp>

namespace psw::electrospray {

/// Still gas around the spray; defaults are air at 20 °C and 101.325 kPa (Hinds 1999, ch. 2:
/// μ = 1.81e-5 Pa·s, λ = 0.066 µm).
struct Gas {
  double temperature_K = 293.15;            ///< (0, 2000]
  double pressure_Pa = 101325.0;            ///< (0, 1e7]
  double viscosity_Pa_s = 1.81e-5;          ///< (0, 1e-3]
  double mean_free_path_m = 66e-9;          ///< (0, 1e-3]
  double molar_mass_kg_per_mol = 28.97e-3;  ///< (0, 1]

  /// Ideal-gas density p·M/(R·T), kg/m³.
  double density_kg_per_m3() const {
    return pressure_Pa * molar_mass_kg_per_mol / (constants::kGasConstant * temperature_K);
  }
  /// @throws std::invalid_argument naming the field, value and range.
  void validate() const;
};

/// Davies (1945) slip-correction constants.
inline constexpr double kCunninghamA1 = 1.257;
inline constexpr double kCunninghamA2 = 0.400;
inline constexpr double kCunninghamA3 = 1.10;

/// Kn = 2λ/d.
inline double knudsen_number(double diameter_m, double mean_free_path_m) {
  return 2.0 * mean_free_path_m / diameter_m;
}

/// Cunningham slip correction C(d) (Davies 1945), ≥ 1.
inline double cunningham_factor(double diameter_m, double mean_free_path_m) {
  const double kn = knudsen_number(diameter_m, mean_free_path_m);
  return 1.0 + kn * (kCunninghamA1 + kCunninghamA2 * std::exp(-kCunninghamA3 / kn));
}

/// Mechanical mobility B = C/(3πμd), m/(N·s): velocity per unit force.
inline double mechanical_mobility(double diameter_m, const Gas& gas) {
  return cunningham_factor(diameter_m, gas.mean_free_path_m) /
         (3.0 * constants::kPi * gas.viscosity_Pa_s * diameter_m);
}

/// Relaxation time τ = m·B for a sphere of density ρ: ρ·d²·C/(18μ), s.
inline double relaxation_time(double diameter_m, double density_kg_per_m3, const Gas& gas) {
  const double mass =
      density_kg_per_m3 * constants::kPi * diameter_m * diameter_m * diameter_m / 6.0;
  return mass * mechanical_mobility(diameter_m, gas);
}

/// Brownian diffusion coefficient D = k_B·T·B, m²/s.
inline double diffusion_coefficient(double diameter_m, const Gas& gas) {
  return constants::kBoltzmann * gas.temperature_K * mechanical_mobility(diameter_m, gas);
}

/// Droplet Reynolds number ρ_g·|v|·d/μ.
inline double reynolds_number(double diameter_m, double speed_m_per_s, const Gas& gas) {
  return gas.density_kg_per_m3() * speed_m_per_s * diameter_m / gas.viscosity_Pa_s;
}

/// Rayleigh limit q_R = 8π(ε₀γr³)^½ of a droplet of diameter d, C.
inline double rayleigh_charge(double diameter_m, double surface_tension_N_per_m) {
  const double r = 0.5 * diameter_m;
  return 8.0 * constants::kPi *
         std::sqrt(constants::kVacuumPermittivity * surface_tension_N_per_m * r * r * r);
}

/// d²-law evaporation constant β = 8·D_v·M·p_sat/(ρ_l·R·T), m²/s, with the ink's solvent data
/// and the gas temperature (isothermal droplet, vapour-free far field).
double evaporation_constant(const Ink& ink, const Gas& gas);

}  // namespace psw::electrospray
