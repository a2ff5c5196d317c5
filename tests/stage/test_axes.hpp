// Axis parameters shared by the stage tests: a fast 10 µm axis after Fleming & Leang (2010)
// (2.4 kHz first resonance) with round numbers elsewhere, and helpers.
#pragma once

#include <psw/stage/axis.hpp>

#include <cmath>
#include <numbers>

namespace psw::stage::test {

/// k and m chosen so that √(k/m)/2π = 2.4 kHz with m = 10 g.
inline FlexureParams fast_flexure() {
  FlexureParams f;
  f.effective_mass_kg = 0.010;
  const double w = 2.0 * std::numbers::pi * 2400.0;
  f.stiffness_N_per_m = w * w * f.effective_mass_kg;
  f.damping_ratio = 0.02;
  return f;
}

/// A quiet, ideal axis: no hysteresis, creep, drift, noise; 32-bit converters.
inline AxisParams ideal_axis(char name = 'x') {
  AxisParams p;
  p.name.assign(1, name);
  p.travel_m = 10e-6;
  p.gain_m_per_V = 0.1e-6;
  p.flexure = fast_flexure();
  p.amplifier = {-20.0, 120.0, 32};
  p.sensor.range_m = 15e-6;
  p.sensor.adc_bits = 32;
  p.sensor.noise_density_m_per_rtHz = 0.0;
  p.servo.rate_Hz = 20e3;
  p.servo.integral_crossover_Hz = 300.0;
  p.servo.proportional_gain = 0.0;
  p.servo.slew_rate_m_per_s = 0.1;
  p.servo.window_m = 5e-9;
  p.servo.settle_time_s = 2e-3;
  return p;
}

}  // namespace psw::stage::test
