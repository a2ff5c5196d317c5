// Small fits shared by the C++ tests.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace psw::test {

/// Least-squares slope of ln y against ln x: a measured order of convergence or a power law's
/// exponent.
inline double log_log_slope(const std::vector<double>& x, const std::vector<double>& y) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  const double n = static_cast<double>(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double lx = std::log(x[i]), ly = std::log(y[i]);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

}  // namespace psw::test
