// psw.thermal: the two-temperature model, results as NumPy arrays without copies.
#include <pybind11/stl.h>

#include <psw/thermal/phonon_bte.hpp>
#include <psw/thermal/phonon_bte_2d.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include "bindings.hpp"
#include "numpy_util.hpp"

namespace py = pybind11;

namespace psw::python {

void bind_thermal(py::module_& m) {
  m.def(
      "run_ttm",
      [](const Config& root) {
        const thermal::TtmCase c = thermal::TtmCase::from_config(root);
        thermal::TtmResult r;
        {
          py::gil_scoped_release release;
          r = thermal::run_ttm(c);
        }
        const auto nt = static_cast<py::ssize_t>(r.time_s.size());
        const auto n = static_cast<py::ssize_t>(r.x_m.size());
        py::dict energy;
        energy["absorbed_J_per_m2"] = to_numpy(std::move(r.energy.absorbed_J_per_m2));
        energy["electrons_J_per_m2"] = to_numpy(std::move(r.energy.electrons_J_per_m2));
        energy["lattice_J_per_m2"] = to_numpy(std::move(r.energy.lattice_J_per_m2));
        energy["boundary_loss_J_per_m2"] = to_numpy(std::move(r.energy.boundary_loss_J_per_m2));
        py::dict haz;
        haz["lattice_max_K"] = to_numpy(std::move(r.haz.lattice_max_K));
        haz["extent_m"] = r.haz.extent_m;
        haz["threshold_K"] = r.haz.threshold_K;
        haz["electron_diffusion_length_m"] = r.haz.electron_diffusion_length_m;
        py::dict out;
        out["ok"] = r.ok;
        out["message"] = r.message;
        out["time_s"] = to_numpy(std::move(r.time_s));
        out["x_m"] = to_numpy(std::move(r.x_m));
        out["cell_width_m"] = to_numpy(std::move(r.width_m));
        out["Te_K"] = to_numpy(std::move(r.Te_K), {nt, n});
        out["Tl_K"] = to_numpy(std::move(r.Tl_K), {nt, n});
        out["Te_max_K"] = r.haz.electron_max_K;
        out["Tl_max_K"] = r.haz.lattice_peak_K;
        out["energy"] = energy;
        out["haz"] = haz;
        out["steps"] = r.steps;
        return out;
      },
      py::arg("case"),
      R"doc(Run a two-temperature-model case (a Config holding a `ttm` section).

Returns a dict: time_s (nt), x_m (cells), Te_K and Tl_K (nt x cells), energy (the ledger, J/m2
per output), haz (lattice_max_K per cell, extent_m, threshold_K, electron_diffusion_length_m),
Te_max_K, Tl_max_K, ok and message (a solver failure is reported here, not raised), steps.)doc");

  m.def(
      "run_bte",
      [](const Config& root) {
        const Config section = root.section("bte");
        root.finish();
        if (const auto tr = thermal::parse_transient_slab_bte(section)) {
          thermal::TransientSlabBteResult r;
          {
            py::gil_scoped_release release;
            r = thermal::solve_transient_slab_bte(*tr);
          }
          const auto nt = static_cast<py::ssize_t>(r.time_s.size());
          const auto n = static_cast<py::ssize_t>(tr->slab.cells);
          py::dict out;
          out["status"] = thermal::to_string(r.status);
          out["message"] = r.message;
          out["sweeps"] = r.sweeps;
          out["knudsen"] = tr->slab.knudsen();
          out["x_m"] = to_numpy(std::move(r.x_m));
          out["time_s"] = to_numpy(std::move(r.time_s));
          out["T_K"] = to_numpy(std::move(r.T_K), {nt, n});
          out["hot_flux_W_per_m2"] = to_numpy(std::move(r.hot_flux_W_per_m2));
          out["cold_flux_W_per_m2"] = to_numpy(std::move(r.cold_flux_W_per_m2));
          out["stored_J_per_m2"] = to_numpy(std::move(r.stored_J_per_m2));
          out["wall_input_J_per_m2"] = to_numpy(std::move(r.wall_input_J_per_m2));
          return out;
        }
        const auto o = thermal::parse_slab_bte(section);
        thermal::SlabBteResult r;
        {
          py::gil_scoped_release release;
          r = thermal::solve_slab_bte(o);
        }
        py::dict out;
        out["status"] = thermal::to_string(r.status);
        out["message"] = r.message;
        out["iterations"] = r.iterations;
        out["knudsen"] = o.knudsen();
        out["x_m"] = to_numpy(std::move(r.x_m));
        out["T_K"] = to_numpy(std::move(r.T_K));
        out["q_W_per_m2"] = to_numpy(std::move(r.q_W_per_m2));
        out["flux_W_per_m2"] = r.flux_W_per_m2;
        out["fourier_flux_W_per_m2"] = r.fourier_flux_W_per_m2;
        out["casimir_flux_W_per_m2"] = r.casimir_flux_W_per_m2;
        out["flux_ratio"] = r.flux_ratio;
        out["hot_jump_K"] = r.hot_jump_K;
        out["cold_jump_K"] = r.cold_jump_K;
        return out;
      },
      py::arg("case"),
      R"doc(Solve a steady gray phonon BTE slab case (a Config holding a `bte` section).

Returns a dict: x_m, T_K, q_W_per_m2 (per cell), flux_W_per_m2, fourier_flux_W_per_m2,
casimir_flux_W_per_m2, flux_ratio (q/q_Fourier), hot_jump_K, cold_jump_K, knudsen, status
("converged", "max_iterations" or "diverged"), message, iterations.

With a `transient` map in the section (initial_K, time_step_*, steps): the transient slab, as a
dict with x_m, time_s, T_K (time x cells), hot_flux_W_per_m2, cold_flux_W_per_m2,
stored_J_per_m2, wall_input_J_per_m2, status, message, sweeps, knudsen.)doc");
  m.def(
      "run_bte_2d",
      [](const Config& root) {
        const Config section = root.section("bte_2d");
        root.finish();
        const auto o = thermal::parse_bte_2d(section);
        thermal::Bte2dResult r;
        {
          py::gil_scoped_release release;
          r = thermal::solve_bte_2d(o);
        }
        const auto nx = static_cast<py::ssize_t>(o.cells_x);
        const auto ny = static_cast<py::ssize_t>(o.cells_y);
        py::dict out;
        out["status"] = thermal::to_string(r.status);
        out["message"] = r.message;
        out["iterations"] = r.iterations;
        out["knudsen"] = o.knudsen();
        out["x_m"] = to_numpy(std::move(r.x_m));
        out["y_m"] = to_numpy(std::move(r.y_m));
        out["T_K"] = to_numpy(std::move(r.T_K), {ny, nx});
        out["qx_W_per_m2"] = to_numpy(std::move(r.qx_W_per_m2), {ny, nx});
        out["qy_W_per_m2"] = to_numpy(std::move(r.qy_W_per_m2), {ny, nx});
        py::dict walls;
        const char* names[] = {"left", "right", "bottom", "top"};
        for (std::size_t w = 0; w < 4; ++w) walls[names[w]] = r.wall_out_W_per_m[w];
        out["wall_out_W_per_m"] = walls;
        out["source_W_per_m"] = r.source_W_per_m;
        out["sink_in_W_per_m"] = r.sink_in_W_per_m;
        if (!r.time_s.empty()) {
          const auto nt = static_cast<py::ssize_t>(r.time_s.size());
          out["time_s"] = to_numpy(std::move(r.time_s));
          out["T_history_K"] = to_numpy(std::move(r.T_history_K), {nt, ny, nx});
          out["stored_J_per_m"] = to_numpy(std::move(r.stored_J_per_m));
          out["input_J_per_m"] = to_numpy(std::move(r.input_J_per_m));
        }
        return out;
      },
      py::arg("case"),
      R"doc(Solve a 2-D gray phonon BTE case (a Config holding a `bte_2d` section).

Returns a dict: x_m (cells_x), y_m (cells_y), T_K, qx_W_per_m2 and qy_W_per_m2 (cells_y x
cells_x, y rows), wall_out_W_per_m (net heat per unit depth leaving through left, right, bottom
and top), sink_in_W_per_m (absorbed by the sink regions), source_W_per_m, knudsen, status ("converged", "max_iterations" or "diverged"),
message, iterations. With a `transient` map: also time_s, T_history_K (time x cells_y x
cells_x), stored_J_per_m and input_J_per_m (energy stored, and net heat put in, per unit depth).)doc");
  m.def("knudsen_conductivity", &thermal::knudsen_conductivity, py::arg("k_bulk_W_per_mK"),
        py::arg("mean_free_path_m"), py::arg("length_m"),
        "k_bulk/(1 + 4Λ/(3L)), W/(m·K): the Knudsen-corrected cross-plane conductivity.");
}

}  // namespace psw::python
