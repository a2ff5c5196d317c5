// A scheduling scenario: the cell, the sintering-time statistics, how lots are made, the plan's
// buffer, the predictor and the policies' parameters. data/scheduling/default.yaml is the
// default (compiled in); every key is documented there.
//
//   scenario:
//     name: default
//     seed: 20261203
//     cell: {stage_speed_mm_per_s: 20, stage_settle_s: 0.2, deposition_overhead_s: 5,
//            deposition_rate_um3_per_s: 1.5, verify_s: 3, reheat_s: 4, boost_speedup: 1.25,
//            sintering_positions: 1}
//            # or, for the settle time, stage: {case: ../stages/cases/step_fast.yaml}
//     sintering: {median_s: 60, p99_s: 240, reference_volume_um3: 20, volume_exponent: 0.333,
//                 drift_per_joint: 0}
//            # or {model: sintering, case: ../sintering/cases/ag_laser_ramp.yaml}
//     lots: {joints: 100, field_mm: [20, 20], volume_um3: [10, 30],
//            high_priority_fraction: 0.1}        # or `sites:` listing fixed joints
//     plan: {buffer_fraction: 0.10, quantile: 0.5}   # optional lot_deadline_s: a due time
//     predictor: {prior_weight: 20, forgetting: 0}
//     policies: {fifo_abort: {timeout_s: 240}, park_resume: {park_quantile: 0.9}, ...}
//     monte_carlo: {lots: 2000, threads: 2}
//
// Lot ℓ is drawn from RngStream(seed).substream(ℓ): joint positions, volumes and priorities from
// its substream 0, the true sintering work of the joints, in lot order, from its substream 1.
// So every policy sees the same lots with the same times, and the numbers do not depend on the
// number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <psw/core/config.hpp>
#include <psw/scheduling/cell.hpp>
#include <psw/scheduling/policies.hpp>
#include <psw/scheduling/predictor.hpp>
#include <psw/scheduling/simulator.hpp>
#include <psw/scheduling/sintering_time.hpp>

namespace psw::scheduling {

struct LotSpec {
  std::size_t joints = 100;  ///< joints per generated lot, [1, 100000]
  double field_x_m = 0.02;   ///< joints uniform in [0, field_x] × [0, field_y]
  double field_y_m = 0.02;
  double volume_min_m3 = 10e-18;  ///< deposited volume uniform in [min, max]
  double volume_max_m3 = 30e-18;
  double high_priority_fraction = 0.0;  ///< [0, 1]: chance a joint has priority 1
  std::vector<Joint> sites;             ///< when non-empty: a fixed layout used for every lot
};

/// Models from other modules that a scenario may name. The scheduling module sits on core
/// only (DESIGN.md §2), so the adapters to the sintering and stage modules live in the twin
/// module (psw/twin/scheduling_models.hpp, twin::scheduling_models()) and reach the reader
/// through these hooks; `psw schedule` and psw.scheduling pass them in. Without them, a
/// scenario that names such a model is an error naming the key.
struct ScenarioModels {
  /// `scenario.sintering: {model: NAME, …}` for NAME ≠ lognormal: reads the rest of the
  /// section (model and drift_per_joint are already read) and returns the model.
  std::map<std::string, std::function<std::shared_ptr<const SinteringTimeModel>(const Config&)>>
      sintering;
  /// `scenario.cell.stage: …`: reads that node and returns the stage's settle time in seconds.
  std::function<double(const Config&)> stage_settle;
};

struct Scenario {
  std::string name = "default";
  std::uint64_t seed = 0;
  CellModel cell;
  std::shared_ptr<const SinteringTimeModel> sintering;
  double drift_per_joint = 0.0;  ///< (-0.5, 0.5]
  LotSpec lots;
  double buffer_fraction = 0.10;     ///< [0, 10]
  double lot_deadline_s = kNoLimit;  ///< the lot's own due time, (0, ∞]; ∞: none
  double plan_quantile = 0.5;        ///< (0, 1): the plan is this quantile of the lot (P50)
  double prior_weight = 20.0;
  double forgetting = 0.0;
  PolicyParameters policy;
  std::size_t monte_carlo_lots = 1000;  ///< [1, 10⁷]
  int monte_carlo_threads = 1;          ///< [1, 256]

  /// Reads the `scenario` section and rejects unknown keys.
  /// @throws std::invalid_argument naming the file, line, key, bad value and accepted range.
  static Scenario from_config(const Config& root, const ScenarioModels& models = {});

  /// Lot ℓ of this scenario, with its true sintering work drawn from the sintering model.
  Lot make_lot(std::uint64_t lot_index) const;
  /// A fresh predictor with this scenario's prior and parameters.
  SinteringPredictor make_predictor() const;
};

/// data/scheduling/default.yaml, compiled in.
std::string_view default_scenario_yaml();
Scenario default_scenario();

}  // namespace psw::scheduling
