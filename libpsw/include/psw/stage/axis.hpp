// One closed-loop piezo axis: amplifier, hysteresis, creep, flexure modes, thermal drift,
// sensor and servo, advanced in whole servo periods with no I/O and no clock of its own.
//
// Signal chain, per servo tick k (period T = 1/rate):
//
//   y_meas[k] = Q_adc( y[k] + n[k] ),     n: white, σₙ = eₙ·√(rate/2), or shaped  (sensor)
//   u[k]      = servo(r[k], y_meas[k])  (closed loop)  or the commanded voltage (open loop)
//   u[k]      = Q_dac( clip(u[k], u_min, u_max) )                          (amplifier)
//   p[k]      = H[u](k)                 (hysteresis: none d·u, Bouc–Wen or Prandtl–Ishlinskii)
//   x[k+1]    = Φ·x[k] + Γ·p[k]         (creep + flexure, exact ZOH, flexure.hpp)
//   y[k]      = C·x[k] + L·α_T·Ṫ·t + y_ext                                 (platform position)
//
// eₙ: one-sided noise density (m/√Hz) of the sensor, band-limited to the Nyquist frequency;
// Q: rounding to the converter's LSB (range/2^bits); L·α_T·Ṫ·t: thermal drift of a structural
// loop of length L, expansion coefficient α_T, at a constant temperature rate Ṫ; y_ext: motion
// coupled in from other axes (xyz_stage.hpp). Targets outside [0, travel] are refused, as PI's
// controllers refuse them (GCS error 7), and leave the axis as it was.
//
// Assumptions: SISO per axis; the servo is designed on the nominal gain d (hysteresis slopes
// differ from d locally, which the integrator absorbs); drift is a ramp, not a random walk.
//
// Open-loop moves go through the inverse hysteresis: Prandtl–Ishlinskii's exact inverse, or the
// Bouc–Wen inverse (hysteresis.hpp) when the parameters admit one; the inverse follows the
// voltages it commands, so a set_voltage() in between leaves it out of step until the next move.
#pragma once

#include <psw/core/rng.hpp>
#include <psw/stage/flexure.hpp>
#include <psw/stage/hysteresis.hpp>
#include <psw/stage/sensor_noise.hpp>
#include <psw/stage/servo.hpp>
#include <psw/stage/state_space.hpp>

#include <memory>
#include <optional>
#include <string>

namespace psw::stage {

enum class HysteresisKind { none, bouc_wen, prandtl_ishlinskii };

struct AmplifierParams {
  double min_V = -20.0;  ///< [-1e4, max_V)
  double max_V = 120.0;  ///< (min_V, 1e4]
  int dac_bits = 20;     ///< [8, 32]
};

struct SensorParams {
  double range_m = 100e-6;                   ///< full scale, (0, 0.1]
  int adc_bits = 20;                         ///< [8, 32]
  double noise_density_m_per_rtHz = 20e-12;  ///< eₙ, [0, 1e-6]
  NoiseShape noise_shape;                    ///< 1/f corner and bandwidth (sensor_noise.hpp)
};

struct DriftParams {
  double loop_length_m = 0.0;             ///< L, [0, 1]
  double expansion_per_K = 0.0;           ///< α_T, [0, 1e-3]
  double temperature_rate_K_per_s = 0.0;  ///< Ṫ, [-1, 1]

  /// L·α_T·Ṫ (m/s).
  double rate_m_per_s() const { return loop_length_m * expansion_per_K * temperature_rate_K_per_s; }
};

struct AxisParams {
  std::string name = "x";
  double travel_m = 100e-6;      ///< closed-loop travel [0, travel], (0, 0.1]
  double gain_m_per_V = 0.8e-6;  ///< d, (0, 1e-3]
  FlexureParams flexure;
  CreepParams creep;
  HysteresisKind hysteresis = HysteresisKind::none;
  BoucWenParams bouc_wen;
  PrandtlIshlinskiiParams prandtl_ishlinskii;
  AmplifierParams amplifier;
  SensorParams sensor;
  DriftParams drift;
  ServoParams servo;

