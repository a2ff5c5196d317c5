// Tabulated functions of one variable: material data such as Cₑ(Tₑ) and G(Tₑ), calibration
// curves, measured creep.
//
// Two interpolants:
// - linear: continuous, exact for linear data, second order;
// - monotone cubic: the piecewise cubic Hermite interpolant with Fritsch–Butland derivatives
//   (PCHIP). C¹, never overshoots monotone data (no new extrema), third order on smooth data
//   away from extrema.
//
// Outside the table the value is clamped to the end values, extended linearly with the end
// slope, or refused, as chosen.
//
// References: F. N. Fritsch, R. E. Carlson, SIAM J. Numer. Anal. 17 (1980) 238;
// F. N. Fritsch, J. Butland, SIAM J. Sci. Stat. Comput. 5 (1984) 300;
// C. Moler, Numerical Computing with MATLAB (SIAM 2004) §3.4.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace psw {

enum class Interpolation { linear, monotone_cubic };
enum class Extrapolation { clamp, linear, error };

class Table1D {
 public:
  /// @param x strictly increasing, finite, at least 2 points
  /// @param y finite, same length as x
  /// @param name names the table in error messages ("Au.electron_heat_capacity")
  /// @throws std::invalid_argument naming the table and the offending index.
  Table1D(std::vector<double> x, std::vector<double> y,
          Interpolation method = Interpolation::linear,
          Extrapolation outside = Extrapolation::clamp, std::string name = "table");

  /// The interpolated value. @throws std::out_of_range outside the table with
  /// Extrapolation::error, naming the table, x and the table's range.
  double operator()(double x) const;
  /// d/dx of the interpolant (0 where clamped).
  double derivative(double x) const;

  std::span<const double> x() const { return x_; }
  std::span<const double> y() const { return y_; }
  Interpolation method() const { return method_; }
  const std::string& name() const { return name_; }

 private:
  // Index i of the interval [x_i, x_{i+1}] holding x (x inside the table).
  std::size_t interval(double x) const;
  double eval(std::size_t i, double x, bool derivative) const;
  double outside(double x, bool derivative) const;

  std::vector<double> x_, y_, slope_;  // slope_: node derivatives for the cubic
  Interpolation method_;
  Extrapolation outside_;
  std::string name_;
};

}  // namespace psw
