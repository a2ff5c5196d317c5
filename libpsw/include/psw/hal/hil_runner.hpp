// The hardware-in-the-loop runner: calls a body at a fixed period on a Clock and measures how
// late each wake-up was, the figure that says whether a control loop keeps its rate.
//
// Cycle k is due at t_k = t₀ + k·T (a fixed grid: a late cycle does not shift the next one).
// The runner sleeps until t_k, reads the clock, and records the lateness ℓ_k = t_wake − t_k
// (≥ 0); then it runs the body. A cycle overruns when its body ends after t_{k+1}, the next
// cycle's due time; the lateness of the cycles after it shows how long the loop took to catch
// up.
//
// Report: p50, p99 (nearest rank over every cycle's lateness: the smallest ℓ with at least
// ⌈p·n⌉ cycles at or below it), max, overrun count, and a histogram of ℓ in bins of
// `bin_s` (the last bin also holds everything beyond it).
//
// On a SimulatedClock the sleeps are exact and lateness comes only from what the body (or a
// test) adds to the clock, so figures are exact; on the SteadyClock it is the host's own
// scheduling latency, which depends on the machine and is reported, never asserted.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <psw/hal/clock.hpp>

namespace psw::hal {

struct HilOptions {
  double period_s = 1e-3;      ///< T, (0, 10]
  std::int64_t cycles = 1000;  ///< [1, 1e8]
  double bin_s = 10e-6;        ///< histogram bin width, (0, 1]
  int bins = 100;              ///< [1, 100000]
  /// @throws std::invalid_argument naming the field.
  void validate() const;
};

struct HilReport {
  std::int64_t cycles = 0;
  std::int64_t overruns = 0;
  double p50_s = 0.0;
  double p99_s = 0.0;
  double max_s = 0.0;
  double bin_s = 0.0;
  std::vector<std::int64_t> histogram;  ///< counts per bin of lateness

  /// "cycles=1000 overruns=0 p50_us=12.0 p99_us=48.3 max_us=97.1" (key=value, µs).
  std::string summary() const;
};

/// Runs `body(k, t_wake_s)` for k = 0 … cycles−1 at the fixed period on `clock`.
/// A body that throws ends the run with that exception.
/// @throws std::invalid_argument when `options` fails validate().
HilReport run_fixed_rate(Clock& clock, const HilOptions& options,
                         const std::function<void(std::int64_t, double)>& body);

/// p in [0, 1] by nearest rank over `samples` (sorted or not); 0 for none.
double nearest_rank_percentile(std::vector<double> samples, double p);

}  // namespace psw::hal
