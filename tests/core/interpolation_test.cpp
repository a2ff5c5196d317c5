#include <psw/core/interpolation.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <vector>

using Catch::Matchers::Contains;
using psw::Extrapolation;
using psw::Interpolation;
using psw::Table1D;

namespace {

Table1D sample(const std::function<double(double)>& f, double a, double b, std::size_t n,
               Interpolation method) {
  std::vector<double> x(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = a + (b - a) * static_cast<double>(i) / static_cast<double>(n - 1);
    y[i] = f(x[i]);
  }
  return Table1D(x, y, method);
}

double max_error(const Table1D& t, const std::function<double(double)>& f, double a, double b) {
  double worst = 0.0;
  for (int k = 0; k <= 2000; ++k) {
    const double x = a + (b - a) * k / 2000.0;
    worst = std::max(worst, std::abs(t(x) - f(x)));
  }
  return worst;
}

}  // namespace

TEST_CASE("both interpolants reproduce linear data exactly", "[core][interpolation]") {
  for (auto method : {Interpolation::linear, Interpolation::monotone_cubic}) {
    const Table1D t({0.0, 1.0, 3.0, 4.0}, {1.0, 3.0, 7.0, 9.0}, method);
    CHECK(t(2.0) == Approx(5.0).epsilon(1e-14));
    CHECK(t(0.25) == Approx(1.5).epsilon(1e-14));
    CHECK(t.derivative(3.5) == Approx(2.0).epsilon(1e-13));
  }
}

TEST_CASE("measured convergence orders: 2 for linear, 3 for monotone cubic",
          "[core][interpolation]") {
  // tanh on [-2, 2] is smooth and monotone. Error ~ C·hᵖ, so p = log2(e(h)/e(h/2)).
  const auto f = [](double x) { return std::tanh(x); };
  auto order = [&](Interpolation method) {
    const double e1 = max_error(sample(f, -2, 2, 41, method), f, -2, 2);
    const double e2 = max_error(sample(f, -2, 2, 81, method), f, -2, 2);
    return std::log2(e1 / e2);
  };
  CHECK(order(Interpolation::linear) == Approx(2.0).margin(0.1));
  CHECK(order(Interpolation::monotone_cubic) > 2.7);
}

TEST_CASE("monotone cubic never overshoots step-like data", "[core][interpolation]") {
  // A smoothed step: a natural cubic spline would ring; PCHIP stays within [0, 1] and monotone.
  const Table1D t({0, 1, 2, 3, 4, 5}, {0, 0, 0.05, 0.95, 1, 1}, Interpolation::monotone_cubic);
  double previous = -1.0;
  for (int k = 0; k <= 500; ++k) {
    const double v = t(5.0 * k / 500.0);
    CHECK(v >= 0.0);
    CHECK(v <= 1.0);
    CHECK(v >= previous);
    previous = v;
  }
}

TEST_CASE("outside the table: clamp, extend linearly, or refuse", "[core][interpolation]") {
  const std::vector<double> x{1.0, 2.0}, y{10.0, 20.0};
  CHECK(Table1D(x, y, Interpolation::linear, Extrapolation::clamp)(5.0) == 20.0);
  CHECK(Table1D(x, y, Interpolation::linear, Extrapolation::linear)(3.0) == 30.0);
  const Table1D strict(x, y, Interpolation::linear, Extrapolation::error, "G(Te)");
  REQUIRE_THROWS_WITH(strict(0.5), "G(Te): x = 0.5 is outside the table [1, 2]");
}

TEST_CASE("bad tables are refused with the table name and the index", "[core][interpolation]") {
  REQUIRE_THROWS_WITH(Table1D({0, 1, 1}, {0, 1, 2}, Interpolation::linear, Extrapolation::clamp,
                              "Ce"),
                      "Ce: x must increase strictly, but x[2] = 1 follows 1");
  REQUIRE_THROWS_WITH(Table1D({0, 1}, {0}), Contains("x has 2 points but y has 1"));
  REQUIRE_THROWS_WITH(Table1D({0}, {0}), Contains("needs at least 2 points, got 1"));
  REQUIRE_THROWS_WITH(Table1D({0, 1}, {0, NAN}), Contains("point 1 (1, nan) is not finite"));
}
