// A stage case file, as `psw stage CASE.yaml` and psw.stage.run() read it:
//
//   stage: ../stages/fast_10um.yaml   # a stage file (relative to this file) or an inline map
//   seed: 1                           # optional
//   # exactly one of:
//   step:  {axis: x, start_um: 2, size_um: 1, duration_ms: 20, hold_ms: 10}
//   bode:  {axis: x, f_min_Hz: 1, f_max_Hz: 9000, points: 200}
//   moves: {targets_um: [[1, 2, 0], [5, 5, 1]], timeout_ms: 100, dwell_ms: 1}
//   placement:
//     axis: x
//     stage_error: {distribution: gaussian, sigma_nm: 3}   # or {simulate_moves: 200, dwell_ms: 1}
//     drift_rate: {distribution: gaussian, sigma_nm_per_s: 0.05}
//     deposition_time_s: 30
//     landing_scatter: {distribution: gaussian, sigma_nm: 20}   # optional
//     tolerance_nm: 50
//     samples: 100000
#pragma once

#include <psw/core/config.hpp>
#include <psw/stage/analysis.hpp>
#include <psw/stage/placement.hpp>
#include <psw/stage/xyz_stage.hpp>

#include <optional>
#include <string>
#include <vector>

namespace psw::stage {

/// One XYZ move of a `moves` case.
struct MoveRecord {
  std::vector<double> target_m;
  bool reached = false;         ///< ONT? on every axis before the timeout
  double on_target_time_s = 0;  ///< from the command; the timeout when not reached
  std::vector<double> error_m;  ///< position − target per axis after the dwell
};

struct StageCaseResult {
  std::string analysis;  ///< step, bode, moves or placement
  XyzParams stage;
  std::string axis;  ///< the axis analysed (step, bode, placement)
  std::optional<StepResponse> step;
  std::optional<BodeData> bode;
  std::vector<MoveRecord> moves;
  std::optional<PlacementResult> placement;
  std::vector<std::string> summary;  ///< lines for people
};

/// Runs the case. Bad input throws std::invalid_argument naming file, line and key.
StageCaseResult run_stage_case(const Config& root);

}  // namespace psw::stage
