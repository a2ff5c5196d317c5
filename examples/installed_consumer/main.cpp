// Built against an installed psw (find_package(psw) + psw::psw): loads the installed demo job
// and checks its planned volume against the figure worked out by hand.
#include <psw/core/build_info.hpp>
#include <psw/core/config.hpp>
#include <psw/twin/repair_job.hpp>

#include <cmath>
#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  try {
    const psw::twin::RepairJob job =
        argc > 1 ? psw::twin::RepairJob::from_config(psw::Config::load_file(argv[1]))
                 : psw::twin::demo_job();
    const psw::twin::JobSummary summary = psw::twin::run_job(job);

    // Demo job: gaps 3 + 1.5 + 4.8 + 2.2 = 11.5 µm in a 2 µm × 2 µm line → 46 µm³.
    const double expected_m3 = 11.5e-6 * 2e-6 * 2e-6;
    if (std::abs(summary.total_fill_volume_m3 - expected_m3) > 1e-9 * expected_m3) {
      std::fprintf(stderr, "fill volume %g m^3, expected %g\n", summary.total_fill_volume_m3,
                   expected_m3);
      return 1;
    }
    std::printf("installed psw %s ok: %zu sites\n", std::string(psw::version()).c_str(),
                summary.sites);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
