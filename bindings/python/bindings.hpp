// One binding source per module; module.cpp calls each.
#pragma once

#include <pybind11/pybind11.h>

namespace psw::python {
void bind_core(pybind11::module_& m);
void bind_twin(pybind11::module_& m);
void bind_mes(pybind11::module_& m);
}  // namespace psw::python
