#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <psw/core/config.hpp>
#include <psw/core/error.hpp>
#include <psw/io/results_file.hpp>
#include <psw/scheduling/monte_carlo.hpp>
#include <psw/scheduling/scenario.hpp>
#include <psw/twin/scheduling_models.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

// The HDF5 layout of docs/scheduling.md: one group per policy under /schedule, with every
// lot's makespan, deadline and abort flag (same lots for every policy) and the table's figures.
void write_results(const std::vector<scheduling::PolicySummary>& summaries,
                   const scheduling::Scenario& scenario, const scheduling::MonteCarloOptions& mc,
                   const std::string& case_text, const std::string& path) {
  io::ResultsFile file(path);
  file.write_provenance(case_text);
  std::string names;
  for (const scheduling::PolicySummary& s : summaries) {
    const std::string g = "/schedule/" + s.policy + "/";

    // Per lot, in lot order.
    file.write(g + "makespan_s", s.makespans_s);
    file.write(g + "deadline_s", s.deadlines_s);
    const std::vector<double> aborted(s.aborted_lots.begin(), s.aborted_lots.end());
    file.write(g + "aborted", aborted);

    // The comparison table's figures.
    file.write_scalar(g + "makespan_p50_s", s.makespan_p50_s);
    file.write_scalar(g + "makespan_p90_s", s.makespan_p90_s);
    file.write_scalar(g + "makespan_p99_s", s.makespan_p99_s);
    file.write_scalar(g + "plan_mean_s", s.plan_mean_s);
    file.write_scalar(g + "over_target_fraction", s.over_target_fraction);
    file.write_scalar(g + "aborted_lots", static_cast<double>(s.aborted));
    file.write_scalar(g + "missed_lots", static_cast<double>(s.missed));
    file.write_scalar(g + "warned_lots", static_cast<double>(s.warned));
    file.write_scalar(g + "missed_unwarned_lots", static_cast<double>(s.missed_unwarned));
    file.write_scalar(g + "lead_time_p50_s", s.lead_time_p50_s);
    file.write_scalar(g + "laser_utilisation", s.laser_utilisation);
    file.write_scalar(g + "stage_utilisation", s.stage_utilisation);
    file.write_scalar(g + "parked_joints_per_lot", s.parked_joints_per_lot);
    file.write_scalar(g + "boosted_joints_per_lot", s.boosted_joints_per_lot);
    names += (names.empty() ? "" : ",") + s.policy;
  }
  file.set_attribute("/schedule", "scenario", scenario.name);
  file.set_attribute("/schedule", "policies", names);
  file.set_attribute("/schedule", "lots", static_cast<double>(mc.lots));
  file.set_attribute("/schedule", "joints_per_lot", static_cast<double>(scenario.lots.joints));
  file.set_attribute("/schedule", "buffer_fraction", scenario.buffer_fraction);
  file.set_attribute("/schedule", "plan_quantile", scenario.plan_quantile);
  file.set_attribute("/schedule", "sintering_positions",
                     static_cast<double>(scenario.cell.sintering_positions));
  file.set_attribute("/schedule", "stage_settle_s", scenario.cell.stage_settle_s);
  file.commit();
}

}  // namespace

Command add_schedule_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("schedule",
                         "Compare scheduling policies over Monte Carlo repair lots (the built-in "
                         "default scenario when no file is given)");
  struct Options {
    std::string scenario;
    long lots = 0;
    int threads = 0;
    std::string output;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML); omit it for the default");
  cmd->add_option("--lots", opt->lots, "Number of lots (overrides scenario.monte_carlo.lots)");
  cmd->add_option("--threads", opt->threads,
                  "Threads (overrides scenario.monte_carlo.threads; results do not depend on it)");
  cmd->add_option("-o,--output", opt->output, "Write the results to this HDF5 file");

  return {cmd, [opt] {
            // Scenario: the named file or the built-in default.
            const Config root = opt->scenario.empty()
                                    ? Config::parse(scheduling::default_scenario_yaml(),
                                                    "<built-in default scenario>")
                                    : Config::load_file(opt->scenario);
            // The sintering- and stage-model plug-ins come from the twin (DESIGN.md §2).
            const scheduling::Scenario scenario =
                scheduling::Scenario::from_config(root, twin::scheduling_models());
            // Command-line overrides: 0 (not given) keeps the scenario's value.
            require_in_range("--lots", static_cast<double>(opt->lots), Range::closed(0, 1e7));
            require_in_range("--threads", opt->threads, Range::closed(0, 256));
            scheduling::MonteCarloOptions mc;
            mc.lots =
                opt->lots > 0 ? static_cast<std::size_t>(opt->lots) : scenario.monte_carlo_lots;
            mc.threads = opt->threads > 0 ? opt->threads : scenario.monte_carlo_threads;

            // Every built-in policy on the same lots.
            std::vector<scheduling::PolicyFactory> policies;
            for (const auto& name : scheduling::policy_names()) {
              policies.push_back(scheduling::builtin_policy(name, scenario.policy));
            }
            const auto summaries = scheduling::run_monte_carlo(scenario, policies, mc);

            std::printf("scenario %s (%s): %zu lots of %zu joints, %d thread(s)\n",
                        scenario.name.c_str(), root.source().c_str(), mc.lots, scenario.lots.joints,
                        mc.threads);
            std::printf("sintering: %s; buffer %.0f %% of plan\n",
                        scenario.sintering->describe().c_str(), 100.0 * scenario.buffer_fraction);
            std::printf("cell: %d sintering position(s), stage settle %.4g s\n",
                        scenario.cell.sintering_positions, scenario.cell.stage_settle_s);
            std::printf("%s", scheduling::format_table(summaries).c_str());
            std::printf(
                "P50/P90/P99: makespan over completed lots; late%%: lots not done by the deadline "
                "(plan + buffer, or the lot's due time if earlier; aborts count); laser/stage: "
                "busy fraction; parked/boosted: joints per "
                "lot; unwarn: missed lots with no earlier will-miss event; lead_s: median "
                "warning lead before the deadline\n");

            // The file appears only now, whole, after the run has succeeded.
            if (!opt->output.empty()) {
              write_results(summaries, scenario, mc, root.to_yaml(), opt->output);
              std::printf("results written to %s\n", opt->output.c_str());
            }
            return 0;
          }};
}

}  // namespace psw::cli
