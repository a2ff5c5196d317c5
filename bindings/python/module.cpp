// The extension module psw._psw. C++ exceptions arrive in Python with the same message:
// std::invalid_argument as ValueError, std::out_of_range as IndexError, std::runtime_error and
// others as RuntimeError (pybind11's standard translation).
#include "bindings.hpp"

#include <psw/core/build_info.hpp>
#include <psw/io/sbom.hpp>

namespace py = pybind11;

PYBIND11_MODULE(_psw, m) {
  m.doc() = "psw: physics and digital twin for electrospray nanowelding (compiled core)";
  m.attr("__version__") = std::string(psw::version());
  m.def("version_report", &psw::version_report,
        "psw's version, the compiler and the versions of the libraries it was built against.");
  m.def("dependency_versions", [] {
    py::dict out;
    for (const auto& dep : psw::dependency_versions()) {
      out[py::str(std::string(dep.name))] = std::string(dep.version);
    }
    return out;
  }, "{library: version} for the libraries found when psw was built.");
  m.def("sbom_path", [] { return psw::io::sbom_path().string(); },
        "Where the CycloneDX SBOM of this psw build is (docs/sbom.md).");
  m.def("sbom_text", &psw::io::sbom_text,
        "The SBOM's JSON text; RuntimeError naming the path when it is missing.");
  m.def("write_sbom", [](const std::string& path) { psw::io::write_sbom(path); },
        py::arg("destination"),
        "Writes the SBOM to destination atomically; ValueError when its directory is missing.");

  auto core = m.def_submodule("core", "Config loading, RNG streams, logging, constants");
  psw::python::bind_core(core);
  auto thermal = m.def_submodule("thermal", "Two-temperature model, heat-affected zone");
  psw::python::bind_thermal(thermal);
  auto stage = m.def_submodule("stage", "Piezo stage dynamics, servo, placement budget");
  psw::python::bind_stage(stage);
  auto twin = m.def_submodule("twin", "Repair jobs and the weld cell");
  psw::python::bind_twin(twin);
  auto sintering = m.def_submodule(
      "sintering", "Neck growth, densification, resistivity, sintering-time statistics");
  psw::python::bind_sintering(sintering);
  auto scheduling = m.def_submodule("scheduling", "Repair-lot scheduling under tail latency");
  psw::python::bind_scheduling(scheduling);
  auto electrospray = m.def_submodule("electrospray", "Cone-jet, droplet flight and landing");
  psw::python::bind_electrospray(electrospray);
  auto mes = m.def_submodule("mes", "SECS-II items: bytes, tagged JSON and SML");
  psw::python::bind_mes(mes);
  auto hal = m.def_submodule("hal", "Device URIs, positioner and HV supply drivers, safety");
  psw::python::bind_hal(hal);
  auto sweep = m.def_submodule("sweep", "Parameter sweeps on threads, resumable");
  psw::python::bind_sweep(sweep);
  auto inference = m.def_submodule(
      "inference",
      "Defect images: files, synthetic generator, repair rules, normalisation, the ONNX "
      "classifier, explanations");
  psw::python::bind_inference(inference);
  psw::python::bind_inference_classifier(inference);
}
