// Integral resonance control, the Bouc–Wen inverse and shaped sensor noise: each against the
// theory it implements.
#include <psw/stage/analysis.hpp>
#include <psw/stage/axis.hpp>
#include <psw/stage/hysteresis.hpp>
#include <psw/stage/sensor_noise.hpp>

#include "test_axes.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

using Catch::Matchers::Contains;
using namespace psw::stage;
using psw::RngStream;

namespace {

constexpr double kPi = std::numbers::pi;

// One mode at 500 Hz, ζ = 0.02, no creep: the plant of the IRC theory.
AxisParams single_mode_axis() {
  AxisParams p = test::ideal_axis();
  p.flexure.higher_modes.clear();
  const double w = 2.0 * kPi * 500.0;
  p.flexure.stiffness_N_per_m = w * w * p.flexure.effective_mass_kg;
  p.servo.notch_enabled = false;
  p.servo.irc_enabled = true;
  p.servo.irc_feedthrough = -1.5;
  p.servo.integral_crossover_Hz = 5.0;  // a slow outer loop, to leave the inner poles alone
  return p;
}

}  // namespace

TEST_CASE("IRC: the discrete loop's resonant poles are those of the continuous cubic",
          "[stage][irc]") {
  // Aphale, Fleming & Moheimani (2007): with the feedthrough D and integral gain k the inner
  // loop's poles solve s³ + (2ζω − kD)s² + (ω² − 2kDζω)s − kω²(1 + D) = 0 (servo.hpp). The
  // axis' closed-loop matrix comes from the controller's own update at 20 kHz; mapped back with
  // s = ln(z)/T, its resonant pair must have the cubic's damping. Expected agreement: the ZOH
  // and the one-sample delay of the feedthrough shift ωT = 0.16 rad of phase, a few per cent.
  const AxisParams p = single_mode_axis();
  const double w = 2.0 * kPi * 500.0;
  const ServoParams s = resolved_servo(p);
  REQUIRE(s.irc_gain_per_s > 0.0);
  const double predicted = irc_damping(w, 0.02, -1.5, s.irc_gain_per_s);
  REQUIRE(predicted > 0.2);  // from 0.02: IRC adds an order of magnitude of damping

  double measured = -1.0;
  for (const auto& z : closed_loop_poles(p)) {
    const std::complex<double> sp = std::log(z) * p.servo.rate_Hz;
    if (sp.imag() > 0.3 * w && std::abs(sp) < 3.0 * w) measured = -sp.real() / std::abs(sp);
  }
  REQUIRE(measured > 0.0);
  CHECK(measured == Approx(predicted).epsilon(0.05));  // measured here: 0.392 vs 0.402
}

TEST_CASE("IRC: the chosen gain maximises the damping, matching Preumont's estimate",
          "[stage][irc]") {
  // With K = −k·D the cubic becomes s³ + Ks² + ω²s + Kω_z² (ζ = 0), ω_z = ω·√(1 + 1/D): the
  // integral force feedback loop of Preumont ("Vibration Control of Active Structures", ch. 13),
  // whose maximum damping is ≈ (ω − ω_z)/(2ω_z) at K ≈ ω·√(ω/ω_z) when ω_z is close to ω.
  const double w = 2.0 * kPi * 1000.0, D = -10.0;
  const double wz = w * std::sqrt(1.0 + 1.0 / D);
  const double k = irc_best_gain(w, 0.0, D);
  CHECK(irc_damping(w, 0.0, D, k) == Approx((w - wz) / (2.0 * wz)).epsilon(0.05));
  CHECK(-k * D == Approx(w * std::sqrt(w / wz)).epsilon(0.05));
  // A maximum: half and twice the gain damp less.
  CHECK(irc_damping(w, 0.0, D, 0.5 * k) < irc_damping(w, 0.0, D, k));
  CHECK(irc_damping(w, 0.0, D, 2.0 * k) < irc_damping(w, 0.0, D, k));
}

TEST_CASE("IRC lets the 100 um stage close a loop that is unstable undamped", "[stage][irc]") {
  // The integral loop at 120 Hz against a 447 Hz resonance with ζ = 0.03 has a loop gain of
  // about Q·f_c/f_r = 4.5 at the resonance: unstable without damping (the case notches it).
  AxisParams p = test::ideal_axis();
  p.travel_m = 100e-6;
  p.gain_m_per_V = 1e-6;
  p.sensor.range_m = 120e-6;
  p.flexure.effective_mass_kg = 0.25;
  p.flexure.stiffness_N_per_m = std::pow(2.0 * kPi * 500.0, 2) * 0.2;  // 447 Hz with 50 g
  p.flexure.damping_ratio = 0.03;
  p.servo.integral_crossover_Hz = 120.0;
  p.servo.notch_enabled = false;
  CHECK_THROWS_WITH(Axis(p, RngStream(1)), Contains("unstable"));

  p.servo.irc_enabled = true;
  Axis axis(p, RngStream(1));
  axis.set_servo(true);
  REQUIRE(axis.move_to(1e-6) == MoveStatus::accepted);
  axis.step(0.05);
  CHECK(axis.on_target());
  CHECK(std::abs(axis.position_m() - 1e-6) < p.servo.window_m);

  // Both damping schemes at once is a configuration error naming them.
  p.servo.notch_enabled = true;
  CHECK_THROWS_WITH(Axis(p, RngStream(1)), Contains("notch or integral resonance control"));
}

