#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <psw/core/config.hpp>
#include <psw/core/error.hpp>
#include <psw/scheduling/monte_carlo.hpp>
#include <psw/scheduling/scenario.hpp>

#include "commands.hpp"

namespace psw::cli {

Command add_schedule_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("schedule",
                         "Compare scheduling policies over Monte Carlo repair lots (the built-in "
                         "default scenario when no file is given)");
  struct Options {
    std::string scenario;
    long lots = 0;
    int threads = 0;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML); omit it for the default");
  cmd->add_option("--lots", opt->lots, "Number of lots (overrides scenario.monte_carlo.lots)");
  cmd->add_option("--threads", opt->threads,
                  "Threads (overrides scenario.monte_carlo.threads; results do not depend on it)");

  return {cmd, [opt] {
            // Scenario: the named file or the built-in default.
            const Config root = opt->scenario.empty()
                                    ? Config::parse(scheduling::default_scenario_yaml(),
                                                    "<built-in default scenario>")
                                    : Config::load_file(opt->scenario);
            const scheduling::Scenario scenario = scheduling::Scenario::from_config(root);
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
            std::printf("%s", scheduling::format_table(summaries).c_str());
            std::printf(
                "P50/P90/P99: makespan over completed lots; late%%: lots not done by the deadline "
                "(plan + buffer, or the lot's due time if earlier; aborts count); laser/stage: "
                "busy fraction; parked/boosted: joints per "
                "lot; unwarn: missed lots with no earlier will-miss event; lead_s: median "
                "warning lead before the deadline\n");
            return 0;
          }};
}

}  // namespace psw::cli
