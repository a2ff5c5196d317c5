// The built-in scheduling policies (one interface, simulator.hpp).
//
// fifo_abort   the baseline: joints in lot order; a joint whose sintering work exceeds a fixed
//              timeout aborts the whole lot. P(lot aborted) = 1 − Πⱼ (1 − P(Tⱼ > timeout)).
// fifo_wait    joints in lot order, never aborts.
// quantile     route order (priorities first); within each window of `window` consecutive route
//              joints, the one with the shortest predicted quantile q goes first.
// park_resume  route order (priorities first); a joint whose work passes its predicted
//              quantile q (P90 by default) is parked and resumed after all fresh joints, the
//              one with the shortest predicted remaining work first.
// buffer_aware critical-chain buffer management. Buffer penetration
//                b = (projected finish − plan) / buffer,
//              with the projection of LotView::projected_finish_s() at nominal power, sets the
//              zone: green (b < yellow), yellow (b ≥ yellow: a fresh joint past its predicted
//              park quantile is parked once, if other joints wait), red (b ≥ red: the laser runs
//              at its escalated power until b falls back under yellow). A "will miss" event is
//              raised the first time the projection at the current rate exceeds the deadline,
//              with the predicted overrun; one check is requested `check_lead_s` before the
//              deadline so that no lot runs past it unannounced. Checks happen at every
//              decision and when a joint's work passes its predicted P75, P90 and P99, then
//              every further 25 % of its work.
//
// Assumption: the deadline is known when the lot starts; a lot is one chain (serial cell).
//
// Reference: E. M. Goldratt, "Critical Chain" (1997); L. P. Leach, "Critical chain project
// management improves project performance", Project Manage. J. 30 (1999) 39 (buffer zones in
// thirds).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <psw/scheduling/simulator.hpp>

namespace psw::scheduling {

struct PolicyParameters {
  double abort_timeout_s = 240.0;      ///< fifo_abort: (0, ∞)
  double park_quantile = 0.9;          ///< park_resume: (0, 1)
  double quantile = 0.5;               ///< quantile: (0, 1)
  int quantile_window = 8;             ///< quantile: [1, 10000]
  double yellow_fraction = 1.0 / 3.0;  ///< buffer_aware: yellow zone from this penetration
  double red_fraction = 2.0 / 3.0;     ///< buffer_aware: red zone, > yellow_fraction
  double yellow_park_quantile = 0.9;   ///< buffer_aware: park past this quantile in yellow
  double check_lead_s = 5.0;           ///< buffer_aware: last check this long before deadline
  /// @throws std::invalid_argument naming the field, value and range.
  void validate() const;
};

/// Names of the built-in policies, in table order.
const std::vector<std::string>& policy_names();

/// A new built-in policy. @throws std::invalid_argument for an unknown name (lists the names).
std::unique_ptr<Policy> make_policy(const std::string& name, const PolicyParameters& params);

/// Makes a fresh policy instance (one per thread in a Monte Carlo run).
struct PolicyFactory {
  std::string name;
  std::function<std::unique_ptr<Policy>()> make;
};
PolicyFactory builtin_policy(const std::string& name, const PolicyParameters& params);

}  // namespace psw::scheduling
