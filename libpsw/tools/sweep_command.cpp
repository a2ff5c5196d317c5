// `psw sweep`: runs a sweep file's points on a thread pool, or across MPI ranks when started by
// mpirun, with a progress display and a journal that `--resume` picks up after a crash.
#include "commands.hpp"
#include "sweep_mpi.hpp"

#include <psw/sweep/sweep.hpp>

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

namespace psw::cli {
namespace {

struct SweepOptions {
  std::string sweep_path;
  std::string output;
  unsigned threads = 0;
  bool resume = false;
  bool list_outputs = false;
  bool quiet = false;
  std::size_t max_points = 0;
};

std::string clock_text(double seconds) {
  if (!std::isfinite(seconds) || seconds <= 0) return "--:--";
  const long s = std::lround(seconds);
  char buffer[32];
  if (s >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%02ld:%02ld", s / 60, s % 60);
  }
  return buffer;
}

}  // namespace

// A bar redrawn in place on a terminal; `key=value` lines, at most one per second, otherwise.
std::function<void(const sweep::Progress&)> progress_printer(bool quiet) {
  if (quiet) return {};
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  return [tty, last](const sweep::Progress& p) {
    const auto now = std::chrono::steady_clock::now();
    const bool final = p.done == p.total;
    if (!final && now - *last < std::chrono::milliseconds(tty ? 100 : 1000)) return;
    *last = now;
    if (tty) {
      constexpr int kWidth = 30;
      const int filled = p.total ? static_cast<int>(kWidth * p.done / p.total) : kWidth;
      std::fprintf(stderr, "\r[%s%s] %zu/%zu points, %zu failed, %.2f points/s, %s left ",
                   std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(), p.done,
                   p.total, p.failed, p.points_per_s, clock_text(p.remaining_s).c_str());
      if (final) std::fputc('\n', stderr);
    } else {
      std::fprintf(stderr,
                   "sweep done=%zu total=%zu failed=%zu resumed=%zu rate_per_s=%.3g "
                   "elapsed_s=%.1f remaining_s=%.1f\n",
                   p.done, p.total, p.failed, p.resumed, p.points_per_s, p.elapsed_s,
                   p.remaining_s);
    }
    std::fflush(stderr);
  };
}

Command add_sweep_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "sweep", "Run a parameter sweep (grid, list, Latin hypercube or Sobol) of a psw case");
  auto o = std::make_shared<SweepOptions>();
  cmd->add_option("sweep", o->sweep_path, "Sweep file (YAML) with a `sweep` section");
  cmd->add_option("-o,--output", o->output, "Results file (HDF5); the journal sits beside it");
  cmd->add_option("--threads", o->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 4096u));
  cmd->add_flag("--resume", o->resume,
                "Finish an interrupted sweep: keep the points in its journal, run the rest");
  cmd->add_flag("--list-outputs", o->list_outputs,
                "List the sweepable models with their scalar outputs and fields, then exit");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress display");
  cmd->add_option("--max-points", o->max_points,
                  "Stop after computing this many points (the journal keeps them)");

  return {cmd, [o] {
    if (o->list_outputs) {
      for (const sweep::Model* m : sweep::models()) {
        std::printf("%s: %s\n", m->name.c_str(), m->description.c_str());
        for (const auto& s : m->scalars) std::printf("  scalar  %s\n", s.c_str());
        for (const auto& f : m->fields) std::printf("  field   %s\n", f.c_str());
      }
      return 0;
    }
    if (o->sweep_path.empty()) throw std::invalid_argument("psw sweep: give a sweep file");
    if (o->output.empty()) throw std::invalid_argument("psw sweep: give a results file with -o");

    if (launched_by_mpirun()) {
      return run_sweep_mpi(o->sweep_path, o->output, o->resume, o->threads,
                           progress_printer(o->quiet));
    }

    const sweep::Sweep s(sweep::SweepSpec::load_file(o->sweep_path));
    sweep::RunOptions run;
    run.output = o->output;
    run.threads = o->threads;
    run.resume = o->resume;
    run.max_points = o->max_points;
    run.progress = progress_printer(o->quiet);
    const sweep::RunSummary summary = sweep::run(s, run);
    return report_summary(s, summary, o->output);
  }};
}

int report_summary(const sweep::Sweep& s, const sweep::RunSummary& summary,
                   const std::string& output) {
  std::printf("sweep %s: %zu points of %s (%zu computed now, %zu from the journal), %zu failed\n",
              s.spec().source.c_str(), summary.total, s.spec().model.c_str(), summary.computed,
              summary.resumed, summary.failed);
  if (summary.complete) {
    std::printf("  results written to %s\n", output.c_str());
    if (summary.failed) {
      std::printf("  failed points are NaN in /sweep/outputs, 0 in /sweep/ok; their errors are "
                  "attributes of /sweep/ok\n");
    }
  } else {
    std::printf("  stopped with %zu points left; finished ones are in %s; continue with --resume\n",
                summary.total - summary.resumed - summary.computed,
                sweep::journal_path(output).c_str());
  }
  return 0;
}

}  // namespace psw::cli
