#include <psw/core/grid.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

using Catch::Matchers::Contains;

TEST_CASE("a uniform grid has equal cells that tile the interval", "[core][grid]") {
  const auto g = psw::Grid1D::uniform(100e-9, 400, 0.0);
  CHECK(g.cells() == 400);
  CHECK(g.faces().size() == 401);
  CHECK(g.widths()[17] == Approx(0.25e-9).epsilon(1e-12));
  CHECK(g.centres()[0] == Approx(0.125e-9).epsilon(1e-12));
  CHECK(g.length() == Approx(100e-9).epsilon(1e-15));
}

TEST_CASE("a graded grid grows geometrically from the requested first cell", "[core][grid]") {
  // 2 µm in 100 cells, first cell 2 nm: widths w₀·rᵏ must sum to 2 µm.
  const auto g = psw::Grid1D::graded(2e-6, 100, 2e-9);
  const auto w = g.widths();
  CHECK(w[0] == Approx(2e-9).epsilon(1e-9));
  const double ratio = w[1] / w[0];
  CHECK(ratio > 1.0);
  for (std::size_t k = 1; k + 1 < w.size(); ++k) CHECK(w[k + 1] / w[k] == Approx(ratio));
  CHECK(std::accumulate(w.begin(), w.end(), 0.0) == Approx(2e-6).epsilon(1e-12));
  CHECK(g.faces().back() == 2e-6);

  SECTION("a first cell wider than average coarsens toward the origin instead") {
    const auto h = psw::Grid1D::graded(1.0, 10, 0.2);
    CHECK(h.widths()[1] < h.widths()[0]);
    CHECK(h.faces().back() == 1.0);
  }
  SECTION("the average width gives the uniform grid") {
    const auto u = psw::Grid1D::graded(1.0, 4, 0.25);
    CHECK(u.widths()[3] == Approx(0.25));
  }
}

TEST_CASE("grid errors name the bad parameter", "[core][grid]") {
  REQUIRE_THROWS_WITH(psw::Grid1D::uniform(1.0, 0), "grid cells = 0 is outside [1, inf)");
  REQUIRE_THROWS_WITH(psw::Grid1D::uniform(-1.0, 3), "grid length_m = -1 is outside (0, inf)");
  REQUIRE_THROWS_WITH(psw::Grid1D::graded(1.0, 3, 2.0),
                      "grid first_width_m = 2 is outside (0, 1]");
  REQUIRE_THROWS_WITH(psw::Grid1D::from_faces({0.0, 1.0, 1.0}),
                      Contains("face 2 = 1 follows 1"));
}
