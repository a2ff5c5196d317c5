#include <psw/stage/placement.hpp>

#include <psw/core/error.hpp>

#include <cmath>

namespace psw::stage {

const char* to_string(ErrorDistribution distribution) {
  return distribution == ErrorDistribution::uniform ? "uniform" : "gaussian";
}

double ErrorTerm::sigma() const {
  return distribution == ErrorDistribution::uniform ? scale / std::sqrt(3.0) : scale;
}

double ErrorTerm::draw(RngStream& rng) const {
  if (scale == 0.0) return 0.0;
  return distribution == ErrorDistribution::uniform ? rng.uniform(-scale, scale)
                                                    : scale * rng.normal();
}

void PlacementBudget::validate() const {
  require_in_range("placement.stage_error_m", stage_m.scale, Range::closed(0.0, 1e-3));
  require_in_range("placement.drift_rate_m_per_s", drift_rate_m_per_s.scale,
                   Range::closed(0.0, 1e-6));
  require_in_range("placement.deposition_time_s", deposition_time_s, Range::closed(0.0, 1e5));
  require_in_range("placement.landing_scatter_m", landing_m.scale, Range::closed(0.0, 1e-3));
  require_in_range("placement.tolerance_m", tolerance_m, Range::open_closed(0.0, 1e-3));
  require_in_range("placement.samples", samples, Range::closed(100, 1e8));
  for (double s : stage_samples_m)
    require_in_range("placement.stage_samples_m", s, Range::finite());
}

PlacementResult placement_monte_carlo(const PlacementBudget& budget) {
  budget.validate();
  const RngStream root(budget.seed);
  const auto n_stage = static_cast<std::uint64_t>(budget.stage_samples_m.size());

  // One in-plane component: stage + drift over the deposition + landing.
  const auto component = [&](RngStream& rng) {
    const double stage =
        n_stage > 0 ? budget.stage_samples_m[rng.below(n_stage)] : budget.stage_m.draw(rng);
    return stage + budget.drift_rate_m_per_s.draw(rng) * budget.deposition_time_s +
           budget.landing_m.draw(rng);
  };

  PlacementResult r;
  r.samples = budget.samples;
  const auto n = static_cast<std::size_t>(budget.samples);
  r.error_x_m.resize(n);
  r.error_y_m.resize(n);
  double sum = 0.0, sum2 = 0.0;
  std::size_t in_axis = 0, in_radius = 0;
  for (std::size_t i = 0; i < n; ++i) {
    RngStream rng = root.substream(i);
    const double ex = component(rng), ey = component(rng);
    r.error_x_m[i] = ex;
    r.error_y_m[i] = ey;
    sum += ex;
    sum2 += ex * ex;
    if (std::abs(ex) <= budget.tolerance_m) ++in_axis;
    if (std::hypot(ex, ey) <= budget.tolerance_m) ++in_radius;
  }
  const double count = static_cast<double>(n);
  r.mean_m = sum / count;
  r.sigma_m = std::sqrt(std::max(0.0, (sum2 - count * r.mean_m * r.mean_m) / (count - 1)));
  r.p_within_axis = static_cast<double>(in_axis) / count;
  r.p_within_radius = static_cast<double>(in_radius) / count;

  // Analytic: variances add; exact probabilities when every part is Gaussian.
  double stage_var = budget.stage_m.sigma() * budget.stage_m.sigma();
  if (n_stage > 0) {
    stage_var = 0.0;
    for (double s : budget.stage_samples_m) stage_var += s * s;
    stage_var /= static_cast<double>(n_stage);
  }
  const double drift_sigma = budget.drift_rate_m_per_s.sigma() * budget.deposition_time_s;
  const double var =
      stage_var + drift_sigma * drift_sigma + budget.landing_m.sigma() * budget.landing_m.sigma();
  r.analytic_sigma_m = std::sqrt(var);
  const double tol = budget.tolerance_m;
  r.analytic_p_axis = var > 0.0 ? std::erf(tol / std::sqrt(2.0 * var)) : 1.0;
  r.analytic_p_radius = var > 0.0 ? 1.0 - std::exp(-tol * tol / (2.0 * var)) : 1.0;
  const auto gaussian = [](const ErrorTerm& t) {
    return t.scale == 0.0 || t.distribution == ErrorDistribution::gaussian;
  };
  r.all_gaussian = n_stage == 0 && gaussian(budget.stage_m) &&
                   gaussian(budget.drift_rate_m_per_s) && gaussian(budget.landing_m);
  return r;
}

std::vector<double> settled_stage_errors(const AxisParams& params, int moves, double dwell_s,
                                         std::uint64_t seed) {
  require_in_range("settled_stage_errors moves", moves, Range::closed(1, 1e6));
  require_in_range("settled_stage_errors dwell_s", dwell_s, Range::closed(0.0, 10.0));
  const RngStream root(seed);
  Axis axis(params, root.substream(0));
  axis.set_servo(true);
  std::vector<double> errors;
  const double timeout_s = 1.0;
  for (int i = 0; i < moves; ++i) {
    // A random target in the middle 80 % of the travel; wait for ONT?, then the dwell.
    RngStream rng = root.substream(static_cast<std::uint64_t>(i) + 1);
    const double target = params.travel_m * rng.uniform(0.1, 0.9);
    axis.move_to(target);
    const double start = axis.time_s();
    while (!axis.on_target() && axis.time_s() - start < timeout_s) axis.tick();
    axis.step(dwell_s);
    errors.push_back(axis.position_m() - target);
  }
  return errors;
}

}  // namespace psw::stage
