#include "commands.hpp"

#include <psw/core/config.hpp>
#include <psw/stage/stage_case.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

namespace psw::cli {

Command add_stage_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "stage",
      "Stage dynamics: a step response, a Bode sweep, XYZ moves or a placement Monte Carlo");
  auto case_path = std::make_shared<std::string>();
  cmd->add_option("case", *case_path, "Stage case file (YAML); see docs/stage.md")->required();

  return {cmd, [case_path] {
            // TODO(#6): write the traces to HDF5 with -o once psw::io's results writer lands.
            const stage::StageCaseResult result =
                stage::run_stage_case(Config::load_file(*case_path));
            std::printf("stage %s (%s)\n", result.stage.name.c_str(), case_path->c_str());
            for (const auto& text : result.summary) std::printf("%s\n", text.c_str());
            return 0;
          }};
}

}  // namespace psw::cli
