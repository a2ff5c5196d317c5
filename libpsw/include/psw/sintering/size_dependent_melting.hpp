// Melting point of a small particle (Buffat & Borel 1976, the homogeneous-melting model):
//
//   T_m(r) = T_m,∞ · [1 − 2/(ρ_s·L·r) · (γ_s − γ_l·(ρ_s/ρ_l)^(2/3))]
//
// r the particle radius, ρ_s and ρ_l the solid and liquid densities, L the latent heat of fusion
// per unit mass, γ_s and γ_l the solid and liquid surface energies. The depression grows as 1/r.
//
// @note The model holds for r ≳ 2 nm; below that the particle has too few atoms for a
//       thermodynamic melting point, and the formula can go negative. It is refused for
//       r < 1 nm. Surface premelting and the spread of γ_s values (±20 %) make figures for
//       r < 5 nm uncertain by tens of kelvin.
//
// Reference: Ph. Buffat, J.-P. Borel, Phys. Rev. A 13 (1976) 2287.
#pragma once

#include <psw/sintering/material.hpp>

namespace psw::sintering {

/// T_m(r) in kelvin for `material`. @throws std::invalid_argument unless r ∈ [1 nm, 1 m].
double buffat_borel_melting_point(const SinteringMaterial& material, double radius_m);

}  // namespace psw::sintering
