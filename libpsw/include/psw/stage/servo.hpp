// The position servo as a piezo controller's firmware runs it, once per servo period T.
//
//   e[k] = r[k] − y_meas[k]                                  (reference minus sensor reading)
//   I[k] = I[k−1] + K_i·T·e[k]                               (held while the output saturates)
//   v[k] = K_p·e[k] + I[k] + K_d·(e[k] − e[k−1])/T
//   u[k] = N(z)·v[k],  clipped to the amplifier range        (notch, then amplifier limits)
//
// Gains are given as loop quantities, independent of the plant's gain d (m/V):
//   K_i = 2π·f_c/d   (f_c: crossover of the integral loop, d·K_i/s),
//   K_p = k_p/d,     K_d = K_p·T_d.
// Notch: the bilinear image (prewarped at ω_n) of
//   N(s) = (s² + 2ζ_z·ω_n·s + ω_n²)/(s² + 2ζ_p·ω_n·s + ω_n²),
// with ω_n at the loaded first resonance and ζ_z at its damping by default, so it cancels it.
// The reference r moves towards the target at no more than the slew rate. On target (PI's
// ONT?): |target − y_meas| ≤ window without a break for the settle time.
//
// Integral resonance control (IRC), the alternative to the notch: an inner loop damps the
// resonance instead of cancelling it, so it survives a shift of the resonance with the payload.
// With a constant feedthrough D < −1 added to the normalised plant g(s) = G(s)/d,
//
//   ỹ[k] = y_meas[k]/d + D·u[k−1],      U[k] = U[k−1] + k_irc·T·(ỹ[k] − w[k]),   u[k] = U[k],
//
// the zeros of g + D lie below the first resonance, and the integral feedback moves the
// resonant poles into the left half-plane towards them. For one mode g = ω²/(s² + 2ζωs + ω²)
// the inner loop's poles are the roots of
//
//   s³ + (2ζω − k·D)·s² + (ω² − 2k·D·ζω)·s − k·ω²·(1 + D) = 0,
//
// and k_irc (when not given) is the gain that maximises the damping of the resonant pair. The
// outer tracking loop is the PI above acting through the inner loop's DC gain 1/(1 + D):
// w = (1 + D)·(K_p·e + I), with I integrating K_i·e, so the crossover stays f_c.
//
// References for IRC: S. S. Aphale, A. J. Fleming, S. O. R. Moheimani, Smart Mater. Struct. 16
// (2007) 439; A. J. Fleming, K. K. Leang, ACC 2013 (PI, inversion and damping control compared).
//
// Ranges: rate in [1e3, 1e5] Hz (controllers run 10–50 kHz) and above twice the loaded first
// resonance; f_c in (0, rate/10]; k_p in [0, 10]; T_d in [0, 1e-2] s; ζ_z in (0, 2]; ζ_p in
// (0, 2]; slew rate in (0, 10] m/s; window in (0, 1e-3] m; settle time in [0, 10] s.
//
// References: A. J. Fleming, K. K. Leang, "Design, Modeling and Control of Nanopositioning
// Systems", Springer (2014), ch. 7 (integral control with notch filters) and ch. 8 (integral
// resonance control); Physik Instrumente, GCS 2.0 commands ONT?, SVO, VEL (settle window).
#pragma once

#include <array>
#include <cmath>

namespace psw::stage {

struct ServoParams {
  double rate_Hz = 20e3;             ///< servo update rate
  double integral_crossover_Hz = 0;  ///< f_c, (0, rate/10]
  double proportional_gain = 0.0;    ///< k_p (dimensionless loop gain), [0, 10]
  double derivative_time_s = 0.0;    ///< T_d, [0, 1e-2]
  bool notch_enabled = true;
  double notch_frequency_Hz = 0.0;  ///< 0: the loaded first resonance
  double notch_zero_damping = 0.0;  ///< ζ_z; 0: the first mode's damping ratio
  double notch_pole_damping = 0.7;  ///< ζ_p
  bool irc_enabled = false;         ///< integral resonance control instead of the notch
  double irc_feedthrough = -1.5;    ///< D, [−10, −1.05]
  double irc_gain_per_s = 0.0;      ///< k_irc, [0, 1e8] 1/s; 0: the most damping for mode 1
  double slew_rate_m_per_s = 1e-2;  ///< reference rate limit
  double window_m = 10e-9;          ///< on-target window (half-width)
  double settle_time_s = 1e-3;      ///< on-target settle time

