#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include <psw/core/error.hpp>
#include <psw/scheduling/predictor.hpp>
#include <psw/scheduling/sintering_time.hpp>

namespace psw::scheduling {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double normal_quantile(double p) {
  require_in_range("normal_quantile p", p, Range::open(0.0, 1.0));

  // Bracket: Φ(±40) is 0 or 1 to double precision; bisect to a good start, then Newton.
  double lo = -40.0, hi = 40.0;
  for (int i = 0; i < 30; ++i) {
    const double mid = 0.5 * (lo + hi);
    (normal_cdf(mid) < p ? lo : hi) = mid;
  }
  double x = 0.5 * (lo + hi);

  // Newton on Φ(x) − p with the density φ(x) = e^(−x²/2)/√(2π).
  for (int i = 0; i < 8; ++i) {
    const double density = std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
    if (density <= 0.0) break;
    const double step = (normal_cdf(x) - p) / density;
    x -= step;
    if (std::abs(step) < 1e-15 * (1.0 + std::abs(x))) break;
  }
  return x;
}

LogNormal LogNormal::from_median_p99(double median_s, double p99_s) {
  require_in_range("median_s", median_s, Range::positive());
  require_in_range("p99_s", p99_s, Range::positive());
  if (!(p99_s > median_s)) {
    throw std::invalid_argument("p99_s = " + format_number(p99_s) +
                                " must exceed median_s = " + format_number(median_s));
  }
  static const double z99 = normal_quantile(0.99);
  return {std::log(median_s), std::log(p99_s / median_s) / z99};
}

LogNormal LogNormal::from_mean_sd(double mean_s, double sd_s) {
  require_in_range("mean_s", mean_s, Range::positive());
  require_in_range("sd_s", sd_s, Range::non_negative());
  const double s2 = std::log1p((sd_s / mean_s) * (sd_s / mean_s));
  return {std::log(mean_s) - 0.5 * s2, std::sqrt(s2)};
}

double LogNormal::median() const { return std::exp(mu); }
double LogNormal::mean() const { return std::exp(mu + 0.5 * sigma * sigma); }
double LogNormal::variance() const {
  const double m = mean();
  return std::expm1(sigma * sigma) * m * m;
}
double LogNormal::quantile(double p) const { return std::exp(mu + sigma * normal_quantile(p)); }
double LogNormal::cdf(double t_s) const {
  if (t_s <= 0.0) return 0.0;
  if (sigma == 0.0) return std::log(t_s) >= mu ? 1.0 : 0.0;
  return normal_cdf((std::log(t_s) - mu) / sigma);
}

double LogNormal::mean_residual(double elapsed_s) const {
  if (elapsed_s <= 0.0) return mean();
  if (sigma == 0.0) return std::max(0.0, median() - elapsed_s);
  const double le = std::log(elapsed_s);
  const double tail = normal_cdf((mu - le) / sigma);

  // E[T | T > e] = E[T]·Φ((μ + σ² − ln e)/σ)/Φ((μ − ln e)/σ); far in the tail, where both
  // Φ underflow, use the Mills-ratio limit E[T − e | T > e] ≈ e·σ²/(ln e − μ).
  if (tail < 1e-300) return elapsed_s * sigma * sigma / (le - mu);
  const double upper = normal_cdf((mu + sigma * sigma - le) / sigma);
  return std::max(0.0, mean() * upper / tail - elapsed_s);
}

double LogNormal::sample(RngStream& rng) const { return std::exp(mu + sigma * rng.normal()); }

LogNormal fenton_wilkinson(double mean_sum, double variance_sum) {
  require_in_range("fenton_wilkinson mean", mean_sum, Range::positive());
  require_in_range("fenton_wilkinson variance", variance_sum, Range::non_negative());
  // σ² = ln(1 + V/M²), μ = ln M − σ²/2: the lognormal with mean M and variance V.
  const double s2 = std::log1p(variance_sum / (mean_sum * mean_sum));
  return {std::log(mean_sum) - 0.5 * s2, std::sqrt(s2)};
}

// ---- the lognormal model (the interim model) --------------------------------------------

LognormalSinteringTime::LognormalSinteringTime(double median_s, double p99_s,
                                               double reference_volume_m3, double volume_exponent)
    : median_s_(median_s),
      p99_s_(p99_s),
      reference_volume_m3_(reference_volume_m3),
      volume_exponent_(volume_exponent),
      at_reference_(LogNormal::from_median_p99(median_s, p99_s)) {
  require_in_range("reference_volume_m3", reference_volume_m3, Range::positive());
  require_in_range("volume_exponent", volume_exponent, Range::closed(0.0, 3.0));
}

LogNormal LognormalSinteringTime::predicted(double volume_m3) const {
  // μ(V) = ln m₀ + a·ln(V/V₀); σ does not depend on V.
  const double shift =
      volume_exponent_ == 0.0 ? 0.0 : volume_exponent_ * std::log(volume_m3 / reference_volume_m3_);
  return {at_reference_.mu + shift, at_reference_.sigma};
}

double LognormalSinteringTime::sample_s(double volume_m3, RngStream& rng) const {
  return predicted(volume_m3).sample(rng);
}

std::string LognormalSinteringTime::describe() const {
  return "lognormal: median " + format_number(median_s_) + " s, P99 " + format_number(p99_s_) +
         " s at " + format_number(reference_volume_m3_ * 1e18) + " um^3, median ∝ V^" +
         format_number(volume_exponent_);
}

// ---- the online predictor ---------------------------------------------------------------------

SinteringPredictor::SinteringPredictor(std::shared_ptr<const SinteringTimeModel> model,
                                       double prior_weight, double forgetting)
    : model_(std::move(model)), prior_weight_(prior_weight), forgetting_(forgetting) {
  if (!model_) throw std::invalid_argument("SinteringPredictor needs a sintering-time model");
  require_in_range("predictor.prior_weight", prior_weight, Range::closed(0.0, 1e9));
  require_in_range("predictor.forgetting", forgetting, Range::closed_open(0.0, 1.0));
  prior_left_ = prior_weight_;
}

LogNormal SinteringPredictor::predict(double volume_m3) const {
  LogNormal d = model_->predicted(volume_m3);
  if (count_ > 0.0) d.mu += log_shift();  // no observations: the prior as it is (even if n₀ = 0)
  return d;
}

void SinteringPredictor::observe(double volume_m3, double time_s) {
  require_in_range("observed sintering time_s", time_s, Range::positive());
  // rₙ = ln tₙ − μ₀(Vₙ), discounted running sums.
  const double r = std::log(time_s) - model_->predicted(volume_m3).mu;
  sum_ = (1.0 - forgetting_) * sum_ + r;
  count_ = (1.0 - forgetting_) * count_ + 1.0;
  prior_left_ *= 1.0 - forgetting_;
}

double SinteringPredictor::observe_censored(double volume_m3, double work_done_s) {
  // r̂ = E[ln T − μ₀ | T > w] under the current prediction: μ − μ₀ + σ·φ(α)/(1 − Φ(α)).
  const LogNormal now = predict(volume_m3);
  const double mu0 = model_->predicted(volume_m3).mu;
  double imputed = now.mu - mu0;
  if (now.sigma > 0.0 && work_done_s > 0.0) {
    const double alpha = (std::log(work_done_s) - now.mu) / now.sigma;
    const double tail = normal_cdf(-alpha);
    const double density = std::exp(-0.5 * alpha * alpha) / std::sqrt(2.0 * std::numbers::pi);
    // Far in the tail the inverse Mills ratio tends to α.
    imputed += now.sigma * (tail > 1e-300 ? density / tail : alpha);
  }
  sum_ = (1.0 - forgetting_) * sum_ + imputed;
  count_ = (1.0 - forgetting_) * count_ + 1.0;
  prior_left_ *= 1.0 - forgetting_;
  return imputed;
}

void SinteringPredictor::revise(double imputed_residual, double volume_m3, double time_s) {
  require_in_range("observed sintering time_s", time_s, Range::positive());
  sum_ += std::log(time_s) - model_->predicted(volume_m3).mu - imputed_residual;
}

void SinteringPredictor::reset() {
  sum_ = count_ = 0.0;
  prior_left_ = prior_weight_;
}

}  // namespace psw::scheduling
