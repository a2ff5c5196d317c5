#include <psw/stage/hysteresis.hpp>

#include <psw/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>

namespace psw::stage {
namespace {

// g after the input advanced by dw ≥ 0 along dg/dw = a − k·g (k ≥ 0).
double relax(double g, double a, double k, double dw) {
  if (k == 0.0) return g + a * dw;
  const double g_inf = a / k;
  return g_inf + (g - g_inf) * std::exp(-k * dw);
}

// "name[i]", built by appending (GCC 12 warns falsely on "[" + std::to_string(i)).
std::string indexed(std::string_view name, std::size_t i) {
  std::string out(name);
  out += '[';
  out += std::to_string(i);
  out += ']';
  return out;
}

}  // namespace

void BoucWenParams::validate() const {
  require_in_range("bouc_wen.alpha", alpha, Range::open_closed(0.0, 1.0));
  require_in_range("bouc_wen.beta_per_V", beta_per_V, Range::finite());
  require_in_range("bouc_wen.gamma_per_V", gamma_per_V, Range::finite());
  // Bounded class of Ikhouane, Mañosa & Rodellar (2007): β + γ > 0 and β − γ ≥ 0.
  require(beta_per_V + gamma_per_V > 0.0 && beta_per_V - gamma_per_V >= 0.0,
          "bouc_wen: beta_per_V = " + format_number(beta_per_V) +
              ", gamma_per_V = " + format_number(gamma_per_V) +
              " make the model unstable; it is bounded only when beta + gamma > 0 and "
              "beta - gamma >= 0");
}

BoucWen::BoucWen(const BoucWenParams& params, double gain_m_per_V)
    : params_(params), d_(gain_m_per_V) {
  params_.validate();
  require_in_range("gain_m_per_V", gain_m_per_V, Range::open_closed(0.0, 1e-3));
}

double BoucWen::update(double u_V) {
  const double du = u_V - u_;
  if (du != 0.0) {
    // Mirrored frame: w = s·u increases, g = s·h obeys dg/dw = αd − k·g.
    const double s = du > 0.0 ? 1.0 : -1.0;
    const double a = params_.alpha * d_;
    const double k_pos = params_.beta_per_V + params_.gamma_per_V;
    const double k_neg = params_.beta_per_V - params_.gamma_per_V;
    double g = s * h_;
    double dw = std::abs(du);

    // Below zero, g rises with rate k₋ until it crosses zero (or the input stops).
    if (g < 0.0) {
      const double to_zero = k_neg == 0.0 ? -g / a : std::log1p(-g * k_neg / a) / k_neg;
      if (to_zero >= dw) {
        g = relax(g, a, k_neg, dw);
        dw = 0.0;
      } else {
        g = 0.0;
        dw -= to_zero;
      }
    }

    // At or above zero, g relaxes towards αd/(β + γ).
    if (dw > 0.0) g = relax(g, a, k_pos, dw);
    h_ = s * g;
    u_ = u_V;
  }
  return d_ * u_ - h_;
}

BoucWenInverse::BoucWenInverse(const BoucWenParams& params, double gain_m_per_V)
    : model_(params, gain_m_per_V) {
  require(params.invertible(),
          "bouc_wen: alpha = " + format_number(params.alpha) + ", beta_per_V = " +
              format_number(params.beta_per_V) + ", gamma_per_V = " +
              format_number(params.gamma_per_V) +
              " has no inverse: the stroke is monotone in the voltage only when "
              "2*alpha*beta < beta + gamma");
  min_slope_ = gain_m_per_V *
               (1.0 - 2.0 * params.alpha * params.beta_per_V /
                          (params.beta_per_V + params.gamma_per_V));
}

double BoucWenInverse::update(double stroke_m) {
  const double u0 = model_.input_V();
  const double p0 = model_.gain_m_per_V() * u0 - model_.hysteretic_m();
  const double dp = stroke_m - p0;
  if (dp == 0.0) return u0;
  // The root lies between the steps the largest and the smallest slope would take.
  double a = u0 + dp / model_.gain_m_per_V();
  double b = u0 + dp / min_slope_;
  const auto residual = [&](double u) {
    BoucWen trial = model_;
    return trial.update(u) - stroke_m;
  };
  double fa = residual(a), fb = residual(b);
  // Illinois (modified regula falsi): bracketed, superlinear on this smooth monotone residual.
  int side = 0;
  double u = a;
  for (int it = 0; it < 100; ++it) {
    u = (a * fb - b * fa) / (fb - fa);
    const double fu = residual(u);
    if (fu == 0.0 || std::abs(b - a) <= 4e-16 * std::max(std::abs(a), std::abs(b))) break;
    if ((fu > 0.0) == (fb > 0.0)) {
      b = u;
      fb = fu;
      if (side == -1) fa /= 2.0;
      side = -1;
    } else {
      a = u;
      fa = fu;
      if (side == 1) fb /= 2.0;
      side = 1;
    }
    if (std::abs(fu) <= 1e-15 * (std::abs(stroke_m) + model_.gain_m_per_V())) break;
  }
  model_.update(u);
  return u;
}

void BoucWen::reset() {
  u_ = 0.0;
  h_ = 0.0;
}

void PrandtlIshlinskiiParams::validate() const {
  require(!thresholds_V.empty(), "prandtl_ishlinskii.thresholds_V: at least one threshold");
  require(thresholds_V.size() == weights.size(),
          "prandtl_ishlinskii: " + std::to_string(thresholds_V.size()) + " thresholds_V but " +
              std::to_string(weights.size()) + " weights; give one weight per threshold");
  require_in_range("prandtl_ishlinskii.thresholds_V[0]", thresholds_V[0], Range::closed(0, 0));
  double partial = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (i > 0) {
      require_in_range(indexed("prandtl_ishlinskii.thresholds_V", i), thresholds_V[i],
                       Range::open_closed(thresholds_V[i - 1], 1e4));
    }
    require_in_range(indexed("prandtl_ishlinskii.weights", i), weights[i], Range::finite());
    partial += weights[i];
    require_in_range(indexed("prandtl_ishlinskii: sum of weights up to", i), partial,
                     Range::positive());
  }
}

