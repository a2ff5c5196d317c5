// A sintering deposit: densification under a temperature history, its resistivity, and the
// time at which a resistivity target (by default 3× bulk) is reached.
//
// Chain: T(t) → Θ(t) (master sintering curve work) → relative density ρ(Θ) → resistivity
// ρ_e(ρ, d_g) (resistivity.hpp). The target is inverted once to a density and a Θ, then the
// history is searched for the time that Θ is reached (TemperatureHistory::time_to_theta).
#pragma once

#include <string>

#include <psw/sintering/master_sintering_curve.hpp>
#include <psw/sintering/material.hpp>
#include <psw/sintering/resistivity.hpp>
#include <psw/sintering/temperature_history.hpp>

namespace psw::sintering {

enum class TargetStatus {
  reached,        ///< the target is reached at `time_s`
  already_met,    ///< the green deposit already meets it (time 0)
  unreachable,    ///< even the fully sintered deposit (ρ_max) is above the target
  not_in_history  ///< reachable in principle, but the held temperature makes no progress
};
std::string_view to_string(TargetStatus status);

struct TimeToTarget {
  TargetStatus status = TargetStatus::unreachable;
  double time_s = 0.0;         ///< meaningful when reached / already_met
  double density = 0.0;        ///< relative density needed
  double theta_s_per_K = 0.0;  ///< work of sintering needed
  std::string message;         ///< one line, for reports
};

struct DepositOptions {
  double particle_diameter_m = 50e-9;  ///< (0, 100 µm]
  double grain_size_m = 0.0;           ///< 0: the particle diameter
  ResistivityModel resistivity;        ///< bulk resistivity etc. filled from the material
  void validate() const;
};

class Deposit {
 public:
  /// @throws std::invalid_argument when the material has no master sintering curve and none
  ///         is given, or for bad options.
  Deposit(const SinteringMaterial& material, DepositOptions options,
          std::optional<MasterCurveParams> curve = std::nullopt);

  const MasterSinteringCurve& curve() const { return curve_; }
  const ResistivityModel& resistivity_model() const { return options_.resistivity; }
  double grain_size_m() const { return grain_size_; }

  double density_at(const TemperatureHistory& history, double t_s) const;
  double resistivity_at(const TemperatureHistory& history, double t_s) const;
  /// ρ_e for a relative density.
  double resistivity_for_density(double density) const;

  /// First time ρ_e ≤ target_ohm_m (> 0) under `history`.
  TimeToTarget time_to_resistivity(const TemperatureHistory& history, double target_ohm_m) const;
  /// The same for target = ratio × bulk (ratio ≥ 1; default 3).
  TimeToTarget time_to_resistivity_ratio(const TemperatureHistory& history,
                                         double ratio = 3.0) const;

 private:
  DepositOptions options_;
  MasterSinteringCurve curve_;
  double grain_size_;
};

/// Builds DepositOptions for `material` (bulk resistivity, mean free path, reflection).
DepositOptions deposit_options_for(const SinteringMaterial& material, double particle_diameter_m);

}  // namespace psw::sintering
