// Analysis of an axis: closed-loop stability, step-response metrics, frequency response.
//
// Linear analysis replaces the hysteresis by its largest slope d_max (d for none and Bouc–Wen,
// d·Σwᵢ for Prandtl–Ishlinskii), drops noise and quantisation, and composes the discrete loop
//
//   G(z) = d_max·C(zI − Φ)⁻¹Γ          (plant, ZOH at the servo period: one period of delay)
//   K(z) = K_p + K_i·T·z/(z − 1) + K_d·(1 − z⁻¹)/T,   N(z) the notch
//   L(z) = K(z)·N(z)·G(z),   T(z) = L/(1 + L)     (reference to position)
//
// evaluated at z = e^{jωT}. Stability: the spectral radius of the closed-loop state matrix
// (plant, integrator, previous error, notch states) must be below 1.
//
// Step metrics follow the usual definitions: rise time 10 %→90 % of the step, overshoot as a
// fraction of the step, peak time, settling time (after which |y − target| stays inside the
// window); the on-target time is when ONT? first reads true.
//
// References: G. F. Franklin, J. D. Powell, M. Workman, "Digital Control of Dynamic Systems",
// 3rd ed. (1998), ch. 4–7; K. Ogata, "Modern Control Engineering", 5th ed. (2010), §5-3.
#pragma once

#include <psw/stage/axis.hpp>

#include <complex>
#include <cstdint>
#include <vector>

namespace psw::stage {

/// Largest slope of the hysteresis map (m/V), used for the linear analysis.
double linear_gain_m_per_V(const AxisParams& params);

/// Spectral radius of the linearised closed-loop state matrix (< 1: stable).
/// Checks the plant and servo fields only (AxisParams::validate calls this).
double closed_loop_spectral_radius(const AxisParams& params);

/// Eigenvalues (z-plane) of that closed-loop matrix: plant states and the servo's states.
std::vector<std::complex<double>> closed_loop_poles(const AxisParams& params);

struct StepMetrics {
  double rise_time_s = 0.0;      ///< 10 %→90 %; NaN if 90 % is never reached
  double peak_time_s = 0.0;      ///< time of the largest excursion beyond the start
  double overshoot = 0.0;        ///< (peak − target)/step, ≥ 0
  double settling_time_s = 0.0;  ///< after this |y − target| ≤ window; NaN if never
  double final_error_m = 0.0;    ///< y − target at the last sample
  bool settled = false;
};

/// Metrics of a sampled step from y0 to target (y sampled at time_s, starting at 0).
/// @throws std::invalid_argument for empty or unequal series or a zero step.
StepMetrics step_metrics(const std::vector<double>& time_s, const std::vector<double>& y, double y0,
                         double target, double window);

struct StepResponse {
  std::vector<double> time_s;      ///< from the move command
  std::vector<double> position_m;  ///< true platform position
  std::vector<double> sensor_m;
  std::vector<double> voltage_V;
  std::vector<bool> on_target;
  StepMetrics metrics;
  double on_target_time_s = 0.0;  ///< first ONT? = true; NaN if never
  double start_m = 0.0;
  double target_m = 0.0;
};

/// Closed-loop step: hold `start_m` for `hold_s`, then move by `step_m`, record `duration_s`.
/// @throws std::invalid_argument when a position leaves the travel or durations are not
///         positive (naming the argument).
StepResponse step_response(const AxisParams& params, double start_m, double step_m,
                           double duration_s, double hold_s, std::uint64_t seed);

struct BodeData {
  std::vector<double> frequency_Hz;
  std::vector<double> plant_magnitude_dB, plant_phase_deg;    ///< G/d_max: m per m of stroke
  std::vector<double> closed_magnitude_dB, closed_phase_deg;  ///< T(z)
  double bandwidth_Hz = 0.0;  ///< first frequency where |T| < −3 dB (NaN if none in range)
  double peak_dB = 0.0;       ///< largest |T|
};

/// Frequency response on `points` log-spaced frequencies in [f_min, f_max] (< Nyquist).
/// @throws std::invalid_argument naming the bad argument.
BodeData bode(const AxisParams& params, double f_min_Hz, double f_max_Hz, int points);

}  // namespace psw::stage
