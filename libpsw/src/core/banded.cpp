#include <psw/core/banded.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace psw {

BandedMatrix::BandedMatrix(std::size_t n, std::size_t lower, std::size_t upper)
    : n_(n), kl_(lower), ku_(upper) {
  if (n == 0) throw std::invalid_argument("BandedMatrix: size must be at least 1");
  if (lower >= n || upper >= n) {
    throw std::invalid_argument("BandedMatrix: bandwidths (" + std::to_string(lower) + ", " +
                                std::to_string(upper) + ") must be below the size " +
                                std::to_string(n));
  }
  ab_.assign(ld() * n, 0.0);
}

double& BandedMatrix::at(std::size_t i, std::size_t j) {
  if (!in_band(i, j)) {
    throw std::out_of_range("BandedMatrix: (" + std::to_string(i) + ", " + std::to_string(j) +
                            ") lies outside the band of a " + std::to_string(n_) + "x" +
                            std::to_string(n_) + " matrix with bandwidths (" +
                            std::to_string(kl_) + ", " + std::to_string(ku_) + ")");
  }
  return (*this)(i, j);
}

std::vector<double> BandedMatrix::multiply(std::span<const double> x) const {
  if (x.size() != n_) {
    throw std::invalid_argument("BandedMatrix::multiply: x has " + std::to_string(x.size()) +
                                " entries, expected " + std::to_string(n_));
  }
  std::vector<double> y(n_, 0.0);
  for (std::size_t j = 0; j < n_; ++j) {
    const std::size_t first = j > ku_ ? j - ku_ : 0;
    const std::size_t last = std::min(n_ - 1, j + kl_);
    for (std::size_t i = first; i <= last; ++i) y[i] += (*this)(i, j) * x[j];
  }
  return y;
}

BandedLU::BandedLU(BandedMatrix a) : a_(std::move(a)), pivot_(a_.size()) {
  const std::size_t n = a_.n_;
  const std::size_t kl = a_.kl_;
  const std::size_t kv = a_.kl_ + a_.ku_;  // upper bandwidth of U after fill-in
  std::size_t ju = 0;                       // last column touched by interchanges so far

  for (std::size_t j = 0; j < n; ++j) {
    // Partial pivoting: the largest entry of column j on or below the diagonal.
    const std::size_t km = std::min(kl, n - 1 - j);
    std::size_t p = 0;
    double largest = std::abs(a_(j, j));
    for (std::size_t r = 1; r <= km; ++r) {
      if (std::abs(a_(j + r, j)) > largest) {
        largest = std::abs(a_(j + r, j));
        p = r;
      }
    }
    pivot_[j] = j + p;
    if (largest == 0.0 || !std::isfinite(largest)) {
      throw std::invalid_argument("BandedLU: matrix is singular (no usable pivot in column " +
                                  std::to_string(j) + ")");
    }

    // Interchange rows j and j+p across the columns the band reaches.
    ju = std::max(ju, std::min(j + kv, n - 1));
    if (p != 0) {
      for (std::size_t c = j; c <= ju; ++c) std::swap(a_(j, c), a_(j + p, c));
    }

    // Multipliers l(i, j) = a(i, j)/a(j, j), then the rank-1 update of the trailing block.
    const double inverse = 1.0 / a_(j, j);
    for (std::size_t r = 1; r <= km; ++r) a_(j + r, j) *= inverse;
    for (std::size_t c = j + 1; c <= ju; ++c) {
      const double u = a_(j, c);
      if (u == 0.0) continue;
      for (std::size_t r = 1; r <= km; ++r) a_(j + r, c) -= a_(j + r, j) * u;
    }
  }
}

void BandedLU::solve(std::span<double> b) const {
  const std::size_t n = a_.n_;
  if (b.size() != n) {
    throw std::invalid_argument("BandedLU::solve: right-hand side has " +
                                std::to_string(b.size()) + " entries, expected " +
                                std::to_string(n));
  }
  const std::size_t kl = a_.kl_;
  const std::size_t kv = a_.kl_ + a_.ku_;

  // L·y = P·b, applying the interchanges in the order the factorisation made them.
  for (std::size_t j = 0; j < n; ++j) {
    if (pivot_[j] != j) std::swap(b[j], b[pivot_[j]]);
    const std::size_t km = std::min(kl, n - 1 - j);
    for (std::size_t r = 1; r <= km; ++r) b[j + r] -= a_(j + r, j) * b[j];
  }

  // U·x = y, column-oriented back substitution.
  for (std::size_t j = n; j-- > 0;) {
    b[j] /= a_(j, j);
    const std::size_t first = j > kv ? j - kv : 0;
    for (std::size_t i = first; i < j; ++i) b[i] -= a_(i, j) * b[j];
  }
}

std::vector<double> BandedLU::solve(std::span<const double> b) const {
  std::vector<double> x(b.begin(), b.end());
  solve(std::span<double>(x));
  return x;
}

}  // namespace psw
