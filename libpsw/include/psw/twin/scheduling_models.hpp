// The scheduler's plug-ins from the physics modules: sintering times from the sintering module's
// volume–time statistics, and the stage's settle time from the stage model's step response.
//
// They live here because the scheduling module depends on core only (DESIGN.md §2) while the
// twin sits on the physics modules; scheduling_models() hands them to
// scheduling::Scenario::from_config, which is how `psw schedule` and psw.scheduling read
// scenarios.
//
// Sintering (scenario.sintering: {model: sintering, case: FILE or {sinter: {…}}}).
// The sintering case's `statistics` give a volume–time law t(V) = t_ref·(V/V_ref)^β and a
// lognormal volume distribution ln V ~ N(ln V_med, σ_V²) (psw/sintering/sintering_time.hpp).
// The scheduler knows each joint's planned volume V_j; the model takes the case's volume
// scatter to be the deposit's scatter about what was planned: the deposited volume is
// V_j·e^(σ_V·Z), Z ~ N(0, 1), so a joint's sintering time is lognormal,
//
//   ln T_j ~ N(ln t(V_j), (β·σ_V)²),
//
// exact, with no moment matching. For V_j = V_med the times have exactly the case's reported
// median and P99 (and the same draws as SinteringTimeDistribution::sample for the same stream).
//
// Stage (scenario.cell.stage: {case: FILE or {stage: …, step: {…}}, settle: on_target}).
// A stage case with a `step` analysis (psw/stage/stage_case.hpp) is run and its settle figure
// becomes the cell's stage_settle_s: `on_target` (default) the time after the move command at
// which the controller's on-target flag first reads true (when deposition may start), or
// `window` the settling time after which |y − target| stays inside the servo's window.
// The coarse travel speed is not part of the stage model (a piezo stage of µm travel); it stays
// cell.stage_speed_mm_per_s.
//
// @note The settle time of one step of the case's size stands for every move of the lot; the
//       stage model's settle time depends little on the step size in its linear range, but a
//       coarse stage's own settling is not modelled.
#pragma once

#include <memory>
#include <string>

#include <psw/core/config.hpp>
#include <psw/scheduling/scenario.hpp>
#include <psw/scheduling/sintering_time.hpp>
#include <psw/sintering/sintering_time.hpp>

namespace psw::twin {

/// Sintering times from the sintering module's volume–time statistics (see above).
class VolumeScatterSinteringTime final : public scheduling::SinteringTimeModel {
 public:
  /// @param source names where the statistics came from (for describe()).
  VolumeScatterSinteringTime(sintering::SinteringTimeDistribution distribution, std::string source);

  /// t(V·e^(σ_V·Z)) with Z from `rng`. @pre volume_m3 > 0.
  double sample_s(double volume_m3, RngStream& rng) const override;
  /// LogNormal{ln t(V), β·σ_V}.
  scheduling::LogNormal predicted(double volume_m3) const override;
  std::string describe() const override;

  const sintering::SinteringTimeDistribution& distribution() const { return distribution_; }

 private:
  sintering::SinteringTimeDistribution distribution_;
  std::string source_;
};

/// Reads `scenario.sintering` with model: sintering (keys: model, drift_per_joint, case).
/// `case` is a sinter case file (relative to the scenario file) or an inline map holding its
/// `sinter:` section; the case must have `sinter.statistics`.
/// @throws std::invalid_argument naming the key (and the case file's own key on bad cases).
std::shared_ptr<const scheduling::SinteringTimeModel> sintering_time_from_config(const Config& c);

/// Reads `scenario.cell.stage` and returns the settle time in seconds (see above).
/// @throws std::invalid_argument naming the key, e.g. when the case is not a step case or the
///         step never settles.
double stage_settle_from_config(const Config& c);

/// The plug-ins above, registered for Scenario::from_config.
scheduling::ScenarioModels scheduling_models();

}  // namespace psw::twin
