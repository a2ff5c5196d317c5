#include "commands.hpp"

#include <psw/core/config.hpp>
#include <psw/core/error.hpp>
#include <psw/twin/repair_job.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace psw::cli {

Command add_run_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run a repair job (the built-in demo job by default)");
  auto job_path = std::make_shared<std::string>();
  cmd->add_option("job", *job_path, "Job file (YAML); omit it to run the demo job");

  return {cmd, [job_path] {
    // Load the job: the named file, or the demo compiled into the program.
    const Config root = job_path->empty()
                            ? Config::parse(twin::demo_job_yaml(), "<built-in demo job>")
                            : Config::load_file(*job_path);
    const twin::RepairJob job = twin::RepairJob::from_config(root);
    const twin::JobSummary summary = twin::run_job(job);

    // Report: one line per site, then what was and was not done.
    std::printf("job %s (%s): %zu site(s)\n", job.name.c_str(), root.source().c_str(),
                summary.sites);
    for (const auto& site : job.sites) {
      std::printf("  %-6s x=%9.3f um  y=%9.3f um  gap=%5.2f um  fill=%7.3f um^3\n",
                  site.id.c_str(), site.x_m * 1e6, site.y_m * 1e6, site.gap_m * 1e6,
                  site.fill_volume_m3() * 1e18);
    }
    std::printf("total fill volume %.3f um^3, largest gap %.2f um\n",
                summary.total_fill_volume_m3 * 1e18, summary.largest_gap_m * 1e6);
    std::printf("%s: %s\n", summary.simulated ? "simulated" : "not simulated",
                summary.message.c_str());
    return 0;
  }};
}

}  // namespace psw::cli
