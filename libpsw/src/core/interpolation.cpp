#include <psw/core/error.hpp>
#include <psw/core/interpolation.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace psw {
namespace {

// End derivative of PCHIP: the non-centred three-point formula, limited so that the end
// interval stays monotone (Moler 2004, pchipend).
double end_slope(double h0, double h1, double d0, double d1) {
  double d = ((2.0 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
  if (std::signbit(d) != std::signbit(d0) || d == 0.0) return 0.0;
  if (std::signbit(d0) != std::signbit(d1) && std::abs(d) > std::abs(3.0 * d0)) d = 3.0 * d0;
  return d;
}

}  // namespace

Table1D::Table1D(std::vector<double> x, std::vector<double> y, Interpolation method,
                 Extrapolation outside, std::string name)
    : x_(std::move(x)), y_(std::move(y)), method_(method), outside_(outside),
      name_(std::move(name)) {
  // Validate the table.
  if (x_.size() != y_.size()) {
    throw std::invalid_argument(name_ + ": x has " + std::to_string(x_.size()) +
                                " points but y has " + std::to_string(y_.size()));
  }
  if (x_.size() < 2) {
    throw std::invalid_argument(name_ + ": needs at least 2 points, got " +
                                std::to_string(x_.size()));
  }
  for (std::size_t i = 0; i < x_.size(); ++i) {
    if (!std::isfinite(x_[i]) || !std::isfinite(y_[i])) {
      throw std::invalid_argument(name_ + ": point " + std::to_string(i) + " (" +
                                  format_number(x_[i]) + ", " + format_number(y_[i]) +
                                  ") is not finite");
    }
    if (i > 0 && !(x_[i] > x_[i - 1])) {
      throw std::invalid_argument(name_ + ": x must increase strictly, but x[" +
                                  std::to_string(i) + "] = " + format_number(x_[i]) +
                                  " follows " + format_number(x_[i - 1]));
    }
  }
  if (method_ != Interpolation::monotone_cubic) return;

  // Secant slopes δ_k and interval widths h_k.
  const std::size_t n = x_.size();
  std::vector<double> h(n - 1), delta(n - 1);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    h[k] = x_[k + 1] - x_[k];
    delta[k] = (y_[k + 1] - y_[k]) / h[k];
  }

  // Node derivatives: weighted harmonic mean of neighbouring secants, 0 at extrema.
  slope_.assign(n, 0.0);
  if (n == 2) {
    slope_[0] = slope_[1] = delta[0];
    return;
  }
  for (std::size_t k = 1; k + 1 < n; ++k) {
    if (delta[k - 1] * delta[k] <= 0.0) continue;
    const double w1 = 2.0 * h[k] + h[k - 1];
    const double w2 = h[k] + 2.0 * h[k - 1];
    slope_[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k]);
  }
  slope_[0] = end_slope(h[0], h[1], delta[0], delta[1]);
  slope_[n - 1] = end_slope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3]);
}

std::size_t Table1D::interval(double x) const {
  const auto it = std::upper_bound(x_.begin(), x_.end(), x);
  const auto i = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, it - x_.begin() - 1));
  return std::min(i, x_.size() - 2);
}

double Table1D::eval(std::size_t i, double x, bool derivative) const {
  const double h = x_[i + 1] - x_[i];
  const double t = (x - x_[i]) / h;
  if (method_ == Interpolation::linear) {
    const double slope = (y_[i + 1] - y_[i]) / h;
    return derivative ? slope : y_[i] + slope * (x - x_[i]);
  }

  // Cubic Hermite basis on [x_i, x_{i+1}].
  const double t2 = t * t;
  const double t3 = t2 * t;
  if (!derivative) {
    return (2 * t3 - 3 * t2 + 1) * y_[i] + (t3 - 2 * t2 + t) * h * slope_[i] +
           (-2 * t3 + 3 * t2) * y_[i + 1] + (t3 - t2) * h * slope_[i + 1];
  }
  return ((6 * t2 - 6 * t) * y_[i] + (-6 * t2 + 6 * t) * y_[i + 1]) / h +
         (3 * t2 - 4 * t + 1) * slope_[i] + (3 * t2 - 2 * t) * slope_[i + 1];
}

double Table1D::outside(double x, bool derivative) const {
  const bool below = x < x_.front();
  switch (outside_) {
    case Extrapolation::clamp:
      if (derivative) return 0.0;
      return below ? y_.front() : y_.back();
    case Extrapolation::linear: {
      const std::size_t i = below ? 0 : x_.size() - 2;
      const double end_x = below ? x_.front() : x_.back();
      const double end_y = below ? y_.front() : y_.back();
      const double slope = eval(i, end_x, true);
      return derivative ? slope : end_y + slope * (x - end_x);
    }
    case Extrapolation::error: break;
  }
  throw std::out_of_range(name_ + ": x = " + format_number(x) + " is outside the table [" +
                          format_number(x_.front()) + ", " + format_number(x_.back()) + "]");
}

double Table1D::operator()(double x) const {
  if (std::isnan(x)) throw std::invalid_argument(name_ + ": x is NaN");
  if (x < x_.front() || x > x_.back()) return outside(x, false);
  return eval(interval(x), x, false);
}

double Table1D::derivative(double x) const {
  if (std::isnan(x)) throw std::invalid_argument(name_ + ": x is NaN");
  if (x < x_.front() || x > x_.back()) return outside(x, true);
  return eval(interval(x), x, true);
}

}  // namespace psw
