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
// Hot electrons (a case selects each in `ttm.electrons`):
//   Cₑ(Tₑ), G(Tₑ) tabulated            `electron_heat_capacity_table`, `coupling_table`: pairs
//                                        {Te_K: […], values: […]}, linear between points, held
//                                        constant beyond the ends. Constant G and linear Cₑ hold
//                                        below a few thousand kelvin; hotter, both change (Lin,
//                                        Zhigilei & Celli, PRB 77 (2008) 075133) — a table says
//                                        which calculation it follows in its source.
//   kₑ (Anisimov & Rethfeld)            `anisimov_rethfeld: {chi_W_per_mK, eta,
//                                        fermi_temperature_K}`:
//       kₑ = χ·(ϑₑ² + 0.16)^(5/4)·(ϑₑ² + 0.44)·ϑₑ / ((ϑₑ² + 0.092)^(1/2)·(ϑₑ² + η·ϑₗ)),
//       ϑ = T/T_F (Anisimov & Rethfeld, Proc. SPIE 3093 (1997) 192). For ϑₑ ≪ 1 it tends to
//       k₀·Tₑ/Tₗ with k₀ = χ·0.16^(5/4)·0.44/(0.092^(1/2)·η) ≈ 0.1468·χ/η; for ϑₑ ≫ 1 to χ·ϑₑ^(5/2).
#pragma once

#include <psw/core/config.hpp>
#include <psw/core/interpolation.hpp>

#include <filesystem>
#include <memory>
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
  std::shared_ptr<const Table1D> electron_heat_capacity_table;  ///< Cₑ(Tₑ), J/(m³·K)
  std::shared_ptr<const Table1D> coupling_table;                ///< G(Tₑ), W/(m³·K)
  /// Anisimov–Rethfeld parameters (0 when absent): χ (W/(m·K)), η, T_F (K).
  double ar_chi_W_per_mK = 0.0, ar_eta = 0.0, fermi_temperature_K = 0.0;

  /// Electron diffusion length at equilibrium, √(D·τ) = √(k₀/G), m (0 for dielectrics).
  double electron_diffusion_length() const;
};

/// The Anisimov–Rethfeld kₑ of `m` at (Tₑ, Tₗ), W/(m·K).
double anisimov_rethfeld_conductivity(const Material& m, double Te_K, double Tl_K);

/// ∫ₐᵇ of a table read as in the model (linear between points, constant beyond the ends).
double table_integral(const Table1D& table, double a, double b);

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
