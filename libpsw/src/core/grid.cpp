#include <psw/core/error.hpp>
#include <psw/core/grid.hpp>

#include <cmath>
#include <stdexcept>

namespace psw {
namespace {

void check_length_and_cells(double length, std::size_t cells) {
  require_in_range("grid length_m", length, Range::positive());
  require(std::isfinite(length), "grid length_m must be finite");
  require(cells > 0, "grid cells = 0 is outside [1, inf)");
}

}  // namespace

Grid1D::Grid1D(std::vector<double> faces) : faces_(std::move(faces)) {
  require(faces_.size() >= 2, "a grid needs at least 2 faces, got " +
                                  std::to_string(faces_.size()));
  centres_.resize(faces_.size() - 1);
  widths_.resize(faces_.size() - 1);
  for (std::size_t k = 0; k + 1 < faces_.size(); ++k) {
    if (!(faces_[k + 1] > faces_[k]) || !std::isfinite(faces_[k + 1])) {
      throw std::invalid_argument("grid faces must increase strictly, but face " +
                                  std::to_string(k + 1) + " = " + format_number(faces_[k + 1]) +
                                  " follows " + format_number(faces_[k]));
    }
    widths_[k] = faces_[k + 1] - faces_[k];
    centres_[k] = 0.5 * (faces_[k] + faces_[k + 1]);
  }
}

Grid1D Grid1D::from_faces(std::vector<double> faces) { return Grid1D(std::move(faces)); }

Grid1D Grid1D::uniform(double length, std::size_t cells, double origin) {
  check_length_and_cells(length, cells);
  std::vector<double> faces(cells + 1);
  for (std::size_t k = 0; k <= cells; ++k) {
    faces[k] = origin + length * static_cast<double>(k) / static_cast<double>(cells);
  }
  return Grid1D(std::move(faces));
}

Grid1D Grid1D::graded(double length, std::size_t cells, double first_width, double origin) {
  check_length_and_cells(length, cells);
  require_in_range("grid first_width_m", first_width, Range::open_closed(0.0, length));
  const double n = static_cast<double>(cells);
  const double uniform_width = length / n;
  if (cells == 1 || std::abs(first_width - uniform_width) <= 1e-12 * uniform_width) {
    return uniform(length, cells, origin);
  }

  // Solve w₀·(rⁿ − 1)/(r − 1) = L for r by bisection on ln r; the sum grows with r.
  auto total = [&](double log_r) {
    return first_width * std::expm1(n * log_r) / std::expm1(log_r);
  };
  // exp(±700) stays finite, and the brackets exclude r = 1 where the formula is 0/0.
  require(first_width < length, "grid first_width_m = " + format_number(first_width) +
                                    " leaves no room for the other cells of a length_m = " +
                                    format_number(length) + " grid");
  double lo = first_width < uniform_width ? 1e-15 : -700.0;
  double hi = first_width < uniform_width ? 700.0 / n : -1e-15;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (total(mid) < length ? lo : hi) = mid;
  }
  const double ratio = std::exp(0.5 * (lo + hi));

  // Accumulate widths; the last face is set exactly so the grid spans [origin, origin + L].
  std::vector<double> faces(cells + 1);
  faces[0] = origin;
  double width = first_width;
  for (std::size_t k = 1; k <= cells; ++k) {
    faces[k] = faces[k - 1] + width;
    width *= ratio;
  }
  faces[cells] = origin + length;
  return Grid1D(std::move(faces));
}

}  // namespace psw
