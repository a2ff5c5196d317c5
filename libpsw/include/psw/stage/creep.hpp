// Piezo creep: the slow logarithmic extension that follows a change of drive voltage.
//
//   PI's law for a step applied at t = 0:  ΔL(t) = ΔL(t₀)·[1 + γ·log₁₀(t/t₀)],  t₀ = 0.1 s,
//   γ = 0.01–0.02 per decade.
//
// A logarithm has no finite state, so psw realises it as a bank of first-order lags with time
// constants spaced n per decade between τ_min and τ_max:
//
//   τ_k·ċ_k = p_in − c_k,     p_out = g₀·p_in + (γ/n)·Σ_k c_k,
//   g₀ = 1 − (γ/n)·Σ_k (1 − e^{−t₀/τ_k})        (so that p_out(t₀) = ΔL(t₀) exactly).
//
// Each lag contributes (γ/n)·(t/τ_k)·e^{−t/τ_k}·ln10 to d p_out / d log₁₀t, and the sum over n
// lags per decade approaches γ for τ_min ≪ t ≪ τ_max; with n = 3 the ripple is 4e-5 of γ.
// The bank is linear, so it joins the flexure's state space and is discretised exactly with it.
//
// Valid ranges: γ in [0, 0.1] per decade, t₀ in (0, 10] s, 0 < τ_min < τ_max ≤ 1e7 s, n in
// [1, 10]. Outside [τ_min, τ_max] the creep is flat, not logarithmic.
//
// References: Physik Instrumente, "Piezoelectrics in Positioning" tutorial (creep law, 1–2 % per
// decade); H. Jung, D.-G. Gweon, Rev. Sci. Instrum. 71 (2000) 1896 (creep as a bank of
// spring–damper elements).
#pragma once

#include <vector>

namespace psw::stage {

struct CreepParams {
  double gamma_per_decade = 0.0;  ///< γ, [0, 0.1]; 0 turns creep off
  double reference_time_s = 0.1;  ///< t₀ of the law, (0, 10]
  double shortest_s = 1e-2;       ///< τ_min, (0, τ_max); default t₀/10
  double longest_s = 1e4;         ///< τ_max, (τ_min, 1e7]
  int per_decade = 3;             ///< lags per decade, [1, 10]

  /// @throws std::invalid_argument naming the first field outside its range.
  void validate() const;
};

/// The bank of lags that realises a CreepParams.
struct CreepModel {
  std::vector<double> tau_s;  ///< τ_k, increasing (empty when γ = 0)
  double lag_weight = 0.0;    ///< γ/n
  double instant_gain = 1.0;  ///< g₀

  /// p_out(t)/ΔL(t₀) after a unit step of p_in at t = 0 (1 at t = t₀).
  double step_response(double t_s) const;
};

/// @throws std::invalid_argument when `params` fails validate().
CreepModel make_creep_model(const CreepParams& params);

}  // namespace psw::stage
