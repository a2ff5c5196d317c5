#include <psw/core/tridiagonal.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using Catch::Matchers::Contains;

TEST_CASE("the Thomas algorithm inverts the discrete Laplacian on its eigenvectors",
          "[core][tridiagonal]") {
  // −u'' on n interior points with Dirichlet ends: (−1, 2, −1)/h². sin(kπx_i) is an eigenvector
  // with eigenvalue (2 − 2cos(kπh))/h², so A·u = λ·sin(kπx) has the exact discrete solution
  // u_i = sin(kπx_i), up to rounding.
  const std::size_t n = 999;
  const double h = 1.0 / static_cast<double>(n + 1);
  for (int k : {1, 7}) {
    const double lambda = (2.0 - 2.0 * std::cos(k * M_PI * h)) / (h * h);
    std::vector<double> a(n, -1.0 / (h * h)), b(n, 2.0 / (h * h)), c(n, -1.0 / (h * h)), d(n);
    auto exact = [&](std::size_t i) { return std::sin(k * M_PI * static_cast<double>(i + 1) * h); };
    for (std::size_t i = 0; i < n; ++i) d[i] = lambda * exact(i);
    const auto u = psw::solve_tridiagonal(a, b, c, d);
    double worst = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      worst = std::max(worst, std::abs(u[i] - exact(i)));
    }
    // Condition number ~ 4/(π²h²) ≈ 4e5; rounding error stays far below 1e-8.
    CHECK(worst < 1e-8);
  }
}

TEST_CASE("tridiagonal solve reports bad sizes and zero pivots", "[core][tridiagonal]") {
  std::vector<double> a{0, 1}, b{0, 1}, c{1, 0}, d{1, 1}, s(2);
  REQUIRE_THROWS_WITH(psw::solve_tridiagonal(a, b, c, d, s),
                      Contains("zero pivot at row 0"));
  std::vector<double> short_d{1};
  REQUIRE_THROWS_WITH(psw::solve_tridiagonal(a, b, c, short_d, s),
                      Contains("must all have 2 entries"));
}
