// Tridiagonal solve (the Thomas algorithm) for the 1-D implicit steps of the thermal models.
//
//   a[i]·x[i−1] + b[i]·x[i] + c[i]·x[i+1] = d[i],   i = 0 … n−1   (a[0], c[n−1] unused)
//
// No pivoting: stable for diagonally dominant or symmetric positive definite systems, which is
// what conservative finite-volume diffusion produces. For anything else use BandedLU.
#pragma once

#include <cmath>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace psw {

/// Solves in place: on return `d` holds x. `scratch` needs n entries.
/// @throws std::invalid_argument on mismatched sizes or a zero pivot (naming the row).
inline void solve_tridiagonal(std::span<const double> a, std::span<const double> b,
                              std::span<const double> c, std::span<double> d,
                              std::span<double> scratch) {
  const std::size_t n = b.size();
  if (a.size() != n || c.size() != n || d.size() != n || scratch.size() < n) {
    throw std::invalid_argument("solve_tridiagonal: a, b, c, d must all have " +
                                std::to_string(n) + " entries and scratch at least as many");
  }
  if (n == 0) return;

  // Forward sweep: eliminate the sub-diagonal, keeping the modified super-diagonal in scratch.
  double pivot = b[0];
  if (pivot == 0.0) throw std::invalid_argument("solve_tridiagonal: zero pivot at row 0");
  scratch[0] = c[0] / pivot;
  d[0] /= pivot;
  for (std::size_t i = 1; i < n; ++i) {
    pivot = b[i] - a[i] * scratch[i - 1];
    if (pivot == 0.0 || !std::isfinite(pivot)) {
      throw std::invalid_argument("solve_tridiagonal: zero or non-finite pivot at row " +
                                  std::to_string(i));
    }
    scratch[i] = c[i] / pivot;
    d[i] = (d[i] - a[i] * d[i - 1]) / pivot;
  }

  // Back substitution.
  for (std::size_t i = n - 1; i-- > 0;) d[i] -= scratch[i] * d[i + 1];
}

/// Convenience overload that allocates its scratch.
inline std::vector<double> solve_tridiagonal(std::span<const double> a, std::span<const double> b,
                                             std::span<const double> c,
                                             std::span<const double> d) {
  std::vector<double> x(d.begin(), d.end());
  std::vector<double> scratch(b.size());
  solve_tridiagonal(a, b, c, x, scratch);
  return x;
}

}  // namespace psw
