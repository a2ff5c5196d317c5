#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include <psw/core/error.hpp>
#include <psw/scheduling/monte_carlo.hpp>

namespace psw::scheduling {

double empirical_quantile(std::vector<double> values, double p) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  // Type 7: h = (n − 1)·p, linear between the neighbouring order statistics.
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

namespace {

// Per-lot outcome of one policy, kept in lot order.
struct LotRecord {
  double makespan_s = 0.0, deadline_s = 0.0, planned_s = 0.0;
  double laser_fraction = 0.0, stage_fraction = 0.0;
  double will_miss_at_s = 0.0;
  std::size_t parked = 0, boosted = 0;
  bool aborted = false, within = false;
};

void run_lots(const Scenario& scenario, const std::vector<PolicyFactory>& factories,
              std::size_t first, std::size_t stride, std::size_t lots,
              std::vector<std::vector<LotRecord>>& records) {
  std::vector<std::unique_ptr<Policy>> policies;
  for (const auto& f : factories) policies.push_back(f.make());
  const SinteringPredictor predictor = scenario.make_predictor();
  SimulationOptions options;
  options.drift_per_joint = scenario.drift_per_joint;

  for (std::size_t lot_index = first; lot_index < lots; lot_index += stride) {
    // One lot, one plan, every policy on it.
    const Lot lot = scenario.make_lot(lot_index);
    const LotPlan plan = plan_lot(lot, scenario.cell, predictor, scenario.buffer_fraction,
                                  scenario.lot_deadline_s, scenario.plan_quantile);
    for (std::size_t p = 0; p < policies.size(); ++p) {
      const LotResult r = simulate_lot(lot, plan, scenario.cell, predictor, *policies[p], options);
      LotRecord& rec = records[p][lot_index];
      rec.makespan_s = r.makespan_s;
      rec.deadline_s = r.deadline_s;
      rec.planned_s = r.planned_s;
      rec.laser_fraction = r.makespan_s > 0.0 ? r.laser_busy_s / r.makespan_s : 0.0;
      rec.stage_fraction = r.makespan_s > 0.0 ? r.stage_moving_s / r.makespan_s : 0.0;
      rec.will_miss_at_s = r.will_miss_at_s;
      rec.parked = r.parked_joints;
      rec.boosted = r.boosted_joints;
      rec.aborted = r.status == LotResult::Status::aborted;
      rec.within = r.within_deadline;
    }
  }
}

PolicySummary summarise(const std::string& name, const std::vector<LotRecord>& records) {
  PolicySummary s;
  s.policy = name;
  s.lots = records.size();
  std::vector<double> completed, lead;
  double laser = 0.0, stage = 0.0, plan = 0.0, parked = 0.0, boosted = 0.0;
  for (const LotRecord& r : records) {
    s.makespans_s.push_back(r.makespan_s);
    s.deadlines_s.push_back(r.deadline_s);
    s.aborted_lots.push_back(r.aborted ? 1 : 0);
    if (r.aborted)
      ++s.aborted;
    else
      completed.push_back(r.makespan_s);
    laser += r.laser_fraction, stage += r.stage_fraction, plan += r.planned_s;
    parked += static_cast<double>(r.parked), boosted += static_cast<double>(r.boosted);
    const bool warned = !std::isnan(r.will_miss_at_s);
    if (warned) ++s.warned;
    if (!r.within) {
      ++s.missed;
      if (warned && r.will_miss_at_s < r.deadline_s)
        lead.push_back(r.deadline_s - r.will_miss_at_s);
      else
        ++s.missed_unwarned;
    }
  }
  const auto n = static_cast<double>(records.size());
  s.makespan_p50_s = empirical_quantile(completed, 0.50);
  s.makespan_p90_s = empirical_quantile(completed, 0.90);
  s.makespan_p99_s = empirical_quantile(completed, 0.99);
  s.plan_mean_s = plan / n;
  s.over_target_fraction = static_cast<double>(s.missed) / n;
  s.laser_utilisation = laser / n;
  s.stage_utilisation = stage / n;
  s.parked_joints_per_lot = parked / n;
  s.boosted_joints_per_lot = boosted / n;
  s.lead_time_p50_s = empirical_quantile(lead, 0.5);
  return s;
}

}  // namespace

std::vector<PolicySummary> run_monte_carlo(const Scenario& scenario,
                                           const std::vector<PolicyFactory>& policies,
                                           const MonteCarloOptions& options) {
  require_in_range("monte_carlo.lots", static_cast<double>(options.lots), Range::closed(1, 1e7));
  require_in_range("monte_carlo.threads", options.threads, Range::closed(1, 256));
  if (policies.empty()) throw std::invalid_argument("monte_carlo needs at least one policy");

  // Lots are dealt to threads by index (lot ℓ to thread ℓ mod T); each lot's numbers depend on
  // ℓ only, and results are stored by ℓ, so any thread count gives the same table.
  std::vector<std::vector<LotRecord>> records(policies.size(),
                                              std::vector<LotRecord>(options.lots));
  const auto threads = static_cast<std::size_t>(
      std::min<std::size_t>(static_cast<std::size_t>(options.threads), options.lots));
  if (threads == 1) {
    run_lots(scenario, policies, 0, 1, options.lots, records);
  } else {
    std::vector<std::thread> pool;
    std::exception_ptr error;
    std::mutex error_mutex;
    for (std::size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        try {
          run_lots(scenario, policies, t, threads, options.lots, records);
        } catch (...) {
          const std::lock_guard lock(error_mutex);
          if (!error) error = std::current_exception();
        }
      });
    }
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
  }

  std::vector<PolicySummary> out;
  for (std::size_t p = 0; p < policies.size(); ++p) {
    out.push_back(summarise(policies[p].name, records[p]));
  }
  return out;
}

std::string format_table(const std::vector<PolicySummary>& summaries) {
  std::string text;
  char line[512];
  std::snprintf(line, sizeof line, "%-13s %8s %8s %8s %8s %7s %6s %6s %6s %7s %7s %7s %8s\n",
                "policy", "P50_s", "P90_s", "P99_s", "plan_s", "late%", "abort", "laser", "stage",
                "parked", "boosted", "unwarn", "lead_s");
  text += line;
  for (const PolicySummary& s : summaries) {
    std::snprintf(line, sizeof line,
                  "%-13s %8.0f %8.0f %8.0f %8.0f %7.2f %6zu %6.3f %6.3f %7.2f %7.2f %7zu %8.0f\n",
                  s.policy.c_str(), s.makespan_p50_s, s.makespan_p90_s, s.makespan_p99_s,
                  s.plan_mean_s, 100.0 * s.over_target_fraction, s.aborted, s.laser_utilisation,
                  s.stage_utilisation, s.parked_joints_per_lot, s.boosted_joints_per_lot,
                  s.missed_unwarned, s.lead_time_p50_s);
    text += line;
  }
  return text;
}

}  // namespace psw::scheduling
