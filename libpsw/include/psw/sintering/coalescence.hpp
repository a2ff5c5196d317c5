// Characteristic coalescence time of two touching nanoparticles (Koch & Friedlander 1990):
//
//   τ_f = 3·k_B·T·v_p / (64·π·γ·Ω·D)
//
// v_p the particle volume (π d³/6), γ the surface energy, Ω the atomic volume and D the
// solid-state diffusion coefficient (Koch & Friedlander use lattice self-diffusion). The
// surface area of the coalescing pair relaxes as da/dt = −(a − a_sphere)/τ_f. Since v_p ∝ d³,
// τ_f follows Herring's volume-diffusion scaling (time ∝ size³).
//
// @note τ_f is the e-folding time of the excess area, an order-of-magnitude figure; the
//       neck-growth laws (neck_growth.hpp) resolve the early stage.
//
// References: W. Koch, S. K. Friedlander, J. Colloid Interface Sci. 140 (1990) 419;
// F. E. Kruis et al., J. Aerosol Sci. 24 (1993) 793 (the form with the atomic volume).
#pragma once

#include <psw/sintering/material.hpp>

namespace psw::sintering {

/// τ_f for explicit parameters (SI). @throws std::invalid_argument naming any input ≤ 0.
double koch_friedlander_time(double T_K, double diameter_m, double surface_energy_J_per_m2,
                             double atomic_volume_m3, double diffusivity_m2_per_s);

/// τ_f for `material` with its lattice self-diffusion coefficient at T.
double koch_friedlander_time(const SinteringMaterial& material, double T_K, double diameter_m);

}  // namespace psw::sintering
