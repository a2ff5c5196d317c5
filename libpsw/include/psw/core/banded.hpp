// Banded matrices and their LU factorisation with partial pivoting.
//
// A has kl sub-diagonals and ku super-diagonals. Storage follows LAPACK's band layout with kl
// extra rows for the fill-in that row interchanges create, so the factors of an n×n matrix cost
// O(n·kl·(kl+ku)) time and O(n·(2kl+ku+1)) memory. The factorisation is the unblocked
// algorithm of LAPACK's dgbtf2 (Anderson et al., LAPACK Users' Guide, 3rd ed., SIAM 1999).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace psw {

class BandedMatrix {
 public:
  /// An n×n zero matrix with `lower` sub- and `upper` super-diagonals.
  /// @throws std::invalid_argument when n is 0 or a bandwidth is ≥ n.
  BandedMatrix(std::size_t n, std::size_t lower, std::size_t upper);

  std::size_t size() const { return n_; }
  std::size_t lower() const { return kl_; }
  std::size_t upper() const { return ku_; }

  /// True when (i, j) lies inside the band.
  bool in_band(std::size_t i, std::size_t j) const {
    return i < n_ && j < n_ && i <= j + kl_ && j <= i + ku_;
  }
  /// Entry (i, j), which must lie inside the band (unchecked).
  double& operator()(std::size_t i, std::size_t j) { return ab_[index(i, j)]; }
  double operator()(std::size_t i, std::size_t j) const { return ab_[index(i, j)]; }
  /// Checked access. @throws std::out_of_range outside the band.
  double& at(std::size_t i, std::size_t j);

  /// y = A·x. @throws std::invalid_argument on a size mismatch.
  std::vector<double> multiply(std::span<const double> x) const;

 private:
  friend class BandedLU;
  std::size_t ld() const { return 2 * kl_ + ku_ + 1; }
  std::size_t index(std::size_t i, std::size_t j) const { return kl_ + ku_ + i - j + j * ld(); }

  std::size_t n_, kl_, ku_;
  std::vector<double> ab_;
};

class BandedLU {
 public:
  /// Factorises A = P·L·U.
  /// @throws std::invalid_argument naming the column when A is singular.
  explicit BandedLU(BandedMatrix a);

  std::size_t size() const { return a_.size(); }
  /// Solves A·x = b in place.
  void solve(std::span<double> b) const;
  std::vector<double> solve(std::span<const double> b) const;

 private:
  BandedMatrix a_;
  std::vector<std::size_t> pivot_;
};

}  // namespace psw
