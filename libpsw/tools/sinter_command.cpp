#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <psw/core/config.hpp>
#include <psw/sintering/sinter_case.hpp>

#include "commands.hpp"

namespace psw::cli {

Command add_sinter_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "sinter",
      "Sintering of a nanoparticle deposit: neck growth, densification, resistivity, "
      "time to target, sintering-time statistics");
  auto case_path = std::make_shared<std::string>();
  cmd->add_option("case", *case_path, "Sintering case (YAML, top-level key `sinter:`)")->required();

  return {cmd, [case_path] {
            // Load and validate the case, run the models, print the one-screen summary.
            const Config root = Config::load_file(*case_path);
            const sintering::SinterCase c = sintering::SinterCase::from_config(root);
            const sintering::SinterReport report = sintering::run_sinter_case(c);
            std::fputs(sintering::format_summary(report).c_str(), stdout);
            return 0;
          }};
}

}  // namespace psw::cli
