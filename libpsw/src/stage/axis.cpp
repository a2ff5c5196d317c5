#include <psw/stage/axis.hpp>

#include <psw/core/error.hpp>
#include <psw/stage/analysis.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace psw::stage {

const char* to_string(HysteresisKind kind) {
  switch (kind) {
    case HysteresisKind::bouc_wen:
      return "bouc_wen";
    case HysteresisKind::prandtl_ishlinskii:
      return "prandtl_ishlinskii";
    case HysteresisKind::none:
      break;
  }
  return "none";
}

void AxisParams::validate() const {
  require_in_range("travel_m", travel_m, Range::open_closed(0.0, 0.1));
  require_in_range("gain_m_per_V", gain_m_per_V, Range::open_closed(0.0, 1e-3));
  flexure.validate();
  creep.validate();
  if (hysteresis == HysteresisKind::bouc_wen) bouc_wen.validate();
  if (hysteresis == HysteresisKind::prandtl_ishlinskii) prandtl_ishlinskii.validate();

  require_in_range("amplifier.max_V", amplifier.max_V, Range::closed(-1e4, 1e4));
  require_in_range("amplifier.min_V", amplifier.min_V, Range::closed_open(-1e4, amplifier.max_V));
  require_in_range("amplifier.dac_bits", amplifier.dac_bits, Range::closed(8, 32));
  require_in_range("amplifier.max_V * gain_m_per_V (the reachable stroke, m)",
                   amplifier.max_V * gain_m_per_V, Range::closed(travel_m, 1.0));
  require_in_range("sensor.range_m", sensor.range_m, Range::open_closed(0.0, 0.1));
  require_in_range("sensor.adc_bits", sensor.adc_bits, Range::closed(8, 32));
  require_in_range("sensor.noise_density_m_per_rtHz", sensor.noise_density_m_per_rtHz,
                   Range::closed(0.0, 1e-6));
  SensorNoise(sensor.noise_density_m_per_rtHz, sensor.noise_shape, servo.rate_Hz);  // checks
  require_in_range("drift.loop_length_m", drift.loop_length_m, Range::closed(0.0, 1.0));
  require_in_range("drift.expansion_per_K", drift.expansion_per_K, Range::closed(0.0, 1e-3));
  require_in_range("drift.temperature_rate_K_per_s", drift.temperature_rate_K_per_s,
                   Range::closed(-1.0, 1.0));

  // The servo, then the servo against the plant: it must sample the resonance it notches
  // (rate above twice the loaded first resonance) and close a stable loop.
  servo.validate();
  const double f1 = flexure.loaded_resonance_Hz();
  require_in_range(
      "servo.rate_Hz (must exceed twice the loaded first resonance, " + format_number(f1) + " Hz)",
      servo.rate_Hz, Range::open(2.0 * f1, 1e5 + 1));
  const double radius = closed_loop_spectral_radius(*this);
  require(radius < 1.0,
          "servo.integral_crossover_Hz = " + format_number(servo.integral_crossover_Hz) +
              " with servo.proportional_gain = " + format_number(servo.proportional_gain) +
              " makes the closed loop unstable (spectral radius " + format_number(radius) +
              " >= 1); lower the gains, or damp the resonance (notch or irc)");
}

ServoParams resolved_servo(const AxisParams& params) {
  ServoParams s = params.servo;
  if (s.irc_enabled && s.irc_gain_per_s == 0.0) {
    const double omega = 2.0 * std::numbers::pi * params.flexure.loaded_resonance_Hz();
    s.irc_gain_per_s = irc_best_gain(omega, params.flexure.damping_ratio, s.irc_feedthrough);
  }
  return s;
}

Biquad servo_notch(const AxisParams& params) {
  const ServoParams& s = params.servo;
  if (!s.notch_enabled) return Biquad::identity();
  const double f =
      s.notch_frequency_Hz > 0.0 ? s.notch_frequency_Hz : params.flexure.loaded_resonance_Hz();
  const double zeta_z =
      s.notch_zero_damping > 0.0 ? s.notch_zero_damping : params.flexure.damping_ratio;
  return Biquad::notch(f, zeta_z, s.notch_pole_damping, s.period_s());
}

