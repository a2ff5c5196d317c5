// Shared fixtures of the scheduling tests: a cell with round figures, a lognormal predictor and
// a policy that parks the first joint once.
#pragma once

#include <memory>
#include <string>

#include <psw/scheduling/policies.hpp>
#include <psw/scheduling/simulator.hpp>

namespace psw::scheduling::test {

// A cell with round figures: 10 mm/s, 0.5 s settle, 2 s + V/(1 µm³/s) deposit, 1 s verify,
// 4 s re-heat, a 1.25× boost; one or two sintering positions.
inline CellModel round_cell(int positions = 1) {
  CellModel c;
  c.stage_speed_m_per_s = 0.01;
  c.stage_settle_s = 0.5;
  c.deposition_overhead_s = 2.0;
  c.deposition_rate_m3_per_s = 1e-18;
  c.verify_s = 1.0;
  c.reheat_s = 4.0;
  c.boost_speedup = 1.25;
  c.sintering_positions = positions;
  return c;
}

// Median 20 s, P99 80 s at 2 µm³, volume exponent 0; predicted P90 20 s.
inline SinteringPredictor lognormal_predictor() {
  return SinteringPredictor(std::make_shared<LognormalSinteringTime>(20.0, 80.0, 2e-18, 0.0), 20.0,
                            0.0);
}

// Parks joint 0 at 5 s of work, then resumes it after the others.
class ParkFirstOnce final : public Policy {
 public:
  std::string name() const override { return "park_first_once"; }
  Decision next(LotView& view) override {
    for (int j = 0; j < static_cast<int>(view.size()); ++j) {
      if (view.state(j) == JointState::pending) return Decision::run(j, j == 0 ? 5.0 : kNoLimit);
    }
    for (int j = 0; j < static_cast<int>(view.size()); ++j) {
      if (view.state(j) == JointState::parked) return Decision::run(j);
    }
    return Decision::finish();
  }
  LimitAction on_limit(LotView&, int) override { return LimitAction::park(); }
};

}  // namespace psw::scheduling::test
