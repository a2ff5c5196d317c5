// One-dimensional finite-volume grids: faces, cell centres and widths.
//
// A graded grid grows geometrically from its origin, so that the first cell can resolve an
// optical penetration depth (~15 nm) while the grid still spans micrometres:
//   w_k = w₀·r^k,  Σ w_k = L,  r found from w₀·(rⁿ − 1)/(r − 1) = L.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace psw {

class Grid1D {
 public:
  /// `cells` equal cells over [origin, origin + length].
  /// @throws std::invalid_argument when cells is 0 or length is not positive and finite.
  static Grid1D uniform(double length, std::size_t cells, double origin = 0.0);

  /// `cells` cells growing geometrically from `first_width` at the origin. A first width of
  /// length/cells gives the uniform grid; a smaller one a grid that coarsens away from the origin.
  /// @throws std::invalid_argument when first_width is outside (0, length].
  static Grid1D graded(double length, std::size_t cells, double first_width,
                       double origin = 0.0);

  /// A grid from its faces, which must increase strictly.
  static Grid1D from_faces(std::vector<double> faces);

  std::size_t cells() const { return widths_.size(); }
  double length() const { return faces_.back() - faces_.front(); }
  std::span<const double> faces() const { return faces_; }
  std::span<const double> centres() const { return centres_; }
  std::span<const double> widths() const { return widths_; }

 private:
  explicit Grid1D(std::vector<double> faces);
  std::vector<double> faces_, centres_, widths_;
};

}  // namespace psw
