#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <psw/core/config.hpp>
#include <psw/electrospray/electrospray_case.hpp>

#include "commands.hpp"

namespace psw::cli {

Command add_electrospray_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "electrospray",
      "Cone-jet window, scaling laws, droplet flight and landing Monte Carlo, deposition time");
  auto case_path = std::make_shared<std::string>();
  cmd->add_option("case", *case_path, "Electrospray case (YAML, top-level key `electrospray:`)")
      ->required();

  return {cmd, [case_path] {
            // Load the case, run it, print the one-screen summary. A point outside the
            // cone-jet window is a result (its reason is printed), not an error.
            const Config root = Config::load_file(*case_path);
            const auto c = electrospray::ElectrosprayCase::from_config(root);
            const auto report = electrospray::run_case(c);
            std::fputs(electrospray::format_summary(c, report).c_str(), stdout);
            return 0;
          }};
}

}  // namespace psw::cli
