// Sweep throughput: the same points computed directly (the baseline), by the sweep runner on 1
// and 2 threads, and by `mpirun -n 2 psw sweep`, for cheap and expensive points. Read the
// counters, all from one run: `overhead` is the sweep's time per point over a direct call's (the
// cost of parsing each point's case, the journal's fsync and the results file), `efficiency` is
// the throughput at N workers over N times the 1-thread throughput measured just before.
#include <psw/core/config.hpp>
#include <psw/sweep/sweep.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
namespace sw = psw::sweep;

namespace {

constexpr int kPoints = 8;

// The Qiu–Tien gold film; `cells` sets the cost of a point (40: ~5 ms, 400: ~60 ms).
std::string sweep_text(int cells) {
  return "sweep:\n"
         "  case:\n"
         "    ttm:\n"
         "      layers: [{material: Au, thickness_nm: 100, cells: " + std::to_string(cells) + "}]\n"
         "      overrides: {Au: {gamma_J_per_m3K2: 70, lattice_heat_capacity_J_per_m3K: 2.5e6,\n"
         "                  coupling_W_per_m3K: 2.6e16, k0_W_per_mK: 315}}\n"
         "      source: {fluence_J_per_m2: 13.4, pulse_fwhm_fs: 96, reflectivity: 0.93,\n"
         "               penetration_depth_nm: 15.3}\n"
         "      time: {start_fs: -300, end_ps: 2, output_every_fs: 20}\n"
         "  parameters:\n"
         "    - {key: ttm.source.fluence_J_per_m2, from: 2, to: 20, count: " +
         std::to_string(kPoints) + "}\n"
         "  outputs: [thermal.Te_max_K, thermal.haz.extent_m]\n";
}

const char* label(int cells) { return cells > 100 ? "expensive" : "cheap"; }

fs::path scratch() {
  const fs::path dir = fs::temp_directory_path() / ("psw_sweep_bench_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::map<int, double> direct_s_per_point, one_thread_points_per_s;

void BM_DirectCall(benchmark::State& state) {
  const int cells = static_cast<int>(state.range(0));
  const sw::Sweep s(sw::SweepSpec::from_config(psw::Config::parse(sweep_text(cells), "bench")));
  const sw::Model& model = *sw::find_model("ttm");
  const auto start = std::chrono::steady_clock::now();
  std::int64_t points = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      benchmark::DoNotOptimize(model.prepare(psw::Config::parse(s.case_text(i), "bench"))());
      ++points;
    }
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  direct_s_per_point[cells] = elapsed / static_cast<double>(points);
  state.SetItemsProcessed(points);
  state.SetLabel(label(cells));
}

void BM_SweepThreads(benchmark::State& state) {
  const int cells = static_cast<int>(state.range(0));
  const auto threads = static_cast<unsigned>(state.range(1));
  const sw::Sweep s(sw::SweepSpec::from_config(psw::Config::parse(sweep_text(cells), "bench")));
  const fs::path out = scratch() / "threads.h5";
  const auto start = std::chrono::steady_clock::now();
  std::int64_t points = 0;
  for (auto _ : state) {
    fs::remove(out);
    sw::RunOptions options;
    options.output = out;
    options.threads = threads;
    points += static_cast<std::int64_t>(sw::run(s, options).computed);
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rate = static_cast<double>(points) / elapsed;
  if (threads == 1) one_thread_points_per_s[cells] = rate;
  state.counters["points_per_s"] = rate;
  if (direct_s_per_point.count(cells)) {
    state.counters["overhead"] = (elapsed / static_cast<double>(points) * threads) / direct_s_per_point[cells];
  }
  if (one_thread_points_per_s.count(cells)) {
    state.counters["efficiency"] = rate / (threads * one_thread_points_per_s[cells]);
  }
  state.SetItemsProcessed(points);
  state.SetLabel(label(cells));
}

// Two ranks of the installed-here psw program; includes MPI start-up, as a user would see it.
void BM_SweepMpi(benchmark::State& state) {
  const int cells = static_cast<int>(state.range(0));
  const fs::path program = fs::path(PSW_BINARY_DIR) / "bin" / "psw";
  const fs::path dir = scratch();
  {
    std::ofstream(dir / "mpi.yaml") << sweep_text(cells);
  }
  const std::string root = ::geteuid() == 0 ? " --allow-run-as-root" : "";
  const std::string command = "mpirun" + root + " --oversubscribe -n 2 " + program.string() +
                              " --log-level error sweep -q " + (dir / "mpi.yaml").string() +
                              " -o " + (dir / "mpi.h5").string() + " > /dev/null 2>&1";
  const auto start = std::chrono::steady_clock::now();
  std::int64_t points = 0;
  for (auto _ : state) {
    fs::remove(dir / "mpi.h5");
    if (std::system(command.c_str()) != 0) {
      state.SkipWithError("mpirun failed (is openmpi-bin installed?)");
      return;
    }
    points += kPoints;
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rate = static_cast<double>(points) / elapsed;
  state.counters["points_per_s"] = rate;
  if (one_thread_points_per_s.count(cells)) {
    state.counters["efficiency"] = rate / (2 * one_thread_points_per_s[cells]);
  }
  state.SetItemsProcessed(points);
  state.SetLabel(label(cells));
}

}  // namespace

BENCHMARK(BM_DirectCall)->Arg(40)->Arg(400)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SweepThreads)
    ->Args({40, 1})->Args({40, 2})->Args({400, 1})->Args({400, 2})
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SweepMpi)->Arg(40)->Arg(400)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
