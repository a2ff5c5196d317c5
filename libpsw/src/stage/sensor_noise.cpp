#include <psw/stage/sensor_noise.hpp>

#include <psw/core/error.hpp>

#include <cmath>
#include <numbers>

namespace psw::stage {

SensorNoise::SensorNoise(double density, const NoiseShape& shape, double rate_Hz)
    : density_(density), rate_(rate_Hz), shape_(shape) {
  require_in_range("sensor.noise_density_m_per_rtHz", density, Range::closed(0.0, 1e-6));
  require_in_range("rate_Hz", rate_Hz, Range::positive());
  require_in_range("sensor.noise_corner_Hz", shape.corner_Hz, Range::closed(0.0, 1e6));
  require_in_range("sensor.noise_bandwidth_Hz", shape.bandwidth_Hz, Range::closed(0.0, 1e7));
  if (shape.corner_Hz > 0.0) {
    require_in_range("sensor.flicker_min_Hz", shape.flicker_min_Hz,
                     Range::open_closed(0.0, shape.corner_Hz));
  }
  const double T = 1.0 / rate_Hz;
  white_sigma_ = density * std::sqrt(rate_Hz / 2.0);
  if (shape.corner_Hz > 0.0 && density > 0.0) {
    const double ratio = std::sqrt(10.0);
    const double variance = density * density * shape.corner_Hz * std::log(ratio);
    for (double f = shape.flicker_min_Hz; f < rate_Hz / 2.0; f *= ratio) {
      decay_.push_back(std::exp(-2.0 * std::numbers::pi * f * T));
      sigma_.push_back(std::sqrt(variance));
    }
    state_.assign(decay_.size(), 0.0);
  }
  if (shape.bandwidth_Hz > 0.0) lowpass_b_ = std::exp(-2.0 * std::numbers::pi * shape.bandwidth_Hz * T);
}

double SensorNoise::next(RngStream& rng) {
  double x = white_sigma_ * rng.normal();
  if (!decay_.empty()) {
    if (!started_) {  // each process starts in its stationary distribution
      for (std::size_t i = 0; i < state_.size(); ++i) state_[i] = sigma_[i] * rng.normal();
      started_ = true;
    }
    for (std::size_t i = 0; i < state_.size(); ++i) {
      const double a = decay_[i];
      state_[i] = a * state_[i] + sigma_[i] * std::sqrt(1.0 - a * a) * rng.normal();
      x += state_[i];
    }
  }
  if (shape_.bandwidth_Hz > 0.0) {
    lowpass_y_ = lowpass_b_ * lowpass_y_ + (1.0 - lowpass_b_) * x;
    return lowpass_y_;
  }
  return x;
}

double SensorNoise::design_psd(double f) const {
  double s = density_ * density_;
  if (shape_.corner_Hz > 0.0) s *= 1.0 + shape_.corner_Hz / f;
  if (shape_.bandwidth_Hz > 0.0) s /= 1.0 + (f / shape_.bandwidth_Hz) * (f / shape_.bandwidth_Hz);
  return s;
}

}  // namespace psw::stage
