#include <psw/stage/servo.hpp>

#include <psw/core/error.hpp>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
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
  require_in_range("servo.irc_feedthrough", irc_feedthrough, Range::closed(-10.0, -1.05));
  require_in_range("servo.irc_gain_per_s", irc_gain_per_s, Range::closed(0.0, 1e8));
  require(!(irc_enabled && notch_enabled),
          "servo: choose the notch or integral resonance control (irc), not both");
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

double irc_damping(double omega, double zeta, double D, double k) {
  // Companion matrix of s³ + a₂s² + a₁s + a₀.
  const double a2 = 2.0 * zeta * omega - k * D;
  const double a1 = omega * omega - 2.0 * k * D * zeta * omega;
  const double a0 = -k * omega * omega * (1.0 + D);
  Eigen::Matrix3d companion;
  companion << -a2, -a1, -a0, 1, 0, 0, 0, 1, 0;
  const Eigen::EigenSolver<Eigen::Matrix3d> eig(companion, false);
  double damping = 1.0;
  for (int i = 0; i < 3; ++i) {
    const std::complex<double> p = eig.eigenvalues()(i);
    if (p.real() >= 0.0) return std::numeric_limits<double>::quiet_NaN();
    if (std::abs(p.imag()) > 1e-12 * std::abs(p)) damping = std::min(damping, -p.real() / std::abs(p));
  }
  return damping;
}

double irc_best_gain(double omega, double zeta, double D) {
  require_in_range("irc omega_rad_per_s", omega, Range::positive());
  // Coarse scan in log k, then golden-section refinement around the best sample.
  constexpr int kSamples = 400;
  const double lo = std::log(1e-3 * omega), hi = std::log(1e2 * omega);
  double best_x = lo, best = -1.0;
  for (int i = 0; i <= kSamples; ++i) {
    const double x = lo + (hi - lo) * i / kSamples;
    const double z = irc_damping(omega, zeta, D, std::exp(x));
    if (z > best + 1e-12) {
      best = z;
      best_x = x;
    }
  }
  double a = best_x - (hi - lo) / kSamples, b = best_x + (hi - lo) / kSamples;
  const double r = (std::sqrt(5.0) - 1.0) / 2.0;
  for (int it = 0; it < 60; ++it) {
    const double c = b - r * (b - a), d = a + r * (b - a);
    const double zc = irc_damping(omega, zeta, D, std::exp(c));
    const double zd = irc_damping(omega, zeta, D, std::exp(d));
    if (!(zd > zc)) b = d; else a = c;
  }
  return std::exp((a + b) / 2.0);
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
  d_ = gain_m_per_V;
  if (params.irc_enabled) {
    require(params.irc_gain_per_s > 0.0,
            "servo.irc_gain_per_s must be set (> 0) for the controller; an axis chooses it "
            "from its first mode when the case leaves it at 0");
    irc_ = true;
    irc_D_ = params.irc_feedthrough;
    irc_k_ = params.irc_gain_per_s;
    notch_ = Biquad::identity();
  }
}

double ServoController::update(double reference_m, double measured_m) {
  const double e = reference_m - measured_m;
  if (irc_) {
    // Outer PI through the inner loop's DC gain 1/(1 + D); inner integral damping loop.
    const double scale = 1.0 + irc_D_;
    const double integral = integral_ + scale * ki_ * period_ * e;
    const double w = scale * (kp_ * e + kd_ * (e - previous_error_) / period_) + integral;
    previous_error_ = e;
    const double y_tilde = measured_m / d_ + irc_D_ * u_prev_;
    const double push = irc_k_ * period_ * (y_tilde - w);
    const double u = irc_u_ + push;
    const double clipped = std::clamp(u, min_V_, max_V_);
    const bool winding_up = (u > max_V_ && push > 0.0) || (u < min_V_ && push < 0.0);
    if (!winding_up) {
      irc_u_ = u;
      integral_ = integral;
    }
    u_prev_ = clipped;
    return clipped;
  }

  // PI(D) on the position error.
  const double integral = integral_ + ki_ * period_ * e;
  const double v = kp_ * e + integral + kd_ * (e - previous_error_) / period_;
  previous_error_ = e;

  // Notch, then the amplifier range; integrate only while the output is not pushed further
  // into saturation (conditional integration).
  const double u = notch_.update(v);
  const double clipped = std::clamp(u, min_V_, max_V_);
  const bool winding_up = (u > max_V_ && e > 0.0) || (u < min_V_ && e < 0.0);
  if (!winding_up) integral_ = integral;
  u_prev_ = clipped;
  return clipped;
}

std::array<double, ServoController::kStates> ServoController::state() const {
  return {integral_, previous_error_, notch_.s1(), notch_.s2(), irc_u_, u_prev_};
}

void ServoController::set_state(const std::array<double, kStates>& state) {
  integral_ = state[0];
  previous_error_ = state[1];
  // States a mode does not use stay 0: the notch's under IRC, the IRC integrator without it.
  if (irc_) {
    notch_.set_state(0.0, 0.0);
  } else {
    notch_.set_state(state[2], state[3]);
  }
  irc_u_ = irc_ ? state[4] : 0.0;
  u_prev_ = state[5];
}

void ServoController::reset(double voltage_V) {
  previous_error_ = 0.0;
  u_prev_ = voltage_V;
  if (irc_) {
    // Held at u = V with ỹ = w: the plant at rest gives y/d = V, so w = (1 + D)·V.
    irc_u_ = voltage_V;
    integral_ = (1.0 + irc_D_) * voltage_V;
    return;
  }
  // A notch has unit DC gain: holding v = u in steady state needs states that reproduce it.
  integral_ = voltage_V;
  const auto& b = notch_.b();
  const auto& a = notch_.a();
  // Steady state of DF2T with constant input x and output y = x (unit DC gain):
  // s2 = (b2 − a2)·x, s1 = (b1 − a1)·x + s2.
  const double s2 = (b[2] - a[2]) * voltage_V;
  notch_.set_state((b[1] - a[1]) * voltage_V + s2, s2);
}

}  // namespace psw::stage
