#include <cmath>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include <psw/core/rng.hpp>
#include <psw/scheduling/policies.hpp>
#include <psw/scheduling/simulator.hpp>

#include "fixtures.hpp"

using Catch::Matchers::Contains;
using psw::RngStream;
using namespace psw::scheduling;
using psw::scheduling::test::lognormal_predictor;
using psw::scheduling::test::ParkFirstOnce;
using psw::scheduling::test::round_cell;

namespace {

// Exponential sintering times (for the single-queue closed form), through the same interface
// the sintering module will implement.
class ExponentialTime final : public SinteringTimeModel {
 public:
  explicit ExponentialTime(double mean_s) : mean_s_(mean_s) {}
  double sample_s(double, RngStream& rng) const override { return rng.exponential(1.0 / mean_s_); }
  LogNormal predicted(double) const override { return LogNormal::from_mean_sd(mean_s_, mean_s_); }
  std::string describe() const override { return "exponential"; }

 private:
  double mean_s_;
};

// Three joints 10 mm apart with 2 µm³ each and sintering work 10, 20, 30 s.
Lot three_joints() {
  Lot lot;
  lot.joints = {
      {0.01, 0.0, 2e-18, 0, 10.0}, {0.01, 0.01, 2e-18, 0, 20.0}, {0.0, 0.01, 2e-18, 0, 30.0}};
  return lot;
}

class BoostAll final : public Policy {
 public:
  std::string name() const override { return "boost_all"; }
  void begin_lot(LotView& view) override { view.set_boost(true); }
  Decision next(LotView& view) override {
    for (int j = 0; j < static_cast<int>(view.size()); ++j) {
      if (view.state(j) == JointState::pending) return Decision::run(j);
    }
    return Decision::finish();
  }
};

class QuitsEarly final : public Policy {
 public:
  std::string name() const override { return "quits_early"; }
  Decision next(LotView&) override { return Decision::finish(); }
};

}  // namespace

TEST_CASE("deterministic times give the exact makespan", "[scheduling]") {
  const CellModel cell = round_cell();
  const Lot lot = three_joints();
  const SinteringPredictor predictor = lognormal_predictor();
  const LotPlan plan = plan_lot(lot, cell, predictor, 0.1);
  auto fifo = make_policy("fifo_wait", PolicyParameters{});

  SECTION("in order") {
    // Moves 3 × (0.5 + 1) = 4.5 s, deposits 3 × (2 + 2) = 12 s, sintering 60 s, verify 3 s.
    const LotResult r = simulate_lot(lot, plan, cell, predictor, *fifo);
    CHECK(r.makespan_s == Approx(79.5).epsilon(1e-14));
    CHECK(r.laser_busy_s == Approx(60.0).epsilon(1e-14));
    CHECK(r.stage_moving_s == Approx(4.5).epsilon(1e-14));
    CHECK(r.travel_m == Approx(0.03).epsilon(1e-14));
    CHECK(r.status == LotResult::Status::completed);
    CHECK(r.joints_done == 3);
  }
  SECTION("parked and resumed: + the move back (0.5 + √2 s) + the re-heat (4 s), work kept") {
    ParkFirstOnce policy;
    SimulationOptions options;
    options.record_events = true;
    const LotResult r = simulate_lot(lot, plan, cell, predictor, policy, options);
    CHECK(r.makespan_s == Approx(79.5 + 0.5 + std::sqrt(2.0) + 4.0).epsilon(1e-14));
    CHECK(r.laser_busy_s == Approx(64.0).epsilon(1e-14));
    CHECK(r.parks == 1);
    CHECK(r.parked_joints == 1);
    // The resumed joint's sintering still totals its 10 s of work.
    bool found = false;
    for (const Event& e : r.events) {
      if (e.kind != EventKind::sintered || e.joint != 0) continue;
      found = true;
      CHECK(e.value == 10.0);
    }
    CHECK(found);
  }
  SECTION("boosted: sintering takes work / 1.25") {
    BoostAll policy;
    const LotResult r = simulate_lot(lot, plan, cell, predictor, policy);
    CHECK(r.makespan_s == Approx(19.5 + 60.0 / 1.25).epsilon(1e-14));
    CHECK(r.boosted_joints == 3);
  }
  SECTION("the plan: route moves + deposits + verifies + the FW median of Σ T") {
    // The route from (0,0): (10,0) → (10,10) → (0,10) mm, the same as the lot order here.
    CHECK(plan.deterministic_s == Approx(4.5 + 12.0 + 3.0).epsilon(1e-14));
    const LogNormal t = predictor.predict(2e-18);
    const LogNormal fw = fenton_wilkinson(3 * t.mean(), 3 * t.variance());
    CHECK(plan.planned_s == Approx(19.5 + fw.median()).epsilon(1e-14));
    CHECK(plan.deadline_s == Approx(1.1 * plan.planned_s).epsilon(1e-14));
  }
}

