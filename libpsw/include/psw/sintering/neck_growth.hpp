// Neck growth between two equal spheres in the initial stage of sintering.
//
// Each transport mechanism alone gives the power law
//
//   (x/a)ⁿ = B(T)·t / aᵐ                                   (x neck radius, a particle radius)
//
// with, for surface energy γ, atomic volume Ω and kT:
//
//   mechanism                 n  m  B
//   viscous flow              2  1  3γ/(2η)                       Frenkel (1945)
//   volume (lattice) diffusion 5  3  80·D_v·γΩ/kT                  Kuczynski (1949), Coble (1958)
//   grain-boundary diffusion  6  4  96·δ_b D_b·γΩ/kT               Coble (1958)
//   surface diffusion         7  4  56·δ_s D_s·γΩ/kT               Kuczynski (1949)
//
// (exponents and coefficients as tabulated by Rahaman, Ceramic Processing and Sintering, 2003,
// and German, Sintering Theory and Practice, 1996; other derivations give volume diffusion
// n = 4–5 with coefficients 16–80, a spread that changes times by a factor of a few.)
//
// Several mechanisms act in parallel, so their neck growth rates add:
//
//   d(x/a)/dt = Σᵢ Bᵢ(T(t)) / (nᵢ·a^mᵢ·(x/a)^(nᵢ−1)),
//
// which is integrated with the adaptive Dormand–Prince 5(4) scheme of psw/core/ode.hpp (relative
// tolerance on x/a) from a small neck (x/a = 1e-3) reached by the fastest mechanism alone; a step
// that overshoots stop_ratio is retaken, shortened by the secant estimate, to land on it. The
// exponent m is Herring's (1950) scaling: the time to the same x/a grows as aᵐ.
//
// @note Valid for x/a ≲ 0.3 (necks do not yet interact, no grain growth, no shrinkage between
//       centres of more than a few %). Evaporation–condensation (n = 3, m = 2) is left out: the
//       vapour pressure of Ag and Cu below 600 °C makes it negligible.
// @note Viscous flow applies to amorphous or liquid-like particles only; it is used when a
//       viscosity is given.
//
// References: J. Frenkel, J. Phys. USSR 9 (1945) 385; G. C. Kuczynski, Trans. AIME 185 (1949)
// 169; R. L. Coble, J. Am. Ceram. Soc. 41 (1958) 55; C. Herring, J. Appl. Phys. 21 (1950) 301;
// J. R. Dormand, P. J. Prince, J. Comput. Appl. Math. 6 (1980) 19.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include <psw/sintering/material.hpp>
#include <psw/sintering/temperature_history.hpp>

namespace psw::sintering {

enum class Mechanism {
  viscous_flow,
  volume_diffusion,
  grain_boundary_diffusion,
  surface_diffusion
};
inline constexpr std::array<Mechanism, 4> kMechanisms = {
    Mechanism::viscous_flow, Mechanism::volume_diffusion, Mechanism::grain_boundary_diffusion,
    Mechanism::surface_diffusion};

std::string_view to_string(Mechanism m);

/// (x/a)ⁿ = B·t/aᵐ for one mechanism at one temperature; B in m^m/s.
struct NeckLaw {
  int n = 0;
  int m = 0;
  double B = 0.0;

  /// x/a after time t for particle radius a (this mechanism alone).
  double neck_ratio(double radius_m, double t_s) const;
  /// Time for this mechanism alone to reach neck ratio `x_over_a`.
  double time_to(double radius_m, double x_over_a) const;
};

/// The law of `mechanism` for `material` at T. Viscous flow needs `viscosity_Pa_s`.
/// @throws std::invalid_argument for T ≤ 0, or viscous flow without a positive viscosity.
NeckLaw neck_law(const SinteringMaterial& material, Mechanism mechanism, double T_K,
                 std::optional<double> viscosity_Pa_s = std::nullopt);

struct NeckGrowthOptions {
  double relative_tolerance = 1e-8;      ///< per step, on x/a; (0, 1e-2]
  double initial_ratio = 1e-3;           ///< x/a where integration starts; (0, 0.1]
  double stop_ratio = 0.5;               ///< integration stops here (end of the initial stage)
  std::optional<double> viscosity_Pa_s;  ///< enables viscous flow
  /// Mechanisms to include (all by default; viscous flow only with a viscosity).
  std::vector<Mechanism> mechanisms = {Mechanism::volume_diffusion,
                                       Mechanism::grain_boundary_diffusion,
                                       Mechanism::surface_diffusion, Mechanism::viscous_flow};
  void validate() const;
};

struct NeckGrowthResult {
  std::vector<double> time_s;       ///< accepted step times, starting at the initial neck
  std::vector<double> x_over_a;     ///< neck ratio at each time
  std::vector<Mechanism> dominant;  ///< fastest mechanism at each time
  std::size_t steps = 0, rejected = 0;
  bool reached_stop = false;  ///< x/a reached options.stop_ratio before end_time
};

/// Integrates neck growth for particles of radius `radius_m` (0, 1 mm] from t = 0 to
/// `end_time_s` under `history`, with an adaptive Dormand–Prince 5(4) scheme.
/// @throws std::invalid_argument for bad radius, end time or options.
NeckGrowthResult grow_neck(const SinteringMaterial& material, double radius_m,
                           const TemperatureHistory& history, double end_time_s,
                           const NeckGrowthOptions& options = {});

/// The same with `steps` fixed classical RK4 steps (uniform in time): the straightforward
/// baseline for benchmarks. Returns x/a at end_time_s.
double grow_neck_rk4(const SinteringMaterial& material, double radius_m,
                     const TemperatureHistory& history, double end_time_s, std::size_t steps,
                     const NeckGrowthOptions& options = {});

}  // namespace psw::sintering
