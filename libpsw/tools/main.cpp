// The `psw` program: one subcommand per capability, exit code 2 with a one-line message for
// bad input, 1 for a failure at run time, never a stack trace for a user's mistake.
#include "commands.hpp"

#include <psw/core/build_info.hpp>
#include <psw/core/log.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitFailure = 1;

int run(int argc, char** argv) {
  CLI::App app{"psw: physics and digital twin for electrospray nanowelding"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", [] {
    std::string report = psw::version_report();
    report.pop_back();  // CLI11 ends the line itself
    return report;
  },
                       "Print psw's version and the versions of the libraries it was built "
                       "against");
  std::string log_level;
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error or off (default: $PSW_LOG_LEVEL, else info)");

  const std::vector<psw::cli::Command> commands{
      psw::cli::add_run_command(app),
      psw::cli::add_ttm_command(app),
      psw::cli::add_sinter_command(app),
      psw::cli::add_stage_command(app),
      psw::cli::add_schedule_command(app),
      psw::cli::add_electrospray_command(app),
      psw::cli::add_mes_command(app),
      psw::cli::add_info_command(app),
      psw::cli::add_hal_command(app),
      psw::cli::add_twin_command(app),
      psw::cli::add_bte_command(app),
      psw::cli::add_sweep_command(app),
      psw::cli::add_sbom_command(app),
      psw::cli::add_synth_command(app),
      psw::cli::add_explain_command(app),
      psw::cli::add_classify_command(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }

  psw::log::init_from_environment();
  if (!log_level.empty()) psw::log::set_level(psw::log::parse_level(log_level));

  for (const auto& command : commands) {
    if (command.app->parsed()) return command.action();
  }
  std::cout << app.help();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "psw: error: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::out_of_range& e) {
    std::fprintf(stderr, "psw: error: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "psw: failed: %s\n", e.what());
    return kExitFailure;
  }
}
