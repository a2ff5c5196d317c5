// Thermal materials for the two-temperature model: metals (electrons and lattice) and
// dielectrics (lattice only), read from data/materials/<name>.yaml with per-case overrides.
//
// Metal parameters, near room temperature:
//   Cₑ(Tₑ) = γ·Tₑ                       electron heat capacity, J/(m³·K)
//   kₑ(Tₑ, Tₗ) = k₀·Tₑ/Tₗ                electron conductivity (low-Tₑ form, Tₑ ≪ T_Fermi)
//   G                                    electron–phonon coupling, W/(m³·K)
//   Cₗ, kₗ                               lattice heat capacity and (phonon) conductivity
// Dielectrics carry only Cₗ and kₗ.
//
// @note Constant G and linear Cₑ hold while Tₑ stays below a few thousand kelvin; for hotter
// electrons G(Tₑ) and Cₑ(Tₑ) grow (Lin, Zhigilei & Celli, PRB 77 (2008) 075133) and tabulated
// forms are needed.
#pragma once

#include <psw/core/config.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace psw::thermal {

struct Material {
  std::string name;
  bool metal = true;                        ///< false: lattice only (dielectric, substrate)
  double gamma = 0.0;                       ///< γ, J/(m³·K²), (0, 1e4]; metals only
  double lattice_heat_capacity = 0.0;       ///< Cₗ, J/(m³·K), (0, 1e8]
  double k0 = 0.0;                          ///< k₀, W/(m·K), (0, 1e4]; metals only
  double lattice_conductivity = 0.0;        ///< kₗ, W/(m·K), [0, 1e4]
  double coupling = 0.0;                    ///< G, W/(m³·K), (0, 1e20]; metals only
  double melting_point_K = 0.0;             ///< K
  double haz_threshold_K = 0.0;             ///< lattice temperature counted as heat-affected, K
  std::string source;                       ///< the file (and overrides) it came from

  /// Electron diffusion length at equilibrium, √(D·τ) = √(k₀/G), m (0 for dielectrics).
  double electron_diffusion_length() const;
};

/// Reads a material map (the keys of data/materials/*.yaml) and rejects unknown keys.
/// @throws std::invalid_argument naming the key, the value and the accepted range.
Material parse_material(const Config& c);

/// Applies the keys of `overrides` (same names as the material file) on top of `base`.
Material apply_overrides(Material base, const Config& overrides);

/// Loads data/materials/<name>.yaml (or <directory>/<name>.yaml).
/// @throws std::invalid_argument for an unknown material, listing the known ones.
Material load_material(const std::string& name, const std::filesystem::path& directory = {});

/// The material names available in the data directory (or `directory`), sorted.
std::vector<std::string> known_materials(const std::filesystem::path& directory = {});

}  // namespace psw::thermal
