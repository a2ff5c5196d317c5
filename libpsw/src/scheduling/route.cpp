#include <algorithm>
#include <cmath>
#include <limits>

#include <psw/scheduling/route.hpp>

namespace psw::scheduling {
namespace {

// sqrt rather than hypot: coordinates are wafer-scale, far from overflow, and sqrt is several
// times faster in the O(n²) loops below.
double dist(Point a, Point b) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return std::sqrt(dx * dx + dy * dy);
}

// Distances between the path's nodes (tour positions are mapped to point indices; the start
// is node n). A full matrix for lots up to kMatrixLimit joints, computed on the fly above.
constexpr std::size_t kMatrixLimit = 1024;

class Distances {
 public:
  Distances(std::span<const Point> points, Point start) : points_(points), start_(start) {
    n_ = points.size() + 1;
    if (points.size() > kMatrixLimit) return;
    matrix_.resize(n_ * n_);
    for (std::size_t i = 0; i < n_; ++i) {
      for (std::size_t j = i; j < n_; ++j) {
        matrix_[i * n_ + j] = matrix_[j * n_ + i] = dist(node(i), node(j));
      }
    }
  }
  // Node index: a point index, or points.size() for the start.
  double operator()(std::size_t i, std::size_t j) const {
    return matrix_.empty() ? dist(node(i), node(j)) : matrix_[i * n_ + j];
  }

 private:
  Point node(std::size_t i) const { return i + 1 == n_ ? start_ : points_[i]; }
  std::span<const Point> points_;
  Point start_;
  std::size_t n_ = 0;
  std::vector<double> matrix_;
};

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
  const Distances d(points, start);
  const std::size_t start_node = points.size();
  auto node = [&](std::size_t position) { return static_cast<std::size_t>(tour[position]); };
  constexpr double kMinGain = 1e-12;  // relative to the edge: ignore rounding-level changes
  int reversals = 0;
  for (int pass = 0; pass < max_passes; ++pass) {
    bool improved = false;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const std::size_t a = i == 0 ? start_node : node(i - 1);
      double ab = d(a, node(i));
      for (std::size_t k = i + 1; k < n; ++k) {
        // Reverse i..k: (a,b) + (c,e) → (a,c) + (b,e); at the path's end there is no e.
        const std::size_t b = node(i), c = node(k);
        double delta = d(a, c) - ab;
        if (k + 1 < n) delta += d(b, node(k + 1)) - d(c, node(k + 1));
        if (delta < -kMinGain * (1.0 + ab)) {
          std::reverse(tour.begin() + static_cast<std::ptrdiff_t>(i),
                       tour.begin() + static_cast<std::ptrdiff_t>(k) + 1);
          ++reversals;
          improved = true;
          ab = d(a, node(i));  // the stretch's old end now follows a; scan on from k + 1
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