  /// Checks everything that does not depend on the plant.
  /// @throws std::invalid_argument naming the field, its value and its range.
  void validate() const;
  double period_s() const { return 1.0 / rate_Hz; }
};

/// A second-order section, transposed direct form II.
class Biquad {
 public:
  Biquad() = default;
  /// Numerator b, denominator a with a[0] = 1.
  Biquad(const std::array<double, 3>& b, const std::array<double, 3>& a) : b_(b), a_(a) {}
  /// The notch above at period T (bilinear transform prewarped at ω_n).
  static Biquad notch(double frequency_Hz, double zero_damping, double pole_damping,
                      double period_s);
  /// A pass-through section.
  static Biquad identity() { return Biquad({1, 0, 0}, {1, 0, 0}); }

  double update(double x) {
    const double y = b_[0] * x + s1_;
    s1_ = b_[1] * x - a_[1] * y + s2_;
    s2_ = b_[2] * x - a_[2] * y;
    return y;
  }
  void reset() { s1_ = s2_ = 0.0; }
  const std::array<double, 3>& b() const { return b_; }
  const std::array<double, 3>& a() const { return a_; }
  double s1() const { return s1_; }
  double s2() const { return s2_; }
  void set_state(double s1, double s2) {
    s1_ = s1;
    s2_ = s2;
  }

 private:
  std::array<double, 3> b_{1, 0, 0};
  std::array<double, 3> a_{1, 0, 0};
  double s1_ = 0.0;
  double s2_ = 0.0;
};

/// Damping ratio of the resonant pair of the IRC inner loop for one mode (ω rad/s, ζ), from the
/// cubic above; 1 when all three poles are real. NaN when a pole is unstable.
double irc_damping(double omega_rad_per_s, double zeta, double feedthrough, double gain_per_s);

/// The k_irc that maximises irc_damping() (searched over 1e-3·ω … 1e2·ω).
double irc_best_gain(double omega_rad_per_s, double zeta, double feedthrough);

/// PI(D) + notch (or + IRC) with conditional-integration anti-windup. Pure: no clock, no I/O.
class ServoController {
 public:
  /// `gain_m_per_V`: the plant's static gain d; `notch`: the section to apply (identity when
  /// disabled); the output is clipped to [min_V, max_V]. With params.irc_enabled the notch is
  /// not used and params.irc_gain_per_s must be set (Axis resolves 0 to irc_best_gain()).
  ServoController(const ServoParams& params, double gain_m_per_V, Biquad notch, double min_V,
                  double max_V);

  /// One servo tick: returns the amplifier command (V).
  double update(double reference_m, double measured_m);
  /// Sets the integrator so that a zero error holds `voltage_V` (bumpless switch to closed loop).
  void reset(double voltage_V);

  double ki() const { return ki_; }
  double kp() const { return kp_; }
  double kd() const { return kd_; }
  const Biquad& notch() const { return notch_; }
  double integrator_V() const { return integral_; }
  double previous_error_m() const { return previous_error_; }
  bool irc() const { return irc_; }

  /// Every internal state, in a fixed order (the analysis builds the closed-loop matrix from
  /// it): integrator, previous error, notch s₁ and s₂, IRC integrator, previous output.
  static constexpr int kStates = 6;
  std::array<double, kStates> state() const;
  void set_state(const std::array<double, kStates>& state);

 private:
  double period_;
  double kp_, ki_, kd_;
  Biquad notch_;
  double min_V_, max_V_;
  double integral_ = 0.0;
  double previous_error_ = 0.0;
  bool irc_ = false;
  double d_ = 1.0;  ///< nominal gain (m/V)
  double irc_D_ = 0.0, irc_k_ = 0.0;
  double irc_u_ = 0.0;   ///< the IRC integrator: the output before clipping
  double u_prev_ = 0.0;  ///< the last (clipped) output
};

/// ONT?: true once the error has stayed inside the window for the settle time.
class OnTargetDetector {
 public:
  OnTargetDetector(double window_m, double settle_time_s)
      : window_(window_m), settle_(settle_time_s) {}
  /// One tick of dt_s with this error; returns on_target().
  bool update(double error_m, double dt_s) {
    inside_for_ = std::abs(error_m) <= window_ ? inside_for_ + dt_s : 0.0;
    return on_target();
  }
  /// The accumulated time carries rounding, hence the relative slack of 1e-9.
  bool on_target() const { return inside_for_ > 0.0 && inside_for_ >= settle_ * (1 - 1e-9); }
  double inside_for_s() const { return inside_for_; }
  void reset() { inside_for_ = 0.0; }

 private:
  double window_;
  double settle_;
  double inside_for_ = 0.0;
};

}  // namespace psw::stage
