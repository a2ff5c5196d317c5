#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <psw/core/constants.hpp>
#include <psw/core/error.hpp>
#include <psw/sintering/temperature_history.hpp>

namespace psw::sintering {
namespace {

constexpr Range kTemperature_K = Range::open_closed(0.0, 1e5);
// Largest change of Q/RT across one quadrature piece; 5-point Gauss–Legendre integrates
// exp(−u) over Δu = 0.25 to ~1e-13 relative.
constexpr double kMaxExponentStep = 0.25;

// 5-point Gauss–Legendre nodes and weights on [−1, 1] (Abramowitz & Stegun, Table 25.4).
constexpr std::array<double, 5> kNodes = {0.0, -0.5384693101056831, 0.5384693101056831,
                                          -0.9061798459386640, 0.9061798459386640};
constexpr std::array<double, 5> kWeights = {0.5688888888888889, 0.4786286704993665,
                                            0.4786286704993665, 0.2369268850561891,
                                            0.2369268850561891};

double integrand(double T, double Q) { return std::exp(-Q / (constants::kGasConstant * T)) / T; }

}  // namespace

TemperatureHistory::TemperatureHistory(std::vector<double> t, std::vector<double> T)
    : t_(std::move(t)), T_(std::move(T)) {}

TemperatureHistory TemperatureHistory::constant(double T_K) {
  require_in_range("temperature_K", T_K, kTemperature_K);
  return TemperatureHistory({0.0}, {T_K});
}

TemperatureHistory TemperatureHistory::ramp(double start_K, double end_K, double duration_s) {
  require_in_range("ramp.start_K", start_K, kTemperature_K);
  require_in_range("ramp.end_K", end_K, kTemperature_K);
  require_in_range("ramp.duration_s", duration_s, Range::positive());
  return TemperatureHistory({0.0, duration_s}, {start_K, end_K});
}

TemperatureHistory TemperatureHistory::table(std::vector<double> time_s,
                                             std::vector<double> temperature_K) {
  require(!time_s.empty(), "temperature table: time_s is empty");
  require(time_s.size() == temperature_K.size(),
          "temperature table: time_s has " + std::to_string(time_s.size()) +
              " points but temperature_K has " + std::to_string(temperature_K.size()));
  require(time_s.front() == 0.0,
          "temperature table: time_s[0] = " + format_number(time_s.front()) + " must be 0");
  for (std::size_t i = 0; i < time_s.size(); ++i) {
    require_in_range("temperature table: temperature_K[" + std::to_string(i) + "]",
                     temperature_K[i], kTemperature_K);
    if (i > 0 && !(time_s[i] > time_s[i - 1])) {
      throw std::invalid_argument("temperature table: time_s[" + std::to_string(i) +
                                  "] = " + format_number(time_s[i]) + " is not after time_s[" +
                                  std::to_string(i - 1) + "] = " + format_number(time_s[i - 1]));
    }
  }
  return TemperatureHistory(std::move(time_s), std::move(temperature_K));
}

double TemperatureHistory::at(double t_s) const {
  if (t_s >= t_.back()) return T_.back();
  if (t_s <= 0.0) return T_.front();
  const auto upper = std::upper_bound(t_.begin(), t_.end(), t_s);
  const std::size_t i = static_cast<std::size_t>(upper - t_.begin()) - 1;
  const double s = (t_s - t_[i]) / (t_[i + 1] - t_[i]);
  return T_[i] + s * (T_[i + 1] - T_[i]);
}

double TemperatureHistory::segment_integral(std::size_t i, double a, double b, double Q) const {
  if (b <= a) return 0.0;
  // In the hold after the last point the integrand is constant.
  if (i + 1 >= t_.size()) return (b - a) * integrand(T_.back(), Q);

  // Split so that Q/RT changes by at most kMaxExponentStep per piece.
  const double Ta = at(a), Tb = at(b);
  const double du = Q / constants::kGasConstant * std::abs(1.0 / Ta - 1.0 / Tb);
  const int pieces = 1 + static_cast<int>(std::min(1e6, du / kMaxExponentStep));
  const double h = (b - a) / pieces;
  const double slope = (T_[i + 1] - T_[i]) / (t_[i + 1] - t_[i]);
  double sum = 0.0;
  for (int p = 0; p < pieces; ++p) {
    const double mid = a + (p + 0.5) * h;
    for (std::size_t k = 0; k < kNodes.size(); ++k) {
      const double t = mid + 0.5 * h * kNodes[k];
      sum += kWeights[k] * integrand(T_[i] + slope * (t - t_[i]), Q);
    }
  }
  return 0.5 * h * sum;
}

double TemperatureHistory::theta(double t_s, double Q) const {
  require_in_range("theta: time_s", t_s, Range::non_negative());
  double sum = 0.0;
  for (std::size_t i = 0; i < t_.size(); ++i) {
    const double end = i + 1 < t_.size() ? t_[i + 1] : std::numeric_limits<double>::infinity();
    if (t_s <= t_[i]) break;
    sum += segment_integral(i, t_[i], std::min(t_s, end), Q);
  }
  return sum;
}

double TemperatureHistory::time_to_theta(double theta_target, double Q) const {
  if (theta_target <= 0.0) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i + 1 < t_.size(); ++i) {
    const double piece = segment_integral(i, t_[i], t_[i + 1], Q);
    if (sum + piece >= theta_target) {
      // Newton on t inside the segment; Θ is increasing with dΘ/dt = integrand(T(t)).
      double lo = t_[i], hi = t_[i + 1];
      double t = lo + (hi - lo) * (theta_target - sum) / piece;
      for (int iter = 0; iter < 100; ++iter) {
        const double f = sum + segment_integral(i, t_[i], t, Q) - theta_target;
        if (f > 0.0)
          hi = t;
        else
          lo = t;
        const double rate = integrand(at(t), Q);
        double next = rate > 0.0 ? t - f / rate : 0.5 * (lo + hi);
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
        if (std::abs(next - t) <= 1e-13 * std::max(1.0, std::abs(t))) return next;
        t = next;
      }
      return t;
    }
    sum += piece;
  }
  // The hold: Θ grows linearly.
  const double rate = integrand(T_.back(), Q);
  if (rate <= 0.0) return std::numeric_limits<double>::infinity();
  return t_.back() + (theta_target - sum) / rate;
}

}  // namespace psw::sintering
