#include <psw/stage/creep.hpp>

#include <psw/core/error.hpp>

#include <cmath>

namespace psw::stage {

void CreepParams::validate() const {
  require_in_range("creep.gamma_per_decade", gamma_per_decade, Range::closed(0.0, 0.1));
  require_in_range("creep.reference_time_s", reference_time_s, Range::open_closed(0.0, 10.0));
  require_in_range("creep.shortest_s", shortest_s, Range::open(0.0, longest_s));
  require_in_range("creep.longest_s", longest_s, Range::open_closed(shortest_s, 1e7));
  require_in_range("creep.per_decade", per_decade, Range::closed(1, 10));
}

CreepModel make_creep_model(const CreepParams& params) {
  params.validate();
  CreepModel model;
  if (params.gamma_per_decade == 0.0) return model;

  // τ_k = τ_min·10^(k/n) up to τ_max.
  const double decades = std::log10(params.longest_s / params.shortest_s);
  const int count = static_cast<int>(std::floor(decades * params.per_decade + 1e-9)) + 1;
  for (int k = 0; k < count; ++k) {
    model.tau_s.push_back(params.shortest_s * std::pow(10.0, double(k) / params.per_decade));
  }
  model.lag_weight = params.gamma_per_decade / params.per_decade;

  // g₀ makes the response equal 1 at the reference time t₀.
  double settled = 0.0;
  for (double tau : model.tau_s) settled += 1.0 - std::exp(-params.reference_time_s / tau);
  model.instant_gain = 1.0 - model.lag_weight * settled;
  return model;
}

double CreepModel::step_response(double t_s) const {
  double sum = 0.0;
  for (double tau : tau_s) sum += 1.0 - std::exp(-t_s / tau);
  return instant_gain + lag_weight * sum;
}

}  // namespace psw::stage
