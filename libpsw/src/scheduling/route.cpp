#include <algorithm>
#include <cmath>
#include <limits>

#include <psw/scheduling/route.hpp>

namespace psw::scheduling {
namespace {

double dist(Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); }

}  // namespace

double path_length(std::span<const Point> points, std::span<const int> tour, Point start) {
  double length = 0.0;
  Point at = start;
  for (int i : tour) {
    const Point next = points[static_cast<std::size_t>(i)];
    length += dist(at, next);
    at = next;
  }
  return length;
}

std::vector<int> nearest_neighbour_tour(std::span<const Point> points, Point start) {
  const std::size_t n = points.size();
  std::vector<int> tour;
  tour.reserve(n);
  std::vector<char> visited(n, 0);
  Point at = start;
  for (std::size_t step = 0; step < n; ++step) {
    // The nearest unvisited point; strict < keeps the lowest index on ties.
    std::size_t best = n;
    double best_d2 = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      if (visited[i]) continue;
      const double dx = points[i].x - at.x, dy = points[i].y - at.y;
      const double d2 = dx * dx + dy * dy;
      if (d2 < best_d2) best_d2 = d2, best = i;
    }
    visited[best] = 1;
    tour.push_back(static_cast<int>(best));
    at = points[best];
  }
  return tour;
}

int two_opt(std::span<const Point> points, std::vector<int>& tour, Point start, int max_passes) {
  const std::size_t n = tour.size();
  auto p = [&](std::size_t i) { return points[static_cast<std::size_t>(tour[i])]; };
  constexpr double kMinGain = 1e-12;  // relative to path scale: ignore rounding-level changes
  int reversals = 0;
  for (int pass = 0; pass < max_passes; ++pass) {
    bool improved = false;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const Point a = i == 0 ? start : p(i - 1);
      const Point b = p(i);
      const double ab = dist(a, b);
      for (std::size_t k = i + 1; k < n; ++k) {
        // Reverse i..k: (a,b) + (c,d) → (a,c) + (b,d); at the path's end there is no d.
        const Point c = p(k);
        double delta = dist(a, c) - ab;
        if (k + 1 < n) {
          const Point d = p(k + 1);
          delta += dist(b, d) - dist(c, d);
        }
        if (delta < -kMinGain * (1.0 + ab)) {
          std::reverse(tour.begin() + static_cast<std::ptrdiff_t>(i),
                       tour.begin() + static_cast<std::ptrdiff_t>(k) + 1);
          ++reversals;
          improved = true;
          break;  // b changed: restart the inner loop from the new p(i)
        }
      }
    }
    if (!improved) break;
  }
  return reversals;
}

std::vector<int> plan_route(std::span<const Point> points, Point start) {
  std::vector<int> tour = nearest_neighbour_tour(points, start);
  two_opt(points, tour, start);
  return tour;
}

}  // namespace psw::scheduling
