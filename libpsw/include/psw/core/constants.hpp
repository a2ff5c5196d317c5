// Physical constants, SI, CODATA 2018 recommended values.
//
// Exact values (by the 2019 SI definition) are marked "exact"; the others carry CODATA 2018's
// standard uncertainty in the last digits, e.g. ε₀ = 8.8541878128(13)e-12 F/m.
//
// Reference: E. Tiesinga, P. J. Mohr, D. B. Newell, B. N. Taylor, "CODATA recommended values of
// the fundamental physical constants: 2018", Rev. Mod. Phys. 93 (2021) 025010.
#pragma once

namespace psw::constants {

inline constexpr double kPi = 3.141592653589793238462643383279502884;

/// c, m/s (exact)
inline constexpr double kSpeedOfLight = 299792458.0;
/// h, J·s (exact)
inline constexpr double kPlanck = 6.62607015e-34;
/// ħ = h/2π, J·s
inline constexpr double kReducedPlanck = kPlanck / (2.0 * kPi);
/// e, C (exact)
inline constexpr double kElementaryCharge = 1.602176634e-19;
/// k_B, J/K (exact)
inline constexpr double kBoltzmann = 1.380649e-23;
/// N_A, 1/mol (exact)
inline constexpr double kAvogadro = 6.02214076e23;
/// R = N_A·k_B, J/(mol·K) (exact)
inline constexpr double kGasConstant = kAvogadro * kBoltzmann;
/// ε₀, F/m: 8.8541878128(13)e-12
inline constexpr double kVacuumPermittivity = 8.8541878128e-12;
/// μ₀, N/A²: 1.25663706212(19)e-6
inline constexpr double kVacuumPermeability = 1.25663706212e-6;
/// m_e, kg: 9.1093837015(28)e-31
inline constexpr double kElectronMass = 9.1093837015e-31;
/// atomic mass constant m_u, kg: 1.66053906660(50)e-27
inline constexpr double kAtomicMassUnit = 1.66053906660e-27;
/// σ = 2π⁵k_B⁴/(15h³c²), W/(m²·K⁴): 5.670374419e-8 (exact to the digits given)
inline constexpr double kStefanBoltzmann = 5.670374419e-8;
/// 1 eV in J (exact)
inline constexpr double kElectronVolt = kElementaryCharge;
/// 0 °C in K (exact)
inline constexpr double kZeroCelsius = 273.15;

}  // namespace psw::constants