TEST_CASE("a lot's own due time replaces plan + buffer when it is earlier", "[scheduling]") {
  const CellModel cell = round_cell();
  const Lot lot = three_joints();
  const SinteringPredictor predictor = lognormal_predictor();
  const LotPlan loose = plan_lot(lot, cell, predictor, 0.1, 1e6);
  const LotPlan tight = plan_lot(lot, cell, predictor, 0.1, 50.0);
  CHECK(loose.deadline_s == Approx(1.1 * loose.planned_s).epsilon(1e-14));
  CHECK(tight.deadline_s == 50.0);
  auto fifo = make_policy("fifo_wait", PolicyParameters{});
  // The exact makespan is 79.5 s (above): inside plan + 10 % is not the point, 50 s is missed.
  const LotResult r = simulate_lot(lot, tight, cell, predictor, *fifo);
  CHECK(r.deadline_s == 50.0);
  CHECK_FALSE(r.within_deadline);
  REQUIRE_THROWS_WITH(plan_lot(lot, cell, predictor, 0.1, -5.0),
                      Contains("plan.lot_deadline_s = -5 is outside (0, inf]"));
}

TEST_CASE("exponential service in a single queue gives the Erlang mean and variance",
          "[scheduling]") {
  // n jobs waiting at t = 0 for one server with exponential service of mean 1/μ: the makespan
  // is Erlang(n, μ), mean n/μ and variance n/μ². Moves, deposits and verifies are set to zero.
  CellModel cell;
  cell.deposition_overhead_s = 0.0;
  cell.deposition_rate_m3_per_s = 1.0;  // 1e-18 m³ at 1 m³/s: 1e-18 s, below rounding of 1 s
  cell.verify_s = 0.0;
  constexpr double kMean = 50.0;
  constexpr int kJoints = 20;
  constexpr int kLots = 4000;
  auto model = std::make_shared<ExponentialTime>(kMean);
  const SinteringPredictor predictor(model, 20.0, 0.0);
  auto fifo = make_policy("fifo_wait", PolicyParameters{});

  RngStream root(314);
  double sum = 0.0, sum_sq = 0.0;
  for (int lot_index = 0; lot_index < kLots; ++lot_index) {
    RngStream rng = root.substream(static_cast<std::uint64_t>(lot_index));
    Lot lot;
    lot.joints.resize(kJoints);
    for (Joint& j : lot.joints) j.volume_m3 = 1e-18, j.sinter_work_s = model->sample_s(1e-18, rng);
    const LotPlan plan = plan_lot(lot, cell, predictor, 0.1);
    const double m = simulate_lot(lot, plan, cell, predictor, *fifo).makespan_s;
    sum += m, sum_sq += m * m;
  }
  const double mean = sum / kLots;
  const double variance = sum_sq / kLots - mean * mean;
  const double expected_mean = kJoints * kMean;              // 1000 s
  const double expected_variance = kJoints * kMean * kMean;  // 50000 s²
  // Standard error of the mean √(n/μ²/L) = 3.5 s: 3 SE band.
  CHECK(std::abs(mean - expected_mean) < 3.0 * std::sqrt(expected_variance / kLots));
  // Variance: SE ≈ σ²·√((2 + 6/n)/L) for Erlang (excess kurtosis 6/n): 3 SE band.
  CHECK(std::abs(variance - expected_variance) <
        3.0 * expected_variance * std::sqrt((2.0 + 6.0 / kJoints) / kLots));
}

TEST_CASE("impossible decisions are reported with the policy's name", "[scheduling]") {
  const CellModel cell = round_cell();
  const Lot lot = three_joints();
  const SinteringPredictor predictor = lognormal_predictor();
  const LotPlan plan = plan_lot(lot, cell, predictor, 0.1);
  QuitsEarly quits;
  REQUIRE_THROWS_WITH(simulate_lot(lot, plan, cell, predictor, quits),
                      Contains("policy 'quits_early' finished with 3 joint(s) not done"));
  REQUIRE_THROWS_WITH(plan_lot(Lot{}, cell, predictor, 0.1), Contains("empty lot"));
}

TEST_CASE("the plan quantile moves the plan along the Fenton–Wilkinson sum, in both cells",
          "[scheduling]") {
  // plan(q) − plan(0.5) = t_q(ΣT) − median(ΣT) for the FW lognormal of the lot's ΣT: the
  // deterministic part (one position) or the recurrence at the mean times (two) is unchanged.
  const Lot lot = three_joints();
  const SinteringPredictor predictor = lognormal_predictor();
  for (int positions : {1, 2}) {
    CellModel cell = round_cell();
    cell.sintering_positions = positions;
    const LotPlan p50 = plan_lot(lot, cell, predictor, 0.1);
    const LotPlan p90 = plan_lot(lot, cell, predictor, 0.1, kNoLimit, 0.9);
    const LogNormal& fw = p50.sintering_sum;
    CHECK(p90.planned_s - p50.planned_s == Approx(fw.quantile(0.9) - fw.median()).epsilon(1e-12));
    CHECK(p90.deadline_s == Approx(1.1 * p90.planned_s).epsilon(1e-14));
  }
  REQUIRE_THROWS_WITH(plan_lot(lot, round_cell(), predictor, 0.1, kNoLimit, 1.0),
                      Contains("plan.quantile = 1 is outside (0, 1)"));
}