Axis::Axis(const AxisParams& params, RngStream rng)
    : params_((params.validate(), params)),
      rng_(rng),
      plant_(discretize_zoh(axis_plant(params.flexure, params.creep), params.servo.period_s())),
      x_(Eigen::VectorXd::Zero(plant_.order())),
      period_(params.servo.period_s()),
      noise_(params.sensor.noise_density_m_per_rtHz, params.sensor.noise_shape,
             params.servo.rate_Hz),
      dac_lsb_((params.amplifier.max_V - params.amplifier.min_V) /
               std::ldexp(1.0, params.amplifier.dac_bits)),
      adc_lsb_(params.sensor.range_m / std::ldexp(1.0, params.sensor.adc_bits)),
      servo_(resolved_servo(params), params.gain_m_per_V, servo_notch(params), params.amplifier.min_V,
             params.amplifier.max_V),
      on_target_(params.servo.window_m, params.servo.settle_time_s) {
  if (params_.hysteresis == HysteresisKind::bouc_wen) {
    bouc_wen_.emplace(params_.bouc_wen, params_.gain_m_per_V);
    if (params_.bouc_wen.invertible()) bw_inverse_.emplace(params_.bouc_wen, params_.gain_m_per_V);
  } else if (params_.hysteresis == HysteresisKind::prandtl_ishlinskii) {
    pi_forward_.emplace(params_.prandtl_ishlinskii);
    pi_inverse_.emplace(pi_forward_->inverse());
  }
}

void Axis::set_servo(bool on) {
  if (on && !servo_on_) {
    servo_.reset(voltage_V_);
    target_m_ = reference_m_ = sensor_m_;
    on_target_.reset();
  }
  servo_on_ = on;
}

MoveStatus Axis::move_to(double target_m) {
  if (!(target_m >= 0.0 && target_m <= params_.travel_m)) return MoveStatus::out_of_limits;
  target_m_ = target_m;
  if (servo_on_) {
    on_target_.reset();
    return MoveStatus::accepted;
  }
  // Open loop: invert the hysteresis (Prandtl–Ishlinskii, or an invertible Bouc–Wen), else
  // the nominal gain.
  const double v = target_m / params_.gain_m_per_V;
  if (pi_inverse_) {
    command_V_ = pi_inverse_->update(v);
  } else if (bw_inverse_) {
    command_V_ = bw_inverse_->update(target_m);
  } else {
    command_V_ = v;
  }
  return MoveStatus::accepted;
}

bool Axis::set_voltage(double voltage_V) {
  if (servo_on_) return false;
  command_V_ = voltage_V;
  return true;
}

void Axis::halt() {
  if (!servo_on_) return;
  target_m_ = reference_m_;
  on_target_.reset();
}

void Axis::set_slew_rate(double m_per_s) {
  require_in_range("servo.slew_rate_m_per_s", m_per_s, Range::open_closed(0.0, 10.0));
  params_.servo.slew_rate_m_per_s = m_per_s;
}

double Axis::plant_output_m() const { return (plant_.C * x_)(0); }

double Axis::position_m() const {
  return plant_output_m() + params_.drift.rate_m_per_s() * time_s() + external_m_;
}

double Axis::quantise(double value, double lsb) const { return lsb * std::round(value / lsb); }

double Axis::hysteresis_update(double u_V) {
  if (bouc_wen_) return bouc_wen_->update(u_V);
  if (pi_forward_) return params_.gain_m_per_V * pi_forward_->update(u_V);
  return params_.gain_m_per_V * u_V;
}

void Axis::tick() {
  // Sensor: position plus noise, rounded to the ADC's LSB.
  sensor_m_ = quantise(position_m() + noise_.next(rng_), adc_lsb_);

  // Controller: slew-limited reference, PI(D) + notch; or the open-loop command.
  double u = command_V_;
  if (servo_on_) {
    const double max_step = params_.servo.slew_rate_m_per_s * period_;
    reference_m_ += std::clamp(target_m_ - reference_m_, -max_step, max_step);
    u = servo_.update(reference_m_, sensor_m_);
    on_target_.update(target_m_ - sensor_m_, period_);
  }

  // Amplifier: range, then DAC rounding (counted from min_V).
  const AmplifierParams& amp = params_.amplifier;
  u = std::clamp(u, amp.min_V, amp.max_V);
  voltage_V_ = amp.min_V + quantise(u - amp.min_V, dac_lsb_);

  // Plant: hysteresis, then creep and flexure over one held period (exact ZOH).
  const double p = hysteresis_update(voltage_V_);
  x_ = plant_.Phi * x_ + plant_.Gamma * p;
  ++ticks_;
}

void Axis::step(double dt_s) {
  require_in_range("Axis::step dt_s", dt_s, Range::non_negative());
  carry_s_ += dt_s;
  const double slack = 1e-9 * period_;
  while (carry_s_ + slack >= period_) {
    tick();
    carry_s_ -= period_;
  }
}

}  // namespace psw::stage