PrandtlIshlinskii::PrandtlIshlinskii(PrandtlIshlinskiiParams params) : params_(std::move(params)) {
  params_.validate();
  state_.assign(params_.weights.size(), 0.0);
}

double PrandtlIshlinskii::update(double u) {
  double out = 0.0;
  for (std::size_t i = 0; i < state_.size(); ++i) {
    state_[i] = play(u, params_.thresholds_V[i], state_[i]);
    out += params_.weights[i] * state_[i];
  }
  return out;
}

void PrandtlIshlinskii::reset() { state_.assign(state_.size(), 0.0); }

double PrandtlIshlinskii::max_slope() const {
  double sum = 0.0;
  for (double w : params_.weights) sum += w;
  return sum;
}

PrandtlIshlinskii PrandtlIshlinskii::inverse() const {
  const auto& r = params_.thresholds_V;
  const auto& w = params_.weights;
  PrandtlIshlinskiiParams inv;
  double partial = 0.0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    // r′ᵢ = Σ_{j≤i} w_j·(rᵢ − r_j).
    double r_inv = 0.0;
    for (std::size_t j = 0; j <= i; ++j) r_inv += w[j] * (r[i] - r[j]);
    inv.thresholds_V.push_back(r_inv);

    // w′₀ = 1/w₀, w′ᵢ = −wᵢ/(Σ_{j≤i} w_j · Σ_{j<i} w_j).
    const double previous = partial;
    partial += w[i];
    inv.weights.push_back(i == 0 ? 1.0 / w[0] : -w[i] / (partial * previous));
  }
  return PrandtlIshlinskii(std::move(inv));
}

}  // namespace psw::stage
