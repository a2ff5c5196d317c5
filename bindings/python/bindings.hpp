// One binding source per module; module.cpp calls each.
#pragma once

#include <pybind11/pybind11.h>

namespace psw::python {
void bind_core(pybind11::module_& m);
void bind_thermal(pybind11::module_& m);
void bind_stage(pybind11::module_& m);
void bind_twin(pybind11::module_& m);
void bind_sintering(pybind11::module_& m);
void bind_scheduling(pybind11::module_& m);
void bind_electrospray(pybind11::module_& m);
void bind_mes(pybind11::module_& m);
void bind_hal(pybind11::module_& m);
void bind_sweep(pybind11::module_& m);
void bind_inference(pybind11::module_& m);
void bind_inference_classifier(pybind11::module_& m);
}  // namespace psw::python
