#include <psw/stage/analysis.hpp>

#include <psw/core/error.hpp>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

namespace psw::stage {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Complex = std::complex<double>;

double to_dB(Complex z) { return 20.0 * std::log10(std::abs(z)); }
double to_deg(Complex z) { return std::arg(z) * 180.0 / std::numbers::pi; }

}  // namespace

double linear_gain_m_per_V(const AxisParams& params) {
  if (params.hysteresis == HysteresisKind::prandtl_ishlinskii) {
    double sum = 0.0;
    for (double w : params.prandtl_ishlinskii.weights) sum += w;
    return params.gain_m_per_V * sum;
  }
  return params.gain_m_per_V;
}

double closed_loop_spectral_radius(const AxisParams& params) {
  double radius = 0.0;
  for (const auto& p : closed_loop_poles(params)) radius = std::max(radius, std::abs(p));
  return radius;
}

std::vector<std::complex<double>> closed_loop_poles(const AxisParams& params) {
  const ServoParams s = resolved_servo(params);
  const DiscreteSystem g = discretize_zoh(axis_plant(params.flexure, params.creep), s.period_s());
  // Unbounded output range: the unsaturated loop is linear in (plant state, controller state).
  constexpr double kHuge = 1e300;
  ServoController c(s, params.gain_m_per_V, servo_notch(params), -kHuge, kHuge);
  const double d = linear_gain_m_per_V(params);
  const Eigen::Index n = g.order();
  constexpr Eigen::Index m = ServoController::kStates;

  // One tick with r = 0, as a map of ξ = (x, controller state), applied to unit vectors: the
  // closed-loop matrix, column by column, from the controller's own update.
  Eigen::MatrixXd M(n + m, n + m);
  for (Eigen::Index j = 0; j < n + m; ++j) {
    const Eigen::VectorXd xi = Eigen::VectorXd::Unit(n + m, j);
    std::array<double, m> state{};
    for (Eigen::Index i = 0; i < m; ++i) state[static_cast<std::size_t>(i)] = xi(n + i);
    c.set_state(state);
    const Eigen::VectorXd x = xi.head(n);
    const double u = c.update(0.0, (g.C * x)(0));
    M.col(j).head(n) = g.Phi * x + g.Gamma * (d * u);
    const auto next = c.state();
    for (Eigen::Index i = 0; i < m; ++i) M(n + i, j) = next[static_cast<std::size_t>(i)];
  }
  const Eigen::EigenSolver<Eigen::MatrixXd> eig(M, false);
  std::vector<std::complex<double>> poles;
  for (Eigen::Index i = 0; i < eig.eigenvalues().size(); ++i) poles.push_back(eig.eigenvalues()(i));
  return poles;
}

StepMetrics step_metrics(const std::vector<double>& time_s, const std::vector<double>& y, double y0,
                         double target, double window) {
  require(!y.empty() && time_s.size() == y.size(),
          "step_metrics: time_s and y must be non-empty and of equal length");
  const double step = target - y0;
  require(step != 0.0, "step_metrics: the step (target - y0) must not be zero");
  const double sign = step > 0.0 ? 1.0 : -1.0;

  StepMetrics m;
  // Rise 10 % → 90 %, interpolated between samples.
  const auto crossing = [&](double fraction) {
    const double level = fraction;
    for (std::size_t i = 1; i < y.size(); ++i) {
      const double f0 = (y[i - 1] - y0) / step, f1 = (y[i] - y0) / step;
      if (f0 < level && f1 >= level) {
        return time_s[i - 1] + (level - f0) / (f1 - f0) * (time_s[i] - time_s[i - 1]);
      }
    }
    return kNaN;
  };
  m.rise_time_s = crossing(0.9) - crossing(0.1);

  // Peak and overshoot.
  std::size_t peak = 0;
  for (std::size_t i = 1; i < y.size(); ++i) {
    if (sign * y[i] > sign * y[peak]) peak = i;
  }
  m.peak_time_s = time_s[peak];
  m.overshoot = std::max(0.0, sign * (y[peak] - target) / std::abs(step));

  // Settling: the sample after the last one outside the window.
  std::size_t last_out = y.size();
  for (std::size_t i = y.size(); i-- > 0;) {
    if (std::abs(y[i] - target) > window) {
      last_out = i;
      break;
    }
  }
  if (last_out == y.size()) {
    m.settling_time_s = time_s.front();
    m.settled = true;
  } else if (last_out + 1 < y.size()) {
    m.settling_time_s = time_s[last_out + 1];
    m.settled = true;
  } else {
    m.settling_time_s = kNaN;
  }
  m.final_error_m = y.back() - target;
  return m;
}

