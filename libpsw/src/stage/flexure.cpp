#include <psw/stage/flexure.hpp>

#include <psw/core/error.hpp>

#include <cmath>
#include <numbers>
#include <string>

namespace psw::stage {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

struct Mode {
  double omega;
  double zeta;
  double share;
};

std::vector<Mode> loaded_modes(const FlexureParams& f) {
  const double factor = f.payload_factor();
  double higher_share = 0.0;
  for (const auto& m : f.higher_modes) higher_share += m.share;
  std::vector<Mode> modes{{kTwoPi * f.loaded_resonance_Hz(), f.damping_ratio, 1.0 - higher_share}};
  for (const auto& m : f.higher_modes) {
    modes.push_back({kTwoPi * m.frequency_Hz * factor, m.damping_ratio, m.share});
  }
  return modes;
}

}  // namespace

void FlexureParams::validate() const {
  require_in_range("flexure.stiffness_N_per_m", stiffness_N_per_m, Range::open_closed(0, 1e10));
  require_in_range("flexure.effective_mass_kg", effective_mass_kg, Range::open_closed(0, 100));
  require_in_range("flexure.payload_mass_kg", payload_mass_kg, Range::closed(0, 100));
  require_in_range("flexure.damping_ratio", damping_ratio, Range::open_closed(0, 2));
  double share_sum = 0.0;
  const double f1 = std::sqrt(stiffness_N_per_m / effective_mass_kg) / kTwoPi;
  for (std::size_t i = 0; i < higher_modes.size(); ++i) {
    std::string key = "flexure.higher_modes[";
    key += std::to_string(i);
    key += "].";
    require_in_range(key + "frequency_Hz", higher_modes[i].frequency_Hz,
                     Range::open_closed(f1, 1e6));
    require_in_range(key + "damping_ratio", higher_modes[i].damping_ratio,
                     Range::open_closed(0, 2));
    require_in_range(key + "share", higher_modes[i].share, Range::open(0, 1));
    share_sum += higher_modes[i].share;
  }
  require_in_range("sum of flexure.higher_modes[].share", share_sum, Range::closed_open(0, 1));
}

double FlexureParams::unloaded_resonance_Hz() const {
  return std::sqrt(stiffness_N_per_m / effective_mass_kg) / kTwoPi;
}

double FlexureParams::payload_factor() const {
  return std::sqrt(effective_mass_kg / (effective_mass_kg + payload_mass_kg));
}

double FlexureParams::loaded_resonance_Hz() const {
  return unloaded_resonance_Hz() * payload_factor();
}

ContinuousSystem flexure_system(const FlexureParams& flexure) {
  return axis_plant(flexure, CreepParams{});
}

ContinuousSystem axis_plant(const FlexureParams& flexure, const CreepParams& creep) {
  flexure.validate();
  const CreepModel bank = make_creep_model(creep);
  const std::vector<Mode> modes = loaded_modes(flexure);
  const auto nc = static_cast<Eigen::Index>(bank.tau_s.size());
  const auto n = nc + 2 * static_cast<Eigen::Index>(modes.size());

  ContinuousSystem sys;
  sys.A = Eigen::MatrixXd::Zero(n, n);
  sys.B = Eigen::VectorXd::Zero(n);
  sys.C = Eigen::RowVectorXd::Zero(n);

  // Creep lags: τ_k·ċ_k = p − c_k.
  for (Eigen::Index k = 0; k < nc; ++k) {
    const double tau = bank.tau_s[static_cast<std::size_t>(k)];
    sys.A(k, k) = -1.0 / tau;
    sys.B(k) = 1.0 / tau;
  }

  // Modes: ẍ = −ω²x − 2ζωẋ + gω²·(g₀p + (γ/n)Σc).
  for (std::size_t i = 0; i < modes.size(); ++i) {
    const auto [omega, zeta, share] = modes[i];
    const Eigen::Index x = nc + 2 * static_cast<Eigen::Index>(i);
    const double drive = share * omega * omega;
    sys.A(x, x + 1) = 1.0;
    sys.A(x + 1, x) = -omega * omega;
    sys.A(x + 1, x + 1) = -2.0 * zeta * omega;
    sys.B(x + 1) = drive * bank.instant_gain;
    for (Eigen::Index k = 0; k < nc; ++k) sys.A(x + 1, k) = drive * bank.lag_weight;
    sys.C(x) = 1.0;
  }
  return sys;
}

}  // namespace psw::stage
