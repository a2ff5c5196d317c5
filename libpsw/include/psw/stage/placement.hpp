// Placement error budget: where does the deposit land relative to the site, and how often
// within ±50 nm?
//
// Per in-plane axis, the deposit's offset from the site is the sum of independent parts
//
//   e = e_stage + ḋ·t_dep + e_land
//
//   e_stage  the axis' error after it reports on target (a distribution, or samples from
//            simulated moves of the axis: settled_stage_errors());
//   ḋ·t_dep  drift over the deposition time, with ḋ drawn from its distribution (m/s);
//   e_land   the electrospray landing scatter (a number until the electrospray module gives
//            one; 0 leaves it out).
//
// A Monte Carlo draws (e_x, e_y) independently per axis, sample i from the stream
// RngStream(seed).substream(i), and reports the per-axis 1σ and P(|e_x| ≤ tol), and
// P(√(e_x² + e_y²) ≤ tol). When every part is Gaussian the exact answers are
//
//   σ = √(σ_stage² + (σ_ḋ·t_dep)² + σ_land²),  P_axis = erf(tol/(σ√2)),
//   P_radius = 1 − exp(−tol²/(2σ²))            (Rayleigh),
//
// which the result carries beside the sampled ones.
//
// Ranges: scales in [0, 1e-3] m (drift rate in [0, 1e-6] m/s), t_dep in [0, 1e5] s,
// tol in (0, 1e-3] m, samples in [100, 1e8].
#pragma once

#include <psw/stage/axis.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace psw::stage {

enum class ErrorDistribution { gaussian, uniform };

/// One part of the budget: a zero-mean Gaussian (scale = σ) or uniform (scale = half-width).
struct ErrorTerm {
  ErrorDistribution distribution = ErrorDistribution::gaussian;
  double scale = 0.0;

  double sigma() const;
  double draw(RngStream& rng) const;
};

struct PlacementBudget {
  ErrorTerm stage_m;                    ///< settled stage error per axis
  std::vector<double> stage_samples_m;  ///< when non-empty, e_stage is drawn from these
  ErrorTerm drift_rate_m_per_s;         ///< drift rate per axis
  double deposition_time_s = 0.0;
  ErrorTerm landing_m;  ///< landing scatter per axis
  double tolerance_m = 50e-9;
  int samples = 100000;
  std::uint64_t seed = 1;

  /// @throws std::invalid_argument naming the field, value and range.
  void validate() const;
};

struct PlacementResult {
  double mean_m = 0.0;             ///< sampled mean of e_x
  double sigma_m = 0.0;            ///< sampled 1σ of e_x
  double p_within_axis = 0.0;      ///< sampled P(|e_x| ≤ tol)
  double p_within_radius = 0.0;    ///< sampled P(|e| ≤ tol) in the plane
  double analytic_sigma_m = 0.0;   ///< √Σσ² of the parts (stage samples: their rms)
  double analytic_p_axis = 0.0;    ///< erf(tol/(σ√2)) with analytic σ (Gaussian parts)
  double analytic_p_radius = 0.0;  ///< 1 − exp(−tol²/2σ²) (Gaussian parts)
  bool all_gaussian = false;       ///< true when the analytic figures are exact
  int samples = 0;
  std::vector<double> error_x_m, error_y_m;  ///< the samples (kept for plots and output)
};

/// @throws std::invalid_argument when `budget` fails validate().
PlacementResult placement_monte_carlo(const PlacementBudget& budget);

/// Position minus target of `moves` closed-loop moves to random targets in the middle 80 % of
/// the travel, each read `dwell_s` after ONT? turned true (a move that never gets on target
/// within 1 s is read at 1 s). Move i draws from RngStream(seed).substream(i).
std::vector<double> settled_stage_errors(const AxisParams& params, int moves, double dwell_s,
                                         std::uint64_t seed);

const char* to_string(ErrorDistribution distribution);

}  // namespace psw::stage
