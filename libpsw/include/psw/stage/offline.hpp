// Offline runs of an axis' linear plant with adaptive steps (SUNDIALS CVODE, BDF).
//
//   ẋ = A·x + B·u(t),  y = C·x + D·u(t),  x(0) = 0,  y sampled at the requested times.
//
// Where adaptive steps pay: long runs whose input is smooth or rarely changes — creep over
// hours after a move (the creep bank makes the system stiff, τ from 10 ms to 10⁴ s beside
// kHz modes, hence BDF with the exact Jacobian A), or a smooth continuous input for which a
// zero-order hold is not exact. For inputs held over a servo period, `hold_period_s` restarts
// the integrator at every period boundary (the input jumps there); the exact ZOH
// (state_space.hpp) is then both exact and much cheaper, and this path is the generic-ODE
// baseline it is benchmarked against.
//
// Tolerances: relative rtol in [1e-12, 1e-2], absolute atol (units of the state: m, m/s) in
// (0, 1]. A run that CVODE cannot finish returns status `failed` with CVODE's message; bad
// arguments throw std::invalid_argument naming them.
//
// References: A. C. Hindmarsh et al., "SUNDIALS: Suite of nonlinear and differential/algebraic
// equation solvers", ACM TOMS 31 (2005) 363; D. J. Gardner et al., ACM TOMS 48 (2022) 31.
#pragma once

#include <psw/stage/state_space.hpp>

#include <functional>
#include <string>
#include <vector>

namespace psw::stage {

struct AdaptiveOptions {
  double rtol = 1e-8;
  double atol = 1e-16;
  long max_steps = 1000000;    ///< per output interval, [1, 1e9]
  double hold_period_s = 0.0;  ///< > 0: u is held over each period, integrator restarted
};

enum class AdaptiveStatus { ok, failed };

struct AdaptiveResult {
  AdaptiveStatus status = AdaptiveStatus::ok;
  std::string message;         ///< empty when ok
  std::vector<double> time_s;  ///< the times reached (all requested when ok)
  std::vector<double> output;  ///< y at time_s
  long steps = 0;              ///< internal steps taken, all restarts together
  long rhs_evaluations = 0;
};

/// @param u  the input as a function of time (called at the start of each held period when
///           hold_period_s > 0, else wherever CVODE needs it).
/// @param times_s  increasing output times, ≥ 0.
/// @throws std::invalid_argument for unsorted or negative times or options outside range.
AdaptiveResult simulate_adaptive(const ContinuousSystem& system,
                                 const std::function<double(double)>& u,
                                 const std::vector<double>& times_s,
                                 const AdaptiveOptions& options = {});

}  // namespace psw::stage
