// psw.twin: repair jobs and `psw run`'s Python twin.
#include "bindings.hpp"

#include <psw/twin/repair_job.hpp>

#include <pybind11/stl.h>

namespace py = pybind11;

namespace psw::python {

void bind_twin(py::module_& m) {
  py::class_<twin::LineSpec>(m, "LineSpec")
      .def_readonly("material", &twin::LineSpec::material)
      .def_readonly("width_m", &twin::LineSpec::width_m)
      .def_readonly("thickness_m", &twin::LineSpec::thickness_m);
  py::class_<twin::RepairSite>(m, "RepairSite")
      .def_readonly("id", &twin::RepairSite::id)
      .def_readonly("x_m", &twin::RepairSite::x_m)
      .def_readonly("y_m", &twin::RepairSite::y_m)
      .def_readonly("gap_m", &twin::RepairSite::gap_m)
      .def_readonly("line", &twin::RepairSite::line)
      .def_readonly("image", &twin::RepairSite::image)
      .def("fill_volume_m3", &twin::RepairSite::fill_volume_m3);
  py::class_<twin::RepairJob>(m, "RepairJob")
      .def_static("from_config", &twin::RepairJob::from_config, py::arg("config"))
      .def_readonly("name", &twin::RepairJob::name)
      .def_readonly("wafer_id", &twin::RepairJob::wafer_id)
      .def_readonly("seed", &twin::RepairJob::seed)
      .def_readonly("hal_uri", &twin::RepairJob::hal_uri)
      .def_readonly("sites", &twin::RepairJob::sites);
  py::class_<twin::JobSummary>(m, "JobSummary")
      .def_readonly("sites", &twin::JobSummary::sites)
      .def_readonly("total_fill_volume_m3", &twin::JobSummary::total_fill_volume_m3)
      .def_readonly("largest_gap_m", &twin::JobSummary::largest_gap_m)
      .def_readonly("simulated", &twin::JobSummary::simulated)
      .def_readonly("message", &twin::JobSummary::message);
  m.def("demo_job_yaml", [] { return std::string(twin::demo_job_yaml()); },
        "The built-in demo job (data/jobs/demo.yaml) as YAML text.");
  m.def("run_job", &twin::run_job, py::arg("job"),
        "Run a repair job as far as this build can; the summary says what was done.");
}

}  // namespace psw::python
