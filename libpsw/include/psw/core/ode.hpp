// Explicit Runge–Kutta integration of y' = f(t, y): the Dormand–Prince 5(4) pair with embedded
// error control, shared by every module that integrates a small non-stiff system (droplet
// flight, neck growth).
//
// One step from (tₙ, yₙ) of size h uses seven stages, the last being f at the new point
// (first same as last, FSAL), so an accepted step costs six evaluations of f:
//
//   kᵢ = f(tₙ + cᵢh, yₙ + h·Σⱼ aᵢⱼkⱼ),   yₙ₊₁ = yₙ + h·Σᵢ bᵢkᵢ         (order 5)
//   eₙ₊₁ = h·Σᵢ (bᵢ − b̂ᵢ)kᵢ                                          (5th − 4th order)
//
// The step is accepted when the weighted rms error
//
//   ‖e‖ = √( (1/m)·Σᵢ (eᵢ / (atolᵢ + rtol·max(|yₙ,ᵢ|, |yₙ₊₁,ᵢ|)))² ) ≤ 1
//
// over the first m (controlled) components, and the next step is h·clamp(0.9·‖e‖^(−1/5),
// 0.2, 5), not growing right after a rejection. Components past m ride along without steering
// the step (quadratures such as an accumulated variance). The first step, unless given, is
// Hairer's estimate: one whose explicit Euler error is about the tolerance.
//
// A step whose size falls below max(min_step, 64·ε·|t|) is a step-size underflow: the
// integrator stops there and reports it (DormandPrince54::step() returns
// OdeStatus::step_size_underflow) instead of looping; it means the tolerance cannot be met,
// typically because f is singular or not finite near t.
//
// @note Explicit: for stiff systems the step is bounded by stability, not accuracy, and many
//       small steps result. Use CVODE (as the thermal module does) for those.
//
// References: J. R. Dormand, P. J. Prince, J. Comput. Appl. Math. 6 (1980) 19; E. Hairer,
// S. P. Nørsett, G. Wanner, Solving Ordinary Differential Equations I, 2nd ed., Springer (1993)
// §II.4 (step control, starting step) and table II.5.2 (the tableau).
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace psw {

/// dy/dt at (t, y), written into dydt (same size as y).
using OdeRhs = std::function<void(double t, std::span<const double> y, std::span<double> dydt)>;

struct OdeOptions {
  double relative_tolerance = 1e-6;  ///< rtol, (0, 1]
  /// atol per controlled component (one value for all, or one per component), each ≥ 0.
  std::vector<double> absolute_tolerance = {0.0};
  /// m: how many leading components enter the error norm; 0 means all of them.
  std::size_t controlled_size = 0;
  double initial_step = 0.0;  ///< first step; 0 picks one automatically; ≥ 0
  double min_step = 0.0;      ///< a smaller step is an underflow; ≥ 0
  double max_step = std::numeric_limits<double>::infinity();  ///< > 0
  /// false: no error control, every step has the size initial_step (for convergence studies
  /// and fixed-step baselines).
  bool adaptive = true;

  /// @throws std::invalid_argument naming the field, its value and the accepted range.
  void validate() const;
};

enum class OdeStatus {
  accepted,             ///< a step was taken
  reached_end,          ///< integrate(): t reached the end time
  step_size_underflow,  ///< the step needed for the tolerance fell below the smallest allowed
  step_limit,           ///< integrate(): max_steps accepted steps did not reach the end
};
std::string_view to_string(OdeStatus status);

/// The Dormand–Prince 5(4) stepper. Holds the state between steps, so callers can inspect
/// each accepted step (events, records), stop, or retake the last step with a shorter size.
class DormandPrince54 {
 public:
  /// @throws std::invalid_argument for bad options.
  DormandPrince54(OdeRhs rhs, OdeOptions options);

  /// Starts at (t0, y0): evaluates f there and picks the first step.
  /// @throws std::invalid_argument if y0 is empty, an atol list has the wrong length, or
  ///         controlled_size exceeds y0's size.
  void start(double t0, std::span<const double> y0);

  /// Takes one accepted step that ends no later than t_stop (> t()), retrying with smaller
  /// steps after rejections. Returns accepted, or step_size_underflow with the state left at
  /// the last accepted point. @throws std::invalid_argument before start() or for
  /// t_stop ≤ t().
  OdeStatus step(double t_stop);

  /// Discards the last accepted step and sets the size of the next attempt from its start to h
  /// (0 < h): for landing a step on an event found by the caller. Only once per step.
  void retake(double h);

  double t() const { return t_; }
  std::span<const double> y() const { return y_; }
  std::span<const double> dydt() const { return f_; }  ///< f(t, y), FSAL
  /// The start of the last accepted step (equal to t() before the first step).
  double previous_t() const { return t_prev_; }
  std::span<const double> previous_y() const { return y_prev_; }
  std::span<const double> previous_dydt() const { return f_prev_; }
  /// The size of the next attempt.
  double next_step() const { return h_; }

  std::size_t accepted_steps() const { return accepted_; }
  std::size_t rejected_steps() const { return rejected_; }
  std::size_t evaluations() const { return evaluations_; }

 private:
  void eval(double t, std::span<const double> y, std::span<double> dydt);
  double weighted_rms(std::span<const double> v, std::span<const double> a,
                      std::span<const double> b) const;
  double starting_step();

  OdeRhs rhs_;
  OdeOptions options_;
  std::size_t m_ = 0;
  double t_ = 0.0, t_prev_ = 0.0, h_ = 0.0;
  bool last_rejected_ = false, can_retake_ = false;
  std::vector<double> y_, f_, y_prev_, f_prev_, y_new_, tmp_, err_;
  std::vector<std::vector<double>> k_;  // stages k₂ … k₆
  std::size_t accepted_ = 0, rejected_ = 0, evaluations_ = 0;
};

/// The outcome of integrate().
struct OdeSolution {
  OdeStatus status = OdeStatus::reached_end;
  std::string message;    ///< empty when reached_end; otherwise says where and why
  double t = 0.0;         ///< where the integration stopped
  std::vector<double> y;  ///< y(t)
  std::size_t steps = 0, rejected = 0, evaluations = 0;
};

/// Integrates from (t0, y0) to t_end > t0 with at most max_steps accepted steps. An underflow
/// or the step limit is a status in the result, not an exception.
/// @throws std::invalid_argument for bad options, an empty y0 or t_end ≤ t0.
OdeSolution integrate(const OdeRhs& rhs, double t0, std::span<const double> y0, double t_end,
                      const OdeOptions& options = {}, std::size_t max_steps = 100'000'000);

}  // namespace psw
