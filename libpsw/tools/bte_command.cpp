#include "commands.hpp"

#include <psw/core/config.hpp>
#include <psw/io/results_file.hpp>
#include <psw/thermal/phonon_bte.hpp>

#include <CLI/CLI.hpp>

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

}  // namespace

Command add_bte_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("bte", "Gray phonon BTE across a slab between black walls");
  auto options = std::make_shared<BteOptions>();
  cmd->add_option("case", options->case_path, "Case file (YAML) with a `bte` section")
      ->required();
  cmd->add_option("-o,--output", options->output, "Write the results to this HDF5 file");

  return {cmd, [options] {
    const Config root = Config::load_file(options->case_path);
    const Config section = root.section("bte");
    root.finish();
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
