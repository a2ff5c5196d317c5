#include <psw/stage/servo.hpp>

#include <psw/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace psw::stage {

void ServoParams::validate() const {
  require_in_range("servo.rate_Hz", rate_Hz, Range::closed(1e3, 1e5));
  require_in_range("servo.integral_crossover_Hz", integral_crossover_Hz,
                   Range::open_closed(0.0, rate_Hz / 10.0));
  require_in_range("servo.proportional_gain", proportional_gain, Range::closed(0.0, 10.0));
  require_in_range("servo.derivative_time_s", derivative_time_s, Range::closed(0.0, 1e-2));
  require_in_range("servo.notch_frequency_Hz", notch_frequency_Hz,
                   Range::closed_open(0.0, rate_Hz / 2.0));
  require_in_range("servo.notch_zero_damping", notch_zero_damping, Range::closed(0.0, 2.0));
  require_in_range("servo.notch_pole_damping", notch_pole_damping, Range::open_closed(0.0, 2.0));
  require_in_range("servo.slew_rate_m_per_s", slew_rate_m_per_s, Range::open_closed(0.0, 10.0));
  require_in_range("servo.window_m", window_m, Range::open_closed(0.0, 1e-3));
  require_in_range("servo.settle_time_s", settle_time_s, Range::closed(0.0, 10.0));
}

Biquad Biquad::notch(double frequency_Hz, double zero_damping, double pole_damping,
                     double period_s) {
  // s = K·(z − 1)/(z + 1) with K = ω/tan(ωT/2) puts the notch exactly at ω.
  const double w = 2.0 * std::numbers::pi * frequency_Hz;
  const double K = w / std::tan(w * period_s / 2.0);
  const auto section = [&](double zeta) {
    return std::array<double, 3>{K * K + 2.0 * zeta * w * K + w * w, 2.0 * (w * w - K * K),
                                 K * K - 2.0 * zeta * w * K + w * w};
  };
  std::array<double, 3> b = section(zero_damping);
  std::array<double, 3> a = section(pole_damping);
  const double a0 = a[0];
  for (int i = 0; i < 3; ++i) {
    b[static_cast<std::size_t>(i)] /= a0;
    a[static_cast<std::size_t>(i)] /= a0;
  }
  return Biquad(b, a);
}

ServoController::ServoController(const ServoParams& params, double gain_m_per_V, Biquad notch,
                                 double min_V, double max_V)
    : period_(params.period_s()),
      kp_(params.proportional_gain / gain_m_per_V),
      ki_(2.0 * std::numbers::pi * params.integral_crossover_Hz / gain_m_per_V),
      kd_(params.proportional_gain / gain_m_per_V * params.derivative_time_s),
      notch_(notch),
      min_V_(min_V),
      max_V_(max_V) {
  params.validate();
  require_in_range("gain_m_per_V", gain_m_per_V, Range::open_closed(0.0, 1e-3));
}

double ServoController::update(double reference_m, double measured_m) {
  // PI(D) on the position error.
  const double e = reference_m - measured_m;
  const double integral = integral_ + ki_ * period_ * e;
  const double v = kp_ * e + integral + kd_ * (e - previous_error_) / period_;
  previous_error_ = e;

  // Notch, then the amplifier range; integrate only while the output is not pushed further
  // into saturation (conditional integration).
  const double u = notch_.update(v);
  const double clipped = std::clamp(u, min_V_, max_V_);
  const bool winding_up = (u > max_V_ && e > 0.0) || (u < min_V_ && e < 0.0);
  if (!winding_up) integral_ = integral;
  return clipped;
}

void ServoController::reset(double voltage_V) {
  // A notch has unit DC gain: holding v = u in steady state needs states that reproduce it.
  integral_ = voltage_V;
  previous_error_ = 0.0;
  const auto& b = notch_.b();
  const auto& a = notch_.a();
  // Steady state of DF2T with constant input x and output y = x (unit DC gain):
  // s2 = (b2 − a2)·x, s1 = (b1 − a1)·x + s2.
  const double s2 = (b[2] - a[2]) * voltage_V;
  notch_.set_state((b[1] - a[1]) * voltage_V + s2, s2);
}

}  // namespace psw::stage
