// Resistivity of a porous, fine-grained metal deposit.
//
//   ρ_e = ρ_bulk · F_MS(d_g) / s(φ)
//
// Porosity enters through s(φ) = σ_eff/σ_grain for solid fraction φ = 1 − porosity:
//
// - Bruggeman effective medium with insulating spherical pores:  s = (3φ − 1)/2 for φ > 1/3,
//   0 below (Landauer 1952). Three times the bulk resistivity (F = 1) is reached at
//   φ = 5/9, porosity 4/9.
// - Percolation:  s = ((φ − φ_c)/(1 − φ_c))^t for φ > φ_c, with the 3-D conductivity
//   exponent t ≈ 2.0 (Stauffer & Aharony 1994) and a threshold φ_c of the microstructure.
//
// Grain-boundary scattering for grains comparable to the electron mean free path λ
// (Mayadas & Shatzkes 1970), with α = (λ/d_g)·R/(1 − R):
//
//   1/F_MS = 3·[1/3 − α/2 + α² − α³·ln(1 + 1/α)]
//
// @note Surface (Fuchs–Sondheimer) scattering of thin films, residual organics and oxide are not
//       included; each raises ρ_e further.
//
// References: R. Landauer, J. Appl. Phys. 23 (1952) 779; D. A. G. Bruggeman, Ann. Phys. 416
// (1935) 636; D. Stauffer, A. Aharony, Introduction to Percolation Theory (1994);
// A. F. Mayadas, M. Shatzkes, Phys. Rev. B 1 (1970) 1382; D. Gall, J. Appl. Phys. 119 (2016)
// 085101 (mean free paths).
#pragma once

#include <string_view>

namespace psw::sintering {

enum class ConductionModel { bruggeman, percolation };

std::string_view to_string(ConductionModel model);

struct ResistivityModel {
  ConductionModel conduction = ConductionModel::bruggeman;
  double percolation_threshold = 1.0 / 3.0;  ///< φ_c ∈ (0, 1)
  double percolation_exponent = 2.0;         ///< t ∈ (0, 5]
  double bulk_resistivity_ohm_m = 1.59e-8;   ///< > 0
  double mean_free_path_m = 53.3e-9;         ///< λ ≥ 0 (0 turns off grain-boundary scattering)
  double reflection = 0.3;                   ///< R ∈ [0, 1)

  void validate() const;

  /// s(φ) = σ_eff/σ_grain ∈ [0, 1] for φ ∈ [0, 1].
  double conductance_fraction(double solid_fraction) const;
  /// The solid fraction at which s(φ) = s, s ∈ (0, 1].
  double solid_fraction_for(double conductance_fraction) const;
  /// F_MS(d_g) ≥ 1 for grain size d_g > 0.
  double grain_boundary_factor(double grain_size_m) const;
  /// ρ_e (Ω·m); +inf at or below the conduction threshold.
  double resistivity(double solid_fraction, double grain_size_m) const;
  /// The solid fraction at which ρ_e = target; > 1 when the grains alone exceed the target.
  double solid_fraction_for_resistivity(double target_ohm_m, double grain_size_m) const;
};

/// Mayadas–Shatzkes: ρ_grain/ρ_bulk for grain size d, mean free path λ, reflection R.
double mayadas_shatzkes_factor(double grain_size_m, double mean_free_path_m, double reflection);

}  // namespace psw::sintering
