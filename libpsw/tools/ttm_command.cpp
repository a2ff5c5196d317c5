#include "commands.hpp"

#include <psw/core/config.hpp>
#include <psw/io/results_file.hpp>
#include <psw/io/vtk_fields.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <span>
#include <memory>
#include <string>
#include <vector>

namespace psw::cli {
namespace {

struct TtmOptions {
  std::string case_path;
  std::string output;
  std::string vtk_dir;
};

// One .vtr per output time (Tₑ, Tₗ and the running maximum of Tₗ) and a .pvd collection.
void write_vtk(const thermal::TtmResult& r, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::vector<double> z_faces{0.0};
  for (double w : r.width_m) z_faces.push_back(z_faces.back() + w);
  std::vector<double> y_faces = r.lateral_y_faces_m;
  if (y_faces.empty()) y_faces = {0.0, r.lateral_x_faces_m[1] - r.lateral_x_faces_m[0]};
  const std::size_t n = r.cells();
  std::vector<double> running_max(r.Tl_K.begin(), r.Tl_K.begin() + static_cast<long>(n));
  std::vector<std::string> files;
  for (std::size_t k = 0; k < r.time_s.size(); ++k) {
    const std::span<const double> te(r.Te_K.data() + k * n, n), tl(r.Tl_K.data() + k * n, n);
    for (std::size_t i = 0; i < n; ++i) running_max[i] = std::max(running_max[i], tl[i]);
    char name[32];
    std::snprintf(name, sizeof name, "ttm_%05zu.vtr", k);
    io::write_rectilinear_vtr(dir / name, r.lateral_x_faces_m, y_faces, z_faces,
                              {{"Te_K", te}, {"Tl_K", tl}, {"Tl_max_K", running_max}});
    files.emplace_back(name);
  }
  io::write_pvd(dir / "ttm.pvd", files, r.time_s);
}

void write_results(const thermal::TtmResult& r, const thermal::TtmCase& c,
                   const std::string& path) {
  io::ResultsFile file(path);
  file.write_provenance(c.case_text);
  // Fields: time × cells for a slab; time × x (or r) × y × depth for 2-D/3-D.
  const std::size_t nt = r.time_s.size(), nz = r.x_m.size();
  std::vector<std::size_t> shape{nt, nz};
  std::vector<std::size_t> cell_shape{nz};
  if (r.geometry != thermal::Geometry::slab) {
    const std::size_t nx = r.lateral_x_faces_m.size() - 1;
    const std::size_t ny = r.lateral_y_faces_m.empty() ? 1 : r.lateral_y_faces_m.size() - 1;
    shape = {nt, nx, ny, nz};
    cell_shape = {nx, ny, nz};
    file.write("/thermal/lateral_x_faces_m", r.lateral_x_faces_m);
    if (!r.lateral_y_faces_m.empty()) file.write("/thermal/lateral_y_faces_m", r.lateral_y_faces_m);
    file.write_scalar("/thermal/haz/lateral_extent_m", r.haz.lateral_extent_m);
  }
  file.write("/thermal/time_s", r.time_s);
  file.write("/thermal/x_m", r.x_m);
  file.write("/thermal/cell_width_m", r.width_m);
  file.write("/thermal/Te_K", r.Te_K, shape);
  file.write("/thermal/Tl_K", r.Tl_K, shape);
  file.write("/thermal/energy/absorbed_J_per_m2", r.energy.absorbed_J_per_m2);
  file.write("/thermal/energy/electrons_J_per_m2", r.energy.electrons_J_per_m2);
  file.write("/thermal/energy/lattice_J_per_m2", r.energy.lattice_J_per_m2);
  file.write("/thermal/energy/boundary_loss_J_per_m2", r.energy.boundary_loss_J_per_m2);
  file.write_scalar("/thermal/energy/relative_imbalance", r.energy.relative_imbalance());
  file.write("/thermal/haz/lattice_max_K", r.haz.lattice_max_K, cell_shape);
  file.write_scalar("/thermal/haz/extent_m", r.haz.extent_m);
  file.write_scalar("/thermal/haz/threshold_K", r.haz.threshold_K);
  file.write_scalar("/thermal/haz/electron_diffusion_length_m",
                    r.haz.electron_diffusion_length_m);
  file.write_scalar("/thermal/Te_max_K", r.haz.electron_max_K);
  file.write_scalar("/thermal/Tl_max_K", r.haz.lattice_peak_K);
  file.set_attribute("/thermal", "status", r.ok ? "ok" : r.message);
  file.set_attribute("/thermal", "geometry",
                     r.geometry == thermal::Geometry::slab           ? "slab"
                     : r.geometry == thermal::Geometry::axisymmetric ? "axisymmetric"
                                                                     : "cartesian");
  file.commit();
}

}  // namespace

Command add_ttm_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("ttm", "Two-temperature model of a laser-heated film stack");
  auto options = std::make_shared<TtmOptions>();
  cmd->add_option("case", options->case_path, "Case file (YAML) with a `ttm` section")
      ->required();
  cmd->add_option("-o,--output", options->output, "Write the results to this HDF5 file");
  cmd->add_option("--vtk", options->vtk_dir,
                  "Write VTK fields (ttm.pvd + one .vtr per output) into this directory "
                  "(2-D and 3-D geometries)");

