#include <psw/core/banded.hpp>
#include <psw/core/rng.hpp>

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using Catch::Matchers::Contains;

namespace {

// A random banded matrix with entries in [-1, 1), deliberately not diagonally dominant, so the
// factorisation must pivot.
psw::BandedMatrix random_band(std::size_t n, std::size_t kl, std::size_t ku, psw::RngStream& r) {
  psw::BandedMatrix a(n, kl, ku);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = (i > kl ? i - kl : 0); j <= std::min(n - 1, i + ku); ++j) {
      a(i, j) = r.uniform(-1.0, 1.0);
    }
  }
  return a;
}

double max_abs_diff(const std::vector<double>& x, const std::vector<double>& y) {
  double worst = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::abs(x[i] - y[i]));
  return worst;
}

}  // namespace

TEST_CASE("banded LU recovers a known solution and agrees with Eigen's dense LU",
          "[core][banded]") {
  psw::RngStream rng(4242);
  for (auto [kl, ku] : {std::pair<std::size_t, std::size_t>{1, 1}, {2, 3}, {4, 1}, {0, 2}}) {
    const std::size_t n = 60;
    const psw::BandedMatrix a = random_band(n, kl, ku, rng);
    std::vector<double> x_true(n);
    for (auto& v : x_true) v = rng.uniform(-1.0, 1.0);
    const std::vector<double> b = a.multiply(x_true);

    // Manufactured solution: A·x_true = b. LU with partial pivoting is backward stable, so the
    // residual is at rounding level whatever the conditioning of the random matrix.
    const std::vector<double> x = psw::BandedLU(a).solve(std::span<const double>(b));
    const std::vector<double> ax = a.multiply(x);
    CHECK(max_abs_diff(ax, b) < 1e-12);

    // Peer: Eigen's partial-pivoting dense LU on the same matrix. The forward error of a random
    // matrix depends on its condition number, so psw must be no worse than Eigen by more than
    // a small factor, not below a fixed threshold.
    Eigen::MatrixXd dense = Eigen::MatrixXd::Zero(n, n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        if (a.in_band(i, j)) dense(i, j) = a(i, j);
      }
    }
    const Eigen::VectorXd xe =
        dense.partialPivLu().solve(Eigen::Map<const Eigen::VectorXd>(b.data(), n));
    const std::vector<double> x_eigen(xe.data(), xe.data() + n);
    CHECK(max_abs_diff(x, x_true) <= 10.0 * max_abs_diff(x_eigen, x_true) + 1e-13);
  }
}

TEST_CASE("a zero diagonal is handled by pivoting", "[core][banded]") {
  // [[0, 1], [1, 0]]·x = (2, 3) has x = (3, 2); without row interchange the first pivot is 0.
  psw::BandedMatrix a(2, 1, 1);
  a(0, 1) = 1.0;
  a(1, 0) = 1.0;
  const std::vector<double> b{2.0, 3.0};
  const auto x = psw::BandedLU(a).solve(std::span<const double>(b));
  CHECK(x[0] == 3.0);
  CHECK(x[1] == 2.0);
}

TEST_CASE("banded errors name what is wrong", "[core][banded]") {
  REQUIRE_THROWS_WITH(psw::BandedMatrix(3, 3, 0), Contains("bandwidths (3, 0) must be below"));
  psw::BandedMatrix a(4, 1, 1);
  REQUIRE_THROWS_WITH(a.at(0, 3), Contains("(0, 3) lies outside the band"));
  REQUIRE_THROWS_WITH(psw::BandedLU(a), Contains("singular (no usable pivot in column 0)"));
  a(0, 0) = a(1, 1) = a(2, 2) = a(3, 3) = 1.0;
  const std::vector<double> short_b{1.0};
  REQUIRE_THROWS_WITH(psw::BandedLU(a).solve(std::span<const double>(short_b)),
                      Contains("right-hand side has 1 entries, expected 4"));
}
