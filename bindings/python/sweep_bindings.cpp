// psw.sweep: parameter sweeps (the twin of `psw sweep`) and their results as NumPy arrays.
#include "bindings.hpp"
#include "numpy_util.hpp"

#include <psw/core/config.hpp>
#include <psw/sweep/sweep.hpp>

#include <pybind11/functional.h>
#include <pybind11/stl.h>

namespace py = pybind11;

namespace psw::python {

void bind_sweep(py::module_& m) {
  m.def(
      "run",
      [](const Config& root, const std::string& output, unsigned threads, bool resume,
         std::size_t max_points, py::object progress) {
        const sweep::Sweep s(sweep::SweepSpec::from_config(root));
        sweep::RunOptions options;
        options.output = output;
        options.threads = threads;
        options.resume = resume;
        options.max_points = max_points;
        if (!progress.is_none()) {
          options.progress = [progress](const sweep::Progress& p) {
            py::gil_scoped_acquire gil;
            py::dict d;
            d["done"] = p.done;
            d["total"] = p.total;
            d["failed"] = p.failed;
            d["resumed"] = p.resumed;
            d["elapsed_s"] = p.elapsed_s;
            d["points_per_s"] = p.points_per_s;
            d["remaining_s"] = p.remaining_s;
            progress(d);
          };
        }
        sweep::RunSummary summary;
        {
          py::gil_scoped_release release;
          summary = sweep::run(s, options);
        }
        py::dict out;
        out["total"] = summary.total;
        out["computed"] = summary.computed;
        out["resumed"] = summary.resumed;
        out["failed"] = summary.failed;
        out["complete"] = summary.complete;
        out["model"] = s.spec().model;
        return out;
      },
      py::arg("config"), py::arg("output"), py::arg("threads") = 0u, py::arg("resume") = false,
      py::arg("max_points") = std::size_t{0}, py::arg("progress") = py::none());

  m.def(
      "load",
      [](const std::string& path) {
        sweep::Results r = sweep::load_results(path);
        py::dict parameters, outputs;
        for (std::size_t j = 0; j < r.parameter_keys.size(); ++j) {
          parameters[py::str(r.parameter_keys[j])] = to_numpy(std::move(r.parameters[j]));
        }
        for (std::size_t k = 0; k < r.output_names.size(); ++k) {
          outputs[py::str(r.output_names[k])] = to_numpy(std::move(r.outputs[k]));
        }
        py::dict out;
        out["parameters"] = parameters;
        out["outputs"] = outputs;
        out["ok"] = r.ok;
        out["errors"] = r.errors;
        return out;
      },
      py::arg("path"));

  m.def(
      "sobol",
      [](std::size_t points, std::size_t dimensions) {
        std::vector<double> values;
        values.reserve(points * dimensions);
        for (std::size_t i = 0; i < points; ++i) {
          for (std::uint32_t bits : sweep::sobol_point_bits(i, dimensions)) {
            values.push_back(static_cast<double>(bits) * 0x1.0p-32);
          }
        }
        return to_numpy(std::move(values), {static_cast<py::ssize_t>(points),
                                            static_cast<py::ssize_t>(dimensions)});
      },
      py::arg("points"), py::arg("dimensions"),
      "The first `points` unshifted Sobol points in [0, 1)^dimensions (Joe-Kuo directions).");

  m.def("models", [] {
    py::dict out;
    for (const sweep::Model* model : sweep::models()) {
      py::dict d;
      d["description"] = model->description;
      d["scalars"] = model->scalars;
      d["fields"] = model->fields;
      out[py::str(model->name)] = d;
    }
    return out;
  });
}

}  // namespace psw::python