  return {cmd, [options] {
    const thermal::TtmCase c = thermal::TtmCase::from_config(Config::load_file(options->case_path));
    const thermal::TtmResult r = thermal::run_ttm(c);

    // One screen: what ran, the peaks, the HAZ, the energy ledger, the solver.
    std::size_t cells = 0;
    for (const auto& l : c.layers) cells += l.cells;
    std::printf("ttm %s: %zu layer(s), %zu cells, %zu outputs, %s\n",
                options->case_path.c_str(), c.layers.size(), cells, r.time_s.size(),
                r.ok ? "ok" : "FAILED");
    std::printf("  peak electron temperature %10.1f K\n", r.haz.electron_max_K);
    std::printf("  peak lattice temperature  %10.1f K\n", r.haz.lattice_peak_K);
    std::printf("  heat-affected depth       %10.1f nm (lattice above %.0f K)\n",
                r.haz.extent_m * 1e9, r.haz.threshold_K);
    if (r.geometry != thermal::Geometry::slab) {
      std::printf("  heat-affected radius      %10.1f nm from the spot centre\n",
                  r.haz.lateral_extent_m * 1e9);
    }
    std::printf("  electron diffusion length %10.1f nm (sqrt(k0/G))\n",
                r.haz.electron_diffusion_length_m * 1e9);
    if (!r.energy.absorbed_J_per_m2.empty()) {
      std::printf("  energy: absorbed %.4g J/m2, electrons %.4g, lattice %.4g, lost %.4g, "
                  "imbalance %.2e\n",
                  r.energy.absorbed_J_per_m2.back(), r.energy.electrons_J_per_m2.back(),
                  r.energy.lattice_J_per_m2.back(), r.energy.boundary_loss_J_per_m2.back(),
                  r.energy.relative_imbalance());
    }
    std::printf("  solver: %ld steps, %ld right-hand-side evaluations\n", r.steps,
                r.rhs_evaluations);
    if (!options->output.empty()) {
      write_results(r, c, options->output);
      std::printf("  results written to %s\n", options->output.c_str());
    }
    if (!options->vtk_dir.empty()) {
      if (c.lateral.geometry == thermal::Geometry::slab) {
        throw std::invalid_argument("--vtk needs a 2-D or 3-D geometry (ttm.geometry.kind)");
      }
      write_vtk(r, options->vtk_dir);
      std::printf("  VTK fields written to %s/ttm.pvd\n", options->vtk_dir.c_str());
    }
    if (!r.ok) {
      std::fprintf(stderr, "psw: failed: %s\n", r.message.c_str());
      return 1;
    }
    return 0;
  }};
}

}  // namespace psw::cli