StepResponse step_response(const AxisParams& params, double start_m, double step_m,
                           double duration_s, double hold_s, std::uint64_t seed) {
  require_in_range("step start_m", start_m, Range::closed(0.0, params.travel_m));
  require_in_range("step start_m + step_m", start_m + step_m, Range::closed(0.0, params.travel_m));
  require_in_range("step duration_s", duration_s, Range::open_closed(0.0, 100.0));
  require_in_range("step hold_s", hold_s, Range::closed(0.0, 100.0));
  require(step_m != 0.0, "step step_m = 0: the step must not be zero");

  // Settle at the start point in closed loop.
  Axis axis(params, RngStream(seed));
  axis.set_servo(true);
  axis.move_to(start_m);
  axis.step(hold_s);

  // The step, sampled once per servo tick.
  StepResponse r;
  r.start_m = start_m;
  r.target_m = start_m + step_m;
  axis.move_to(r.target_m);
  const auto ticks = static_cast<long long>(std::ceil(duration_s / axis.period_s() - 1e-9));
  r.on_target_time_s = kNaN;
  for (long long k = 0; k <= ticks; ++k) {
    const double t = static_cast<double>(k) * axis.period_s();
    r.time_s.push_back(t);
    r.position_m.push_back(axis.position_m());
    r.sensor_m.push_back(axis.sensor_m());
    r.voltage_V.push_back(axis.voltage_V());
    r.on_target.push_back(axis.on_target());
    if (axis.on_target() && std::isnan(r.on_target_time_s)) r.on_target_time_s = t;
    axis.tick();
  }
  r.metrics = step_metrics(r.time_s, r.position_m, start_m, r.target_m, params.servo.window_m);
  return r;
}

BodeData bode(const AxisParams& params, double f_min_Hz, double f_max_Hz, int points) {
  const ServoParams& s = params.servo;
  require_in_range("bode f_max_Hz", f_max_Hz, Range::open(0.0, s.rate_Hz / 2.0));
  require_in_range("bode f_min_Hz", f_min_Hz, Range::open(0.0, f_max_Hz));
  require_in_range("bode points", points, Range::closed(2, 100000));

  const DiscreteSystem g = discretize_zoh(axis_plant(params.flexure, params.creep), s.period_s());
  const ServoController c(s, params.gain_m_per_V, servo_notch(params), -1.0, 1.0);
  const double d = linear_gain_m_per_V(params);
  const double T = s.period_s();
  const auto& nb = c.notch().b();
  const auto& na = c.notch().a();

  BodeData out;
  out.bandwidth_Hz = kNaN;
  out.peak_dB = -std::numeric_limits<double>::infinity();
  for (int i = 0; i < points; ++i) {
    // Log-spaced frequency and z = e^{jωT}.
    const double f = f_min_Hz * std::pow(f_max_Hz / f_min_Hz, double(i) / (points - 1));
    const double w = 2.0 * std::numbers::pi * f;
    const Complex z = std::polar(1.0, w * T);

    // Plant, controller, notch, loop, closed loop.
    const Complex G = g.frequency_response(w);
    const Complex K = c.kp() + c.ki() * T * z / (z - 1.0) + c.kd() * (1.0 - 1.0 / z) / T;
    const Complex N = (nb[0] * z * z + nb[1] * z + nb[2]) / (na[0] * z * z + na[1] * z + na[2]);
    const Complex L = K * N * d * G;
    const Complex Tcl = L / (1.0 + L);

    out.frequency_Hz.push_back(f);
    out.plant_magnitude_dB.push_back(to_dB(G));
    out.plant_phase_deg.push_back(to_deg(G));
    out.closed_magnitude_dB.push_back(to_dB(Tcl));
    out.closed_phase_deg.push_back(to_deg(Tcl));
    out.peak_dB = std::max(out.peak_dB, to_dB(Tcl));
    if (std::isnan(out.bandwidth_Hz) && to_dB(Tcl) < -3.0) out.bandwidth_Hz = f;
  }
  return out;
}

}  // namespace psw::stage
