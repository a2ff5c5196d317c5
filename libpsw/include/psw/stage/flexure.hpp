// A flexure-guided piezo axis as a multi-mode linear system.
//
// Input p: the piezo's free stroke after hysteresis (metres); output y: platform position (m).
// Each mechanical mode i is a damped oscillator driven by p with a modal share gᵢ:
//
//   ẍᵢ + 2ζᵢωᵢ·ẋᵢ + ωᵢ²·xᵢ = gᵢ·ωᵢ²·p,     y = Σᵢ xᵢ,     Σᵢ gᵢ = 1 (unit static gain).
//
// First mode: ω₁ = √(k/m_eff) unloaded; a payload m_L lowers every mode by the same factor
//
//   ω(m_L) = ω(0)·√(m_eff/(m_eff + m_L)),
//
// (the lumped-mass rule; exact for the first mode, an approximation for the higher ones, whose
// mode shapes move the payload less). Damping ratios are kept when loaded.
// With creep (creep.hpp) the linear plant is the creep bank feeding the modes:
// p_modes = g₀·p + (γ/n)·Σ c_k.
//
// Units and ranges: k in (0, 1e10] N/m, m_eff in (0, 100] kg, m_L in [0, 100] kg, ζ in (0, 2],
// higher-mode frequencies (unloaded) in (0, 1e6] Hz above the first, shares in (0, 1) summing
// below 1 (the first mode takes the rest).
//
// References: Fleming & Leang, "Design, Modeling and Control of Nanopositioning Systems",
// Springer (2014), ch. 2 and 4; A. J. Fleming, K. K. Leang, Sens. Actuators A 161 (2010) 256.
#pragma once

#include <psw/stage/creep.hpp>
#include <psw/stage/state_space.hpp>

#include <vector>

namespace psw::stage {

/// A higher mechanical mode, given at zero payload.
struct HigherMode {
  double frequency_Hz = 0.0;   ///< unloaded, above the first resonance, ≤ 1e6
  double damping_ratio = 0.0;  ///< ζ, (0, 2]
  double share = 0.0;          ///< gᵢ, (0, 1)
};

struct FlexureParams {
  double stiffness_N_per_m = 0.0;  ///< k of the first mode, (0, 1e10]
  double effective_mass_kg = 0.0;  ///< m_eff, (0, 100]
  double payload_mass_kg = 0.0;    ///< m_L, [0, 100]
  double damping_ratio = 0.0;      ///< ζ₁, (0, 2]
  std::vector<HigherMode> higher_modes;

  /// @throws std::invalid_argument naming the first field outside its range.
  void validate() const;

  /// f₁ = √(k/m_eff)/2π.
  double unloaded_resonance_Hz() const;
  /// √(m_eff/(m_eff + m_L)).
  double payload_factor() const;
  /// f₁·payload_factor().
  double loaded_resonance_Hz() const;
};

/// The flexure modes alone: states (x₁, ẋ₁, x₂, ẋ₂, …), input p, output y.
/// @throws std::invalid_argument when `flexure` fails validate().
ContinuousSystem flexure_system(const FlexureParams& flexure);

/// Creep bank then flexure modes: states (c₁…c_N, x₁, ẋ₁, …), input p, output y.
ContinuousSystem axis_plant(const FlexureParams& flexure, const CreepParams& creep);

}  // namespace psw::stage