  /// Every field, and the servo against the plant: rate ≥ 2× the loaded first resonance, and a
  /// stable closed loop.
  /// @throws std::invalid_argument naming the key (`servo.rate_Hz`, …), value and range.
  void validate() const;
};

/// Result of a move request.
enum class MoveStatus { accepted, out_of_limits };

class Axis {
 public:
  /// @throws std::invalid_argument when `params` fails validate().
  Axis(const AxisParams& params, RngStream rng);

  // ---- commands ---------------------------------------------------------------------------
  /// Closed loop on (SVO 1) or off (SVO 0). Switching on is bumpless: the integrator takes the
  /// present voltage and the target becomes the present sensor reading.
  void set_servo(bool on);
  /// Closed loop: a new target (MOV). Open loop: the voltage that reaches it through the
  /// inverse hysteresis (PI model) or through d alone.
  MoveStatus move_to(double target_m);
  /// Open loop: a drive voltage (SVA). Ignored in closed loop (returns false).
  bool set_voltage(double voltage_V);
  /// Closed loop: stop where the reference is now (PI's STP/HLT); the target becomes it.
  void halt();
  /// The reference's rate limit (PI's VEL), m/s.
  /// @throws std::invalid_argument outside (0, 10] m/s.
  void set_slew_rate(double m_per_s);
  /// Position coupled in from other axes (m), added to this axis' platform position.
  void set_external_m(double offset_m) { external_m_ = offset_m; }

  // ---- time -------------------------------------------------------------------------------
  /// One servo period.
  void tick();
  /// Advances by dt_s: as many whole periods as fit, carrying the remainder to the next call,
  /// so any sequence of calls gives the same ticks as one call with their sum.
  void step(double dt_s);

  // ---- state ------------------------------------------------------------------------------
  double time_s() const { return static_cast<double>(ticks_) * period_; }
  long long ticks() const { return ticks_; }
  double period_s() const { return period_; }
  /// True platform position y (m), including drift and coupled motion.
  double position_m() const;
  /// Output of this axis' own plant (creep + flexure, no drift, no coupling).
  double plant_output_m() const;
  /// Last sensor reading (noise and ADC included).
  double sensor_m() const { return sensor_m_; }
  double voltage_V() const { return voltage_V_; }
  double target_m() const { return target_m_; }
  double reference_m() const { return reference_m_; }
  bool servo_on() const { return servo_on_; }
  /// ONT?: closed loop, and |target − sensor| inside the window for the settle time.
  bool on_target() const { return servo_on_ && on_target_.on_target(); }
  const AxisParams& params() const { return params_; }
  /// The discretised linear plant (creep + flexure) at the servo period.
  const DiscreteSystem& plant() const { return plant_; }

 private:
  double hysteresis_update(double u_V);
  double quantise(double value, double lsb) const;

  AxisParams params_;
  RngStream rng_;
  DiscreteSystem plant_;
  Eigen::VectorXd x_;
  double period_;
  SensorNoise noise_;
  double dac_lsb_, adc_lsb_;
  std::optional<BoucWen> bouc_wen_;
  std::optional<PrandtlIshlinskii> pi_forward_;
  std::optional<PrandtlIshlinskii> pi_inverse_;
  std::optional<BoucWenInverse> bw_inverse_;
  ServoController servo_;
  OnTargetDetector on_target_;

  bool servo_on_ = false;
  long long ticks_ = 0;
  double carry_s_ = 0.0;
  double target_m_ = 0.0;
  double reference_m_ = 0.0;
  double voltage_V_ = 0.0;
  double command_V_ = 0.0;
  double sensor_m_ = 0.0;
  double external_m_ = 0.0;
};

/// The servo parameters an axis runs: params.servo with an IRC gain of 0 replaced by
/// irc_best_gain() for the loaded first mode.
ServoParams resolved_servo(const AxisParams& params);

/// The notch the servo uses for `params` (identity when disabled).
Biquad servo_notch(const AxisParams& params);

const char* to_string(HysteresisKind kind);

}  // namespace psw::stage
