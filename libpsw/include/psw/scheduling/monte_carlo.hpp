// Monte Carlo over many lots: every policy runs on the same lots (same layout, same true
// sintering times), lot ℓ seeded by RngStream(seed).substream(ℓ), lots shared among threads
// by index, so the results are identical on any number of threads.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <psw/scheduling/policies.hpp>
#include <psw/scheduling/scenario.hpp>
#include <psw/scheduling/simulator.hpp>

namespace psw::scheduling {

struct MonteCarloOptions {
  std::size_t lots = 1000;  ///< [1, 10⁷]
  int threads = 1;          ///< [1, 256]
};

/// One policy's results over all lots.
struct PolicySummary {
  std::string policy;
  std::size_t lots = 0;
  double makespan_p50_s = 0.0;  ///< over completed lots (NaN when none completed)
  double makespan_p90_s = 0.0;
  double makespan_p99_s = 0.0;
  double plan_mean_s = 0.0;           ///< mean planned duration
  double over_target_fraction = 0.0;  ///< lots not done by the deadline (aborts count)
  std::size_t aborted = 0;
  double laser_utilisation = 0.0;  ///< mean over lots of laser busy / makespan
  double stage_utilisation = 0.0;  ///< mean over lots of stage moving / makespan
  double parked_joints_per_lot = 0.0;
  double boosted_joints_per_lot = 0.0;
  std::size_t missed = 0;  ///< done after the deadline (plan + buffer or due time), or aborted
  std::size_t warned = 0;  ///< lots with a "will miss" event
  std::size_t missed_unwarned = 0;  ///< missed lots without a warning before the deadline
  double lead_time_p50_s = 0.0;     ///< median over warned missed lots of deadline − warning time
  std::vector<double> makespans_s;  ///< per lot, in lot order
  std::vector<double> deadlines_s;  ///< per lot
  std::vector<std::uint8_t> aborted_lots;  ///< per lot, 1 when aborted
};

/// Runs every policy over `options.lots` lots of the scenario.
/// @throws std::invalid_argument for options outside their ranges.
std::vector<PolicySummary> run_monte_carlo(const Scenario& scenario,
                                           const std::vector<PolicyFactory>& policies,
                                           const MonteCarloOptions& options);

/// Empirical quantile (linear interpolation between order statistics, type 7). NaN if empty.
double empirical_quantile(std::vector<double> values, double p);

/// The comparison table printed by `psw schedule`.
std::string format_table(const std::vector<PolicySummary>& summaries);

}  // namespace psw::scheduling
