// Particle-material data for sintering: diffusion laws, surface energies, densities, electrical
// constants, and (where fitted) the ink's master sintering curve.
//
// The data files live in data/sintering/<name>.yaml (ag.yaml, cu.yaml); they are compiled into
// the library, so load_material("Ag") works without a data directory. Every value in those files
// names its source. Inside the library everything is SI.
//
// Diffusion follows Arrhenius laws D(T) = D₀·exp(−Q/RT). Grain-boundary and surface transport
// are given as the product δ·D (m³/s), δ the boundary or surface-layer width, since only the
// product enters the neck-growth laws and only the product is measured.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <psw/core/config.hpp>

namespace psw::sintering {

/// k(T) = prefactor·exp(−Q/RT). The prefactor's unit is the law's (m²/s for D, m³/s for δD).
struct ArrheniusLaw {
  double prefactor = 0.0;             ///< > 0
  double activation_J_per_mol = 0.0;  ///< ≥ 0
  std::string source;                 ///< citation of the figures

  /// The rate at `T_K` > 0. Underflows to 0 far below the activation temperature.
  double operator()(double T_K) const;
};

/// Parameters of a master sintering curve (Su & Johnson 1996) in sigmoid form:
/// ρ(Θ) = ρ₀ + (ρ_max − ρ₀)/(1 + exp(−(ln Θ − ln Θ₅₀)/w)), Θ in s/K.
/// Θ₅₀ refers to particles of `reference_diameter_m`; for diameter d it scales as
/// (d/d_ref)^size_exponent (Herring 1950: 4 for boundary diffusion).
struct MasterCurveParams {
  double activation_J_per_mol = 0.0;  ///< apparent Q, (0, 1e6]
  double ln_theta50 = 0.0;            ///< ln(Θ₅₀ / (s/K))
  double width = 1.0;                 ///< w > 0, in ln Θ
  double green_density = 0.55;        ///< ρ₀ ∈ (0, 1)
  double max_density = 1.0;           ///< ρ_max ∈ (ρ₀, 1]
  double reference_diameter_m = 50e-9;
  double size_exponent = 4.0;  ///< [0, 6]
  std::string source;

  /// Reads the keys of a `master_sintering_curve` map and calls finish() on it.
  static MasterCurveParams from_config(const Config& c);
};

struct SinteringMaterial {
  std::string name;
  double melting_point_K = 0.0;
  double molar_mass_kg_per_mol = 0.0;
  double solid_density_kg_per_m3 = 0.0;
  double liquid_density_kg_per_m3 = 0.0;
  double latent_heat_J_per_kg = 0.0;     ///< of fusion, per unit mass
  double surface_energy_J_per_m2 = 0.0;  ///< solid–vapour, γ_s
  double liquid_surface_energy_J_per_m2 = 0.0;
  double bulk_resistivity_ohm_m = 0.0;     ///< at 20 °C
  double electron_mean_free_path_m = 0.0;  ///< bulk, at 20 °C
  double grain_boundary_reflection = 0.0;  ///< Mayadas–Shatzkes R ∈ [0, 1)
  ArrheniusLaw lattice_diffusion;          ///< D_v, m²/s
  ArrheniusLaw boundary_diffusion;         ///< δ_b·D_b, m³/s
  ArrheniusLaw surface_diffusion;          ///< δ_s·D_s, m³/s
  std::optional<MasterCurveParams> master_curve;

  /// Ω = M/(ρ·N_A), m³ per atom.
  double atomic_volume_m3() const;

  /// Reads a `material:` map (the layout of data/sintering/*.yaml) and finishes it.
  /// @throws std::invalid_argument naming the key, value and range for bad or unknown keys.
  static SinteringMaterial from_config(const Config& material);
};

/// Names of the built-in materials ("Ag", "Cu").
std::vector<std::string> builtin_materials();

/// The YAML text of a built-in material file. @throws std::invalid_argument for an unknown name,
/// listing the known ones.
std::string_view builtin_material_yaml(std::string_view name);

/// A built-in material by name (case-sensitive: "Ag", "Cu").
/// @throws std::invalid_argument for an unknown name, listing the known ones.
SinteringMaterial load_material(std::string_view name);

}  // namespace psw::sintering
