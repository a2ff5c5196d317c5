// `psw sweep` under mpirun: rank 0 coordinates (journal, progress, results file) and computes
// on one thread; every other rank asks it for points one at a time and sends back each result.
#pragma once

#include <psw/sweep/sweep.hpp>

#include <functional>
#include <string>

namespace psw::cli {

/// True when this process was started by mpirun/mpiexec with more than one rank.
bool launched_by_mpirun();

/// Runs the sweep across the MPI ranks; returns the exit code (rank 0 prints the summary).
int run_sweep_mpi(const std::string& sweep_path, const std::string& output, bool resume,
                  unsigned threads, std::function<void(const sweep::Progress&)> progress);

/// The progress display of `psw sweep` (none when quiet).
std::function<void(const sweep::Progress&)> progress_printer(bool quiet);

/// Prints what a run did; returns the exit code.
int report_summary(const sweep::Sweep& s, const sweep::RunSummary& summary,
                   const std::string& output);

}  // namespace psw::cli
