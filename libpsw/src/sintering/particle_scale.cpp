#include <cmath>

#include <psw/core/constants.hpp>
#include <psw/core/error.hpp>
#include <psw/sintering/coalescence.hpp>
#include <psw/sintering/size_dependent_melting.hpp>

namespace psw::sintering {

double koch_friedlander_time(double T_K, double diameter_m, double surface_energy_J_per_m2,
                             double atomic_volume_m3, double diffusivity_m2_per_s) {
  require_in_range("koch_friedlander_time: T_K", T_K, Range::open_closed(0.0, 1e5));
  require_in_range("koch_friedlander_time: diameter_m", diameter_m, Range::positive());
  require_in_range("koch_friedlander_time: surface_energy_J_per_m2", surface_energy_J_per_m2,
                   Range::positive());
  require_in_range("koch_friedlander_time: atomic_volume_m3", atomic_volume_m3, Range::positive());
  require_in_range("koch_friedlander_time: diffusivity_m2_per_s", diffusivity_m2_per_s,
                   Range::positive());
  const double volume = constants::kPi * diameter_m * diameter_m * diameter_m / 6.0;
  return 3.0 * constants::kBoltzmann * T_K * volume /
         (64.0 * constants::kPi * surface_energy_J_per_m2 * atomic_volume_m3 *
          diffusivity_m2_per_s);
}

double koch_friedlander_time(const SinteringMaterial& material, double T_K, double diameter_m) {
  require_in_range("koch_friedlander_time: T_K", T_K, Range::open_closed(0.0, 1e5));
  const double D = material.lattice_diffusion(T_K);
  if (!(D > 0.0)) return HUGE_VAL;  // diffusion frozen out (exp underflow)
  return koch_friedlander_time(T_K, diameter_m, material.surface_energy_J_per_m2,
                               material.atomic_volume_m3(), D);
}

double buffat_borel_melting_point(const SinteringMaterial& material, double radius_m) {
  require_in_range("buffat_borel_melting_point: radius_m", radius_m, Range::closed(1e-9, 1.0));
  const double density_ratio = material.solid_density_kg_per_m3 / material.liquid_density_kg_per_m3;
  const double surface_term =
      material.surface_energy_J_per_m2 -
      material.liquid_surface_energy_J_per_m2 * std::cbrt(density_ratio * density_ratio);
  return material.melting_point_K *
         (1.0 - 2.0 * surface_term /
                    (material.solid_density_kg_per_m3 * material.latent_heat_J_per_kg * radius_m));
}

}  // namespace psw::sintering