TEST_CASE("the Bouc-Wen inverse cancels the forward model", "[stage][hysteresis]") {
  // The figures of data/stages/xy_100um.yaml: α = 0.2, β = 0.0084/V, γ = 0.0083/V, d = 1 µm/V.
  const BoucWenParams bw{0.2, 0.0084, 0.0083};
  REQUIRE(bw.invertible());
  BoucWenInverse inverse(bw, 1e-6);
  BoucWen forward(bw, 1e-6);
  BoucWen naive(bw, 1e-6);
  RngStream rng(4);
  double worst = 0.0, worst_naive = 0.0, stroke = 0.0;
  for (int i = 0; i < 2000; ++i) {  // a random walk with reversals over 0…80 µm
    stroke = std::clamp(stroke + rng.uniform(-3e-6, 3e-6), 0.0, 80e-6);
    const double u = inverse.update(stroke);
    worst = std::max(worst, std::abs(forward.update(u) - stroke));
    worst_naive = std::max(worst_naive, std::abs(naive.update(stroke / 1e-6) - stroke));
  }
  // Rounding only: the root find stops at a few ulps of the voltage (~1e-14 V ≈ 1e-20 m).
  CHECK(worst < 1e-15);
  // Without the inverse the hysteresis error is micrometres.
  CHECK(worst_naive > 1e-6);

  // 2αβ ≥ β + γ: the stroke can fold back, so there is no inverse; the message says why.
  CHECK_THROWS_WITH(BoucWenInverse(BoucWenParams{1.0, 0.01, 0.0}, 1e-6),
                    Contains("2*alpha*beta < beta + gamma"));
}

TEST_CASE("open-loop moves through the Bouc-Wen inverse land on target", "[stage][hysteresis]") {
  // No creep and 32-bit converters: the open-loop stroke then equals the target to rounding,
  // after the flexure rings down (ζ = 0.02 at 2.4 kHz: e^(−ζωt) < 1e-9 after 0.1 s).
  AxisParams p = test::ideal_axis();
  p.hysteresis = HysteresisKind::bouc_wen;
  p.bouc_wen = {0.2, 0.0084, 0.0083};
  Axis axis(p, RngStream(2));
  for (double target : {6e-6, 2e-6, 8e-6, 5e-6}) {
    REQUIRE(axis.move_to(target) == MoveStatus::accepted);
    axis.step(0.1);
    CHECK(axis.position_m() == Approx(target).margin(1e-12));
  }
}

namespace {

// One-sided PSD by Welch's method (Hann window, no overlap), at DFT bin `bin` of `length`.
double welch(const std::vector<double>& x, std::size_t length, std::size_t bin, double rate) {
  const std::size_t segments = x.size() / length;
  double window_power = 0.0;
  std::vector<double> w(length);
  for (std::size_t n = 0; n < length; ++n) {
    w[n] = 0.5 - 0.5 * std::cos(2.0 * kPi * static_cast<double>(n) / static_cast<double>(length));
    window_power += w[n] * w[n];
  }
  double sum = 0.0;
  for (std::size_t s = 0; s < segments; ++s) {
    std::complex<double> acc = 0.0;
    for (std::size_t n = 0; n < length; ++n) {
      const double phase = -2.0 * kPi * static_cast<double>(bin * n) / static_cast<double>(length);
      acc += w[n] * x[s * length + n] * std::complex<double>(std::cos(phase), std::sin(phase));
    }
    sum += 2.0 * std::norm(acc) / (rate * window_power);
  }
  return sum / static_cast<double>(segments);
}

}  // namespace

TEST_CASE("sensor noise has the spectrum it is designed for", "[stage][noise]") {
  constexpr double rate = 20e3, density = 10e-12;
  RngStream rng(9);

  // White: the variance of a density eₙ band-limited to rate/2 is eₙ²·rate/2.
  SensorNoise white(density, NoiseShape{}, rate);
  double sum2 = 0.0;
  constexpr int kWhite = 200000;
  for (int i = 0; i < kWhite; ++i) sum2 += std::pow(white.next(rng), 2);
  CHECK(sum2 / kWhite == Approx(density * density * rate / 2.0).epsilon(0.02));  // 5σ ≈ 1.6 %

  // 1/f corner at 100 Hz and a 2 kHz bandwidth: Welch estimates at 10 Hz … 4 kHz against
  // S(f) = eₙ²(1 + f_c/f)/(1 + (f/f_b)²). 96 segments give a standard error of ~10 % per bin;
  // averaging 5 neighbouring bins brings it to ~5 %, so ±20 % is a 4σ band. The Lorentzian
  // sum itself ripples by a few per cent (sensor_noise.hpp).
  NoiseShape shape;
  shape.corner_Hz = 100.0;
  shape.flicker_min_Hz = 0.1;
  shape.bandwidth_Hz = 2000.0;
  SensorNoise shaped(density, shape, rate);
  constexpr std::size_t kLength = 16384;
  std::vector<double> x(96 * kLength);
  for (double& v : x) v = shaped.next(rng);
  const double df = rate / static_cast<double>(kLength);
  for (double f : {10.0, 100.0, 1000.0, 4000.0}) {
    const auto centre = static_cast<std::size_t>(std::lround(f / df));
    double estimate = 0.0;
    for (std::size_t b = centre - 2; b <= centre + 2; ++b) estimate += welch(x, kLength, b, rate);
    estimate /= 5.0;
    INFO("f = " << f << " Hz");
    CHECK(estimate == Approx(shaped.design_psd(static_cast<double>(centre) * df)).epsilon(0.2));
  }
  CHECK_THROWS_WITH(SensorNoise(density, NoiseShape{-1.0, 1e-3, 0.0}, rate),
                    Contains("sensor.noise_corner_Hz"));
}
