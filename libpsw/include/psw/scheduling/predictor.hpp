// Predicted sintering time per joint, updated online from observed times.
//
// The prior comes from the sintering-time model: T(V) ~ LogNormal(μ₀(V), σ(V)). The predictor
// learns one common shift δ of ln T from the residuals rₖ = ln tₖ − μ₀(Vₖ) of finished joints:
//
//   Sₙ = (1 − λ)·Sₙ₋₁ + rₙ,   Nₙ = (1 − λ)·Nₙ₋₁ + 1,   δ = Sₙ / (n₀·(1 − λ)ⁿ + Nₙ)
//
// so that predictions are LogNormal(μ₀(V) + δ, σ(V)). n₀ (prior_weight) is how many joints'
// worth of confidence the prior carries; λ (forgetting, in [0, 1)) discounts old observations
// and the prior alike, so δ follows a drifting process with a memory of about 1/λ joints.
// With λ = 0, δ is the posterior mean of a normal shift under a normal prior of variance σ²/n₀
// (the mean of all residuals, shrunk toward 0).
//
// Censoring. A parked joint is known only to need more than the work w done so far. Leaving it
// out until it finishes biases δ low (only the fast joints report; with parking at P90 the
// bias is E[r | r < 1.28σ] = −0.117 for σ = 0.6, which turns a 10 % park rate into 13 %).
// So a parked joint counts at once with its expected residual given T > w under the current
// prediction (one EM step for a right-censored normal):
//   r̂ = μ − μ₀ + σ·φ(α)/(1 − Φ(α)),  α = (ln w − μ)/σ,
// and when it finishes, revise() swaps r̂ for the observed residual.
//
// Assumptions: the drift moves every joint's ln T by the same amount (a multiplicative change of
// all times); σ is not re-estimated. Observed times are sintering work at nominal power.
#pragma once

#include <memory>

#include <psw/scheduling/sintering_time.hpp>

namespace psw::scheduling {

class SinteringPredictor {
 public:
  /// @param prior_weight n₀ ≥ 0; @param forgetting λ in [0, 1).
  /// @throws std::invalid_argument naming the bad parameter.
  SinteringPredictor(std::shared_ptr<const SinteringTimeModel> model, double prior_weight,
                     double forgetting);

  /// The current prediction for a joint of `volume_m3`.
  LogNormal predict(double volume_m3) const;
  /// The prior (no observations) for a joint of `volume_m3`.
  LogNormal prior(double volume_m3) const { return model_->predicted(volume_m3); }
  /// Learns from a finished joint's sintering work in seconds (> 0).
  void observe(double volume_m3, double time_s);
  /// Learns from a joint known to need more than `work_done_s` (parked); returns the imputed
  /// residual r̂ to pass to revise() when the joint finishes.
  double observe_censored(double volume_m3, double work_done_s);
  /// Replaces an imputed residual by the finished joint's observed time (count unchanged).
  void revise(double imputed_residual, double volume_m3, double time_s);
  /// Forgets every observation.
  void reset();

  /// δ: the learned shift of ln T.
  double log_shift() const { return sum_ / (prior_left_ + count_); }
  /// Nₙ: the (discounted) number of observations.
  double observations() const { return count_; }
  const SinteringTimeModel& model() const { return *model_; }

 private:
  std::shared_ptr<const SinteringTimeModel> model_;
  double prior_weight_, forgetting_;
  double sum_ = 0.0, count_ = 0.0, prior_left_ = 0.0;
};

}  // namespace psw::scheduling
