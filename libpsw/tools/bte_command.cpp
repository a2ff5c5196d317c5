#include "commands.hpp"

#include <psw/core/config.hpp>
#include <psw/io/results_file.hpp>
#include <psw/thermal/phonon_bte.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

namespace psw::cli {
namespace {

struct BteOptions {
  std::string case_path;
  std::string output;
};

void write_results(const thermal::SlabBteResult& r, const std::string& case_text,
                   const std::string& path) {
  io::ResultsFile file(path);
  file.write_provenance(case_text);
  file.write("/bte/x_m", r.x_m);
  file.write("/bte/T_K", r.T_K);
  file.write("/bte/q_W_per_m2", r.q_W_per_m2);
  file.write_scalar("/bte/flux_ratio", r.flux_ratio);
  file.write_scalar("/bte/flux_W_per_m2", r.flux_W_per_m2);
  file.write_scalar("/bte/fourier_flux_W_per_m2", r.fourier_flux_W_per_m2);
  file.write_scalar("/bte/casimir_flux_W_per_m2", r.casimir_flux_W_per_m2);
  file.write_scalar("/bte/hot_jump_K", r.hot_jump_K);
  file.write_scalar("/bte/cold_jump_K", r.cold_jump_K);
  file.write_scalar("/bte/iterations", static_cast<double>(r.iterations));
  file.set_attribute("/bte", "status", thermal::to_string(r.status));
  file.commit();
}

// max over time of |stored − wall input| / max |wall input|: the per-step energy balance.
double energy_imbalance(const thermal::TransientSlabBteResult& r) {
  double worst = 0.0, scale = 0.0;
  for (std::size_t k = 0; k < r.time_s.size(); ++k) {
    worst = std::max(worst, std::abs(r.stored_J_per_m2[k] - r.wall_input_J_per_m2[k]));
    scale = std::max(scale, std::abs(r.wall_input_J_per_m2[k]));
  }
  return scale > 0.0 ? worst / scale : 0.0;
}

void write_transient(const thermal::TransientSlabBteResult& r, std::size_t cells,
                     const std::string& case_text, const std::string& path) {
  io::ResultsFile file(path);
  file.write_provenance(case_text);
  file.write("/bte/x_m", r.x_m);
  file.write("/bte/time_s", r.time_s);
  file.write("/bte/T_K", r.T_K, {r.time_s.size(), cells});
  file.write("/bte/hot_flux_W_per_m2", r.hot_flux_W_per_m2);
  file.write("/bte/cold_flux_W_per_m2", r.cold_flux_W_per_m2);
  file.write("/bte/stored_J_per_m2", r.stored_J_per_m2);
  file.write("/bte/wall_input_J_per_m2", r.wall_input_J_per_m2);
  file.write_scalar("/bte/energy_imbalance", energy_imbalance(r));
  file.write_scalar("/bte/sweeps", static_cast<double>(r.sweeps));
  file.set_attribute("/bte", "status", thermal::to_string(r.status));
  file.commit();
}

int run_transient(const thermal::TransientSlabBteOptions& o, const Config& section,
                  const BteOptions& options) {
  const auto r = thermal::solve_transient_slab_bte(o);
  const std::size_t n = o.slab.cells;
  const std::size_t last = r.time_s.size() - 1;
  std::printf("bte %s (transient): L = %.4g nm, Kn = %.4g, %zu cells, S%zu, %zu steps of %.4g s, "
              "%s\n",
              options.case_path.c_str(), o.slab.thickness_m * 1e9, o.slab.knudsen(), n,
              o.slab.ordinates, last, o.time_step_s,
              r.status == thermal::BteStatus::converged ? "ok" : r.message.c_str());
  std::printf("  at t = %.4g s: T from %.6g K to %.6g K, q(0) = %.5g W/m2, q(L) = %.5g W/m2\n",
              r.time_s[last], r.T_K[last * n], r.T_K[last * n + n - 1], r.hot_flux_W_per_m2[last],
              r.cold_flux_W_per_m2[last]);
  std::printf("  energy: stored %.5g J/m2, through the walls %.5g J/m2, imbalance %.2e\n",
              r.stored_J_per_m2[last], r.wall_input_J_per_m2[last], energy_imbalance(r));
  std::printf("  %zu transport sweeps\n", r.sweeps);
  if (!options.output.empty()) {
    write_transient(r, n, section.to_yaml(), options.output);
    std::printf("  results written to %s\n", options.output.c_str());
  }
  if (r.status != thermal::BteStatus::converged) {
    std::fprintf(stderr, "psw: not converged: %s\n", r.message.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

Command add_bte_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "bte", "Gray phonon BTE across a slab between black walls, steady or transient");
  auto options = std::make_shared<BteOptions>();
  cmd->add_option("case", options->case_path, "Case file (YAML) with a `bte` section")
      ->required();
  cmd->add_option("-o,--output", options->output, "Write the results to this HDF5 file");

  return {cmd, [options] {
    const Config root = Config::load_file(options->case_path);
    const Config section = root.section("bte");
    root.finish();
    if (const auto transient = thermal::parse_transient_slab_bte(section)) {
      return run_transient(*transient, section, *options);
    }
    const auto o = thermal::parse_slab_bte(section);
    const auto r = thermal::solve_slab_bte(o);

    // One screen: the problem, the fluxes against both limits, the wall jumps, the iteration.
    std::printf("bte %s: L = %.4g nm, Kn = %.4g, %zu cells, S%zu, %s\n",
                options->case_path.c_str(), o.thickness_m * 1e9, o.knudsen(), o.cells,
                o.ordinates, r.message.c_str());
    std::printf("  heat flux        %12.5g W/m2\n", r.flux_W_per_m2);
    std::printf("  Fourier flux     %12.5g W/m2 (k = C v mfp/3 = %.4g W/(m K))\n",
                r.fourier_flux_W_per_m2, o.phonons.conductivity_W_per_mK());
    std::printf("  Casimir flux     %12.5g W/m2\n", r.casimir_flux_W_per_m2);
    std::printf("  q/q_Fourier      %12.5f (1/(1 + 4Kn/3) = %.5f)\n", r.flux_ratio,
                thermal::knudsen_flux_ratio(o.knudsen()));
    std::printf("  wall jumps       %12.5g K hot, %.5g K cold\n", r.hot_jump_K, r.cold_jump_K);
    if (!options->output.empty()) {
      write_results(r, section.to_yaml(), options->output);
      std::printf("  results written to %s\n", options->output.c_str());
    }
    if (r.status != thermal::BteStatus::converged) {
      std::fprintf(stderr, "psw: not converged: %s\n", r.message.c_str());
      return 1;
    }
    return 0;
  }};
}

}  // namespace psw::cli
