// Capacitive-sensor noise with a shaped spectrum, sampled once per servo period T = 1/rate.
//
// One-sided power spectral density (m²/Hz) the generator is built to give:
//
//   S(f) = eₙ²·(1 + f_c/f) / (1 + (f/f_b)²),      f_min ≪ f < rate/2
//
//   eₙ   white density (the data-sheet figure, m/√Hz): white samples of σ = eₙ·√(rate/2);
//   f_c  1/f corner (0: none): the flicker part is a bank of Ornstein–Uhlenbeck (Lorentzian)
//        processes with corners f_i spaced by √10 from f_min up to rate/2, each of variance
//        eₙ²·f_c·ln(√10), stepped exactly (AR(1), a = e^(−2π f_i T)); a sum of Lorentzians with
//        equal variances and log-spaced corners has S ≈ eₙ²·f_c/f between the first and last
//        corner, with a ripple of a few per cent at two corners per decade (Keshner, Proc. IEEE
//        70 (1982) 212, on 1/f noise as a superposition of relaxation processes);
//   f_b  noise bandwidth of the sensor electronics (0: none, white up to rate/2): the noise,
//        not the position, goes through a first-order low-pass y[k] = b·y[k−1] + (1 − b)·x[k],
//        b = e^(−2π f_b T), whose response is 1/(1 + (f/f_b)²) for f ≪ rate.
//
// With f_c = 0 and f_b = 0 it draws exactly one normal deviate per sample, as a plain white
// sensor does.
#pragma once

#include <psw/core/rng.hpp>

#include <vector>

namespace psw::stage {

struct NoiseShape {
  double corner_Hz = 0.0;         ///< f_c, [0, 1e6]
  double flicker_min_Hz = 1e-3;   ///< f_min, (0, corner]: below it the 1/f part flattens
  double bandwidth_Hz = 0.0;      ///< f_b, [0, 1e7]; 0: none
};

class SensorNoise {
 public:
  /// @throws std::invalid_argument naming the field for values outside their ranges.
  SensorNoise(double density_m_per_rtHz, const NoiseShape& shape, double rate_Hz);

  /// The next sample (m).
  double next(RngStream& rng);

  /// S(f) above, m²/Hz.
  double design_psd(double frequency_Hz) const;

 private:
  double density_, rate_;
  NoiseShape shape_;
  double white_sigma_;
  std::vector<double> decay_, sigma_, state_;  ///< per Lorentzian
  bool started_ = false;
  double lowpass_b_ = 0.0, lowpass_y_ = 0.0;
};

}  // namespace psw::stage
