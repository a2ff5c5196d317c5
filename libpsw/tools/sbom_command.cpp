// `psw sbom [-o FILE]`: the CycloneDX SBOM of this psw build, on stdout or written atomically
// to FILE (docs/sbom.md).
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <psw/io/sbom.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

struct SbomOptions {
  std::string output;
  bool path_only = false;
};

int run_sbom(const SbomOptions& options) {
  if (options.path_only) {
    std::printf("%s\n", io::sbom_path().c_str());
    return 0;
  }
  if (options.output.empty() || options.output == "-") {
    const std::string text = io::sbom_text();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  io::write_sbom(options.output);
  std::fprintf(stderr, "psw: wrote %s\n", options.output.c_str());
  return 0;
}

}  // namespace

Command add_sbom_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("sbom", "Print the CycloneDX 1.5 SBOM of this psw build (docs/sbom.md)");
  auto options = std::make_shared<SbomOptions>();
  cmd->add_option("-o,--output", options->output,
                  "Write it to this file (atomically) instead of stdout");
  cmd->add_flag("--path", options->path_only,
                "Print where this psw's SBOM file is, not its content");
  return {cmd, [options] { return run_sbom(*options); }};
}

}  // namespace psw::cli
