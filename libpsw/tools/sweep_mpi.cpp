#include "sweep_mpi.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#ifdef PSW_HAVE_MPI
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <thread>
#include <vector>
#endif

namespace psw::cli {

bool launched_by_mpirun() {
  // Open MPI sets OMPI_COMM_WORLD_SIZE, MPICH and Intel MPI set PMI_SIZE.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* value = std::getenv(name); value && std::atoi(value) > 1) return true;
  }
  return false;
}

#ifndef PSW_HAVE_MPI

int run_sweep_mpi(const std::string&, const std::string&, bool, unsigned,
                  std::function<void(const sweep::Progress&)>) {
  throw std::runtime_error(
      "psw sweep was started by mpirun, but this psw was built without MPI "
      "(install libopenmpi-dev and reconfigure); run it without mpirun to use threads");
}

#else

namespace {

enum Tag : int { kRequest = 1, kResult = 2, kWork = 3, kDone = 4 };

struct MpiSession {
  MpiSession() {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

// Every rank must agree to go on; a rank that cannot (a bad file, an existing journal) says
// why, and all of them stop instead of waiting on each other.
bool all_ok(bool ok) {
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

void worker(const sweep::Sweep& s) {
  MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD);
  while (true) {
    std::uint64_t index = 0;
    MPI_Status status;
    MPI_Recv(&index, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == kDone) return;
    const std::string record = sweep::encode_point(s.compute(static_cast<std::size_t>(index)));
    MPI_Send(record.data(), static_cast<int>(record.size()), MPI_CHAR, 0, kResult,
             MPI_COMM_WORLD);
  }
}

sweep::RunSummary coordinator(const sweep::Sweep& s, sweep::Runner& runner, int ranks,
                              unsigned threads) {
  // Local threads compute from the same queue the remote ranks draw on.
  std::vector<std::thread> local;
  std::exception_ptr failure;
  for (unsigned t = 0; t < threads; ++t) {
    local.emplace_back([&] {
      try {
        while (const auto index = runner.next()) runner.record(s.compute(*index));
      } catch (...) {
        failure = std::current_exception();
        runner.stop();
      }
    });
  }
  int active = ranks - 1;
  std::string buffer;
  while (active > 0) {
    int waiting = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
    if (!waiting) {  // poll gently: the computing threads need the cores more than we do
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    int bytes = 0;
    MPI_Get_count(&status, MPI_CHAR, &bytes);
    buffer.resize(static_cast<std::size_t>(bytes));
    MPI_Recv(buffer.data(), bytes, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (status.MPI_TAG == kResult) runner.record(sweep::decode_point(buffer, s));
    if (const auto index = runner.next()) {
      const std::uint64_t value = *index;
      MPI_Send(&value, 1, MPI_UINT64_T, status.MPI_SOURCE, kWork, MPI_COMM_WORLD);
    } else {
      const std::uint64_t none = 0;
      MPI_Send(&none, 1, MPI_UINT64_T, status.MPI_SOURCE, kDone, MPI_COMM_WORLD);
      --active;
    }
  }
  for (auto& t : local) t.join();
  if (failure) std::rethrow_exception(failure);
  return runner.finish();
}

}  // namespace

int run_sweep_mpi(const std::string& sweep_path, const std::string& output, bool resume,
                  unsigned threads, std::function<void(const sweep::Progress&)> progress) {
  MpiSession session;
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);

  std::optional<sweep::Sweep> s;
  std::string error;
  try {
    s.emplace(sweep::SweepSpec::load_file(sweep_path));
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!all_ok(error.empty())) {
    if (!error.empty()) throw std::invalid_argument(error);
    return 2;  // another rank said why
  }

  if (rank != 0) {
    if (!all_ok(true)) return 2;
    worker(*s);
    return 0;
  }

  sweep::RunOptions options;
  options.output = output;
  options.resume = resume;
  options.progress = std::move(progress);
  std::optional<sweep::Runner> runner;
  try {
    runner.emplace(*s, options);
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!all_ok(error.empty())) throw std::invalid_argument(error);
  try {
    const sweep::RunSummary summary = coordinator(*s, *runner, ranks, threads ? threads : 1);
    std::printf("sweep ran on %d MPI ranks\n", ranks);
    return report_summary(*s, summary, output);
  } catch (const std::exception& e) {
    // The journal keeps every point that finished; stop every rank now rather than hang.
    std::fprintf(stderr, "psw: error: %s\n", e.what());
    MPI_Abort(MPI_COMM_WORLD, 1);
    return 1;
  }
}

#endif

}  // namespace psw::cli
