#include <algorithm>
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/core/rng.hpp>
#include <psw/scheduling/route.hpp>

using psw::RngStream;
using namespace psw::scheduling;

TEST_CASE("2-opt uncrosses a crossed square to the optimal open path", "[scheduling]") {
  // A(0,0) B(1,1) C(1,0) D(0,1): A→B→C→D = √2 + 1 + √2; the best open path from A is 3.
  const std::vector<Point> pts{{0, 0}, {1, 1}, {1, 0}, {0, 1}};
  std::vector<int> tour{0, 1, 2, 3};
  CHECK(path_length(pts, tour, {0, 0}) == Approx(1.0 + 2.0 * std::sqrt(2.0)));
  CHECK(two_opt(pts, tour, {0, 0}) >= 1);
  CHECK(path_length(pts, tour, {0, 0}) == Approx(3.0).epsilon(1e-14));
}

TEST_CASE("the 2-opt tour is never longer than nearest neighbour", "[scheduling]") {
  // 2-opt keeps a reversal only when it shortens the path (route.hpp), so over random
  // instances it can only tie or win; it wins on most.
  RngStream rng(4242);
  int shorter = 0;
  constexpr int kInstances = 300;
  for (int instance = 0; instance < kInstances; ++instance) {
    const auto n = static_cast<std::size_t>(3 + rng.below(80));
    std::vector<Point> pts(n);
    for (auto& p : pts) p = {rng.uniform(0.0, 0.02), rng.uniform(0.0, 0.02)};
    const std::vector<int> nn = nearest_neighbour_tour(pts, {});
    const std::vector<int> best = plan_route(pts, {});
    const double nn_length = path_length(pts, nn, {});
    const double best_length = path_length(pts, best, {});
    CHECK(best_length <= nn_length * (1.0 + 1e-12));
    if (best_length < nn_length * (1.0 - 1e-9)) ++shorter;

    // Both are permutations of all points.
    std::vector<int> sorted = best;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < n; ++i) REQUIRE(sorted[i] == static_cast<int>(i));
  }
  CHECK(shorter > kInstances / 2);
}

TEST_CASE("nearest neighbour along a line from one end visits it in order", "[scheduling]") {
  // Collinear points: the greedy path from x = 0 is the optimal sweep.
  const std::vector<Point> pts{{3, 0}, {1, 0}, {4, 0}, {2, 0}};
  const std::vector<int> tour = nearest_neighbour_tour(pts, {0, 0});
  CHECK(tour == std::vector<int>{1, 3, 0, 2});
  CHECK(path_length(pts, tour, {0, 0}) == Approx(4.0));
}
