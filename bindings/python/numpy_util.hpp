// NumPy arrays that take over a std::vector's buffer, so large results cross into Python
// without a copy: the vector moves into a capsule that the array owns.
#pragma once

#include <pybind11/numpy.h>

#include <utility>
#include <vector>

namespace psw::python {

template <typename T>
pybind11::array_t<T> to_numpy(std::vector<T>&& values, std::vector<pybind11::ssize_t> shape) {
  auto* owner = new std::vector<T>(std::move(values));
  pybind11::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return pybind11::array_t<T>(std::move(shape), owner->data(), free_when_done);
}

template <typename T>
pybind11::array_t<T> to_numpy(std::vector<T>&& values) {
  const auto n = static_cast<pybind11::ssize_t>(values.size());
  return to_numpy(std::move(values), {n});
}

}  // namespace psw::python
