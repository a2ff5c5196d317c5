#include <psw/core/error.hpp>
#include <psw/electrospray/aerosol.hpp>

namespace psw::electrospray {

void Gas::validate() const {
  require_in_range("gas.temperature_K", temperature_K, Range::open_closed(0.0, 2000.0));
  require_in_range("gas.pressure_Pa", pressure_Pa, Range::open_closed(0.0, 1e7));
  require_in_range("gas.viscosity_Pa_s", viscosity_Pa_s, Range::open_closed(0.0, 1e-3));
  require_in_range("gas.mean_free_path_m", mean_free_path_m, Range::open_closed(0.0, 1e-3));
  require_in_range("gas.molar_mass_kg_per_mol", molar_mass_kg_per_mol,
                   Range::open_closed(0.0, 1.0));
}

double evaporation_constant(const Ink& ink, const Gas& gas) {
  return 8.0 * ink.vapour_diffusivity_m2_per_s * ink.solvent_molar_mass_kg_per_mol *
         ink.vapour_pressure_Pa /
         (ink.solvent_density_kg_per_m3() * constants::kGasConstant * gas.temperature_K);
}

}  // namespace psw::electrospray
