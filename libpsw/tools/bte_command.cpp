#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <psw/core/config.hpp>
#include <psw/core/grid.hpp>
#include <psw/io/results_file.hpp>
#include <psw/io/vtk_fields.hpp>
#include <psw/thermal/phonon_bte.hpp>
#include <psw/thermal/phonon_bte_2d.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

struct BteOptions {
  std::string case_path;
  std::string output;
  std::string vtk_dir;
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
  std::printf(
      "bte %s (transient): L = %.4g nm, Kn = %.4g, %zu cells, S%zu, %zu steps of %.4g s, "
      "%s\n",
      options.case_path.c_str(), o.slab.thickness_m * 1e9, o.slab.knudsen(), n, o.slab.ordinates,
      last, o.time_step_s, r.status == thermal::BteStatus::converged ? "ok" : r.message.c_str());
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

// ---- the 2-D section (`bte_2d`) ------------------------------------------------------------

// A row-major [j·nx + i] field in VTK's cell order (i·ny + j, one cell deep).
std::vector<double> to_vtk_order(std::span<const double> field, std::size_t nx, std::size_t ny) {
  std::vector<double> out(nx * ny);
  for (std::size_t j = 0; j < ny; ++j) {
    for (std::size_t i = 0; i < nx; ++i) out[i * ny + j] = field[j * nx + i];
  }
  return out;
}

// The last field (T, qx, qy) as bte_2d.vtr; a transient adds one T file per step and a .pvd.
void write_vtk_2d(const thermal::Bte2dResult& r, const thermal::Bte2dOptions& o,
                  const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const std::size_t nx = o.cells_x, ny = o.cells_y;
  const Grid1D gx = Grid1D::uniform(o.width_m, nx), gy = Grid1D::uniform(o.height_m, ny);
  const auto xf = gx.faces(), yf = gy.faces();
  const std::vector<double> zf{
      0.0, std::min(o.width_m, o.height_m) / static_cast<double>(std::max(nx, ny))};
  const auto T = to_vtk_order(r.T_K, nx, ny), qx = to_vtk_order(r.qx_W_per_m2, nx, ny),
             qy = to_vtk_order(r.qy_W_per_m2, nx, ny);
  io::write_rectilinear_vtr(dir / "bte_2d.vtr", xf, yf, zf,
                            {{"T_K", T}, {"qx_W_per_m2", qx}, {"qy_W_per_m2", qy}});
  if (r.time_s.empty()) return;
  std::vector<std::string> files;
  const std::size_t n = nx * ny;
  for (std::size_t k = 0; k < r.time_s.size(); ++k) {
    const auto Tk = to_vtk_order(std::span<const double>(r.T_history_K.data() + k * n, n), nx, ny);
    char name[40];
    std::snprintf(name, sizeof name, "bte_2d_%05zu.vtr", k);
    io::write_rectilinear_vtr(dir / name, xf, yf, zf, {{"T_K", Tk}});
    files.emplace_back(name);
  }
  io::write_pvd(dir / "bte_2d.pvd", files, r.time_s);
}

void write_results_2d(const thermal::Bte2dResult& r, const thermal::Bte2dOptions& o,
                      const std::string& case_text, const std::string& path) {
  io::ResultsFile file(path);
  file.write_provenance(case_text);
  const std::size_t nx = o.cells_x, ny = o.cells_y;
  file.write("/bte_2d/x_m", r.x_m);
  file.write("/bte_2d/y_m", r.y_m);
  file.write("/bte_2d/T_K", r.T_K, {ny, nx});
  file.write("/bte_2d/qx_W_per_m2", r.qx_W_per_m2, {ny, nx});
  file.write("/bte_2d/qy_W_per_m2", r.qy_W_per_m2, {ny, nx});
  file.write("/bte_2d/wall_out_W_per_m",
             std::vector<double>(r.wall_out_W_per_m.begin(), r.wall_out_W_per_m.end()));
  file.write_scalar("/bte_2d/source_W_per_m", r.source_W_per_m);
  file.write_scalar("/bte_2d/sink_in_W_per_m", r.sink_in_W_per_m);
  file.write_scalar("/bte_2d/iterations", static_cast<double>(r.iterations));
  if (!r.time_s.empty()) {
    file.write("/bte_2d/time_s", r.time_s);
    file.write("/bte_2d/T_history_K", r.T_history_K, {r.time_s.size(), ny, nx});
    file.write("/bte_2d/stored_J_per_m", r.stored_J_per_m);
    file.write("/bte_2d/input_J_per_m", r.input_J_per_m);
  }
  file.set_attribute("/bte_2d", "status", thermal::to_string(r.status));
  file.commit();
}

int run_2d(const Config& section, const BteOptions& options) {
  const auto o = thermal::parse_bte_2d(section);
  const auto r = thermal::solve_bte_2d(o);
  std::printf(
      "bte_2d %s: %.4g x %.4g nm, %zu x %zu cells, Kn = %.4g, %zu x %zu directions, "
      "%s\n",
      options.case_path.c_str(), o.width_m * 1e9, o.height_m * 1e9, o.cells_x, o.cells_y,
      o.knudsen(), o.polar, o.azimuths, r.message.c_str());
  const auto [lo, hi] = std::minmax_element(r.T_K.begin(), r.T_K.end());
  std::printf("  T from %.6g K to %.6g K\n", *lo, *hi);
  std::printf(
      "  heat out (W/m of depth): left %.5g, right %.5g, bottom %.5g, top %.5g, sinks %.5g; "
      "source %.5g\n",
      r.wall_out_W_per_m[0], r.wall_out_W_per_m[1], r.wall_out_W_per_m[2], r.wall_out_W_per_m[3],
      r.sink_in_W_per_m, r.source_W_per_m);
  if (!r.time_s.empty()) {
    std::printf("  at t = %.4g s: stored %.5g J/m, net input %.5g J/m\n", r.time_s.back(),
                r.stored_J_per_m.back(), r.input_J_per_m.back());
  }
  if (!options.output.empty()) {
    write_results_2d(r, o, section.to_yaml(), options.output);
    std::printf("  results written to %s\n", options.output.c_str());
  }
  if (!options.vtk_dir.empty()) {
    write_vtk_2d(r, o, options.vtk_dir);
    std::printf("  VTK fields written to %s/bte_2d.vtr\n", options.vtk_dir.c_str());
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
      "bte",
      "Gray phonon BTE, steady or transient: a slab (`bte` section) or a 2-D box (`bte_2d`)");
  auto options = std::make_shared<BteOptions>();
  cmd->add_option("case", options->case_path, "Case file (YAML) with a `bte` or `bte_2d` section")
      ->required();
  cmd->add_option("-o,--output", options->output, "Write the results to this HDF5 file");
  cmd->add_option("--vtk", options->vtk_dir,
                  "Write VTK fields for ParaView into this directory (bte_2d only)");

  return {cmd, [options] {
            const Config root = Config::load_file(options->case_path);
            if (!root.has("bte") && !root.has("bte_2d")) {
              throw root.error("no `bte` (slab) or `bte_2d` (2-D box) section in the case");
            }
            if (root.has("bte_2d") && !root.has("bte")) {
              const Config section = root.section("bte_2d");
              root.finish();
              return run_2d(section, *options);
            }
            const Config section = root.section("bte");
            root.finish();
            if (!options->vtk_dir.empty()) {
              throw std::invalid_argument("--vtk needs a 2-D case (a `bte_2d` section)");
            }
            if (const auto transient = thermal::parse_transient_slab_bte(section)) {
              return run_transient(*transient, section, *options);
            }
            const auto o = thermal::parse_slab_bte(section);
            const auto r = thermal::solve_slab_bte(o);

            // One screen: the problem, the fluxes against both limits, the wall jumps, the
            // iteration.
            std::printf("bte %s: L = %.4g nm, Kn = %.4g, %zu cells, S%zu, %s\n",
                        options->case_path.c_str(), o.thickness_m * 1e9, o.knudsen(), o.cells,
                        o.ordinates, r.message.c_str());
            std::printf("  heat flux        %12.5g W/m2\n", r.flux_W_per_m2);
            std::printf("  Fourier flux     %12.5g W/m2 (k = C v mfp/3 = %.4g W/(m K))\n",
                        r.fourier_flux_W_per_m2, o.phonons.conductivity_W_per_mK());
            std::printf("  Casimir flux     %12.5g W/m2\n", r.casimir_flux_W_per_m2);
            std::printf("  q/q_Fourier      %12.5f (1/(1 + 4Kn/3) = %.5f)\n", r.flux_ratio,
                        thermal::knudsen_flux_ratio(o.knudsen()));
            std::printf("  wall jumps       %12.5g K hot, %.5g K cold\n", r.hot_jump_K,
                        r.cold_jump_K);
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
