// Inks and reference liquids for the electrospray models: the properties that set the cone-jet
// (conductivity K, surface tension γ, relative permittivity ε, viscosity μ, density ρ), the
// solvent data that set evaporation in flight, and the nanoparticle loading that sets how much
// metal a droplet delivers.
//
// Ink files (data/inks/*.yaml, compiled into the library as the built-in inks) look like
//
//   ink:
//     name: water
//     temperature_K: 298.15
//     conductivity_S_per_m: 5.5e-6
//     surface_tension_mN_per_m: 71.97
//     ...
//     sources: {conductivity_S_per_m: "Light et al. 2005 ...", ...}
//
// or, for a nanoparticle ink, name a carrier liquid and the particles:
//
//   ink:
//     name: ag-np-eg
//     carrier: ethylene-glycol
//     conductivity_S_per_m: 1.0e-2
//     nanoparticles: {material: Ag, diameter_nm: 20, volume_fraction: 0.05,
//                     density_kg_per_m3: 10490}
//     sources: {...}
//
// Every property given in a file must have an entry under `sources:` (a citation, or a plain
// statement that the value is assumed), and every source must name a property of the file;
// unknown keys are errors. For a nanoparticle ink the mixture properties not given explicitly
// are derived from the carrier (the `sources` entry then says how):
//   density       ρ = φ ρ_p + (1 − φ) ρ_c                        (volume average, exact)
//   viscosity     μ = μ_c (1 − φ/φ_m)^(−[η] φ_m), [η] = 2.5, φ_m = 0.64
//                                                   (Krieger & Dougherty 1959)
//   permittivity  ε = ε_c (1 + 2φ)/(1 − φ)          (Maxwell Garnett 1904, conducting spheres)
// while surface tension and the vapour data stay the carrier's. Its conductivity must be given:
// it is set by stabilisers and counter-ions, not by the carrier or the metal.
//
// @note The mixture rules ignore the ligand shell around each particle (which raises the
//       effective φ for viscosity) and any change of surface tension by the stabilisers.
//
// References: Krieger & Dougherty, Trans. Soc. Rheol. 3 (1959) 137; Maxwell Garnett, Phil.
// Trans. R. Soc. A 203 (1904) 385.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <psw/core/config.hpp>

namespace psw::electrospray {

/// Metal nanoparticles dispersed in the ink.
struct Nanoparticles {
  std::string material;            ///< "Ag", "Cu", ...
  double diameter_m = 0.0;         ///< (0, 1 µm]
  double volume_fraction = 0.0;    ///< φ of the liquid volume, (0, 0.5]
  double density_kg_per_m3 = 0.0;  ///< of the particle material, (0, 25000]
};

/// An ink or liquid, SI units, at `temperature_K`.
struct Ink {
  std::string name;
  std::string description;
  std::string carrier;                         ///< the carrier liquid's name; empty for a liquid
  double temperature_K = 298.15;               ///< (0, 1000]
  double conductivity_S_per_m = 0.0;           ///< K, (0, 100]
  double surface_tension_N_per_m = 0.0;        ///< γ, (0, 1]
  double relative_permittivity = 1.0;          ///< ε, [1, 1000]
  double viscosity_Pa_s = 0.0;                 ///< μ, (0, 100]
  double density_kg_per_m3 = 0.0;              ///< ρ of the ink (mixture), (0, 25000]
  double vapour_pressure_Pa = 0.0;             ///< of the solvent, [0, 1e6]
  double vapour_diffusivity_m2_per_s = 0.0;    ///< solvent vapour in air, (0, 1e-3]
  double solvent_molar_mass_kg_per_mol = 0.0;  ///< (0, 1]
  std::optional<Nanoparticles> nanoparticles;
  /// Where each value comes from, keyed by the file's key ("surface_tension_mN_per_m",
  /// "nanoparticles.diameter_nm"); derived values say how they were derived.
  std::map<std::string, std::string> sources;

  /// Density of the solvent alone: (ρ − φ ρ_p)/(1 − φ), or ρ without particles.
  double solvent_density_kg_per_m3() const;
  /// Charge relaxation time ε ε₀ / K, s.
  double charge_relaxation_time_s() const;

  /// Checks every field against its range.
  /// @throws std::invalid_argument naming the ink, the field, its value and the range,
  ///         e.g. "ink 'x': conductivity_S_per_m = -1 is outside (0, 100]".
  void validate() const;

  /// Reads the `ink` map of an ink file (or an inline `ink:` map of a case).
  /// @throws std::invalid_argument for unknown keys, values out of range, a property without a
  ///         source, a source for no property, or an unknown carrier.
  static Ink from_config(const Config& ink_map);
};

/// The names of the inks compiled into psw (data/inks/*.yaml), sorted.
std::vector<std::string> builtin_ink_names();

/// A built-in ink by name.
/// @throws std::invalid_argument "unknown ink 'x'; known inks: ag-np-eg, cu-np-eg, ..."
Ink builtin_ink(std::string_view name);

/// The YAML text of a built-in ink. @throws like builtin_ink().
std::string_view builtin_ink_yaml(std::string_view name);

/// Reads an ink file (a map with one key, `ink`). @throws std::invalid_argument like
/// Ink::from_config(), naming the file.
Ink load_ink_file(const std::string& path);

/// The ink a case asks for: `ink: NAME` (built-in), `ink: {…}` (inline, like an ink file's
/// map) or `ink_file: PATH` (relative paths are taken from the case file's folder). Reads and
/// accepts those keys of `section`. @throws std::invalid_argument when none or two are given.
Ink ink_from_case(const Config& section);

}  // namespace psw::electrospray
