// The two-position cell (cell.hpp): the head deposits joint i+1 while the laser sinters joint i.
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include <psw/core/rng.hpp>
#include <psw/scheduling/monte_carlo.hpp>
#include <psw/scheduling/policies.hpp>
#include <psw/scheduling/scenario.hpp>
#include <psw/scheduling/simulator.hpp>

#include "fixtures.hpp"

using Catch::Matchers::Contains;
using psw::RngStream;
using namespace psw::scheduling;
using psw::scheduling::test::lognormal_predictor;
using psw::scheduling::test::ParkFirstOnce;
using psw::scheduling::test::round_cell;

namespace {

// The blocking two-machine flow shop of cell.hpp in lot order, straight from its recurrence:
// D_i = max(D_{i−1} + h_i, C_{i−1}), C_i = D_i + l_i; returns C_n.
double flow_shop_makespan(const Lot& lot, const CellModel& cell, double* serial) {
  double x = 0.0, y = 0.0, D = 0.0, C = 0.0, sum = 0.0;
  for (const Joint& j : lot.joints) {
    const double h = cell.move_s(x, y, j.x_m, j.y_m) + cell.deposition_s(j.volume_m3);
    const double l = j.sinter_work_s + cell.verify_s;
    x = j.x_m, y = j.y_m;
    D = std::max(D + h, C);
    C = D + l;
    sum += h + l;
  }
  *serial = sum;
  return C;
}

}  // namespace

TEST_CASE("two positions give the blocking flow shop's makespan on random deterministic lots",
          "[scheduling]") {
  // fifo_wait runs the joints in lot order with no limit, so the simulator must reproduce the
  // recurrence exactly; deposits (2–32 s) and sintering (1–60 s) overlap either way round, so
  // both branches of max(h_i, l_{i−1}) occur. One position: the serial sum Σ(h_i + l_i).
  const SinteringPredictor predictor = lognormal_predictor();
  auto fifo = make_policy("fifo_wait", PolicyParameters{});
  RngStream root(2718);
  for (int lot_index = 0; lot_index < 50; ++lot_index) {
    RngStream rng = root.substream(static_cast<std::uint64_t>(lot_index));
    Lot lot;
    lot.joints.resize(1 + static_cast<std::size_t>(lot_index % 25));
    double work = 0.0;
    for (Joint& j : lot.joints) {
      j.x_m = rng.uniform(0.0, 0.02), j.y_m = rng.uniform(0.0, 0.02);
      j.volume_m3 = rng.uniform(0.0, 30e-18) + 1e-21;
      j.sinter_work_s = rng.uniform(1.0, 60.0);
      work += j.sinter_work_s;
    }
    INFO("lot " << lot_index << " of " << lot.joints.size() << " joints");
    const CellModel one = round_cell(1), two = round_cell(2);
    double serial = 0.0;
    const double expected = flow_shop_makespan(lot, two, &serial);

    const LotResult r1 =
        simulate_lot(lot, plan_lot(lot, one, predictor, 0.1), one, predictor, *fifo);
    const LotResult r2 =
        simulate_lot(lot, plan_lot(lot, two, predictor, 0.1), two, predictor, *fifo);
    // Sums of ≤ 75 rounded terms: a relative 1e-12.
    CHECK(r1.makespan_s == Approx(serial).epsilon(1e-12));
    CHECK(r2.makespan_s == Approx(expected).epsilon(1e-12));
    CHECK(r2.makespan_s <= r1.makespan_s * (1.0 + 1e-12));
    // The laser is busy exactly for the sintering work (no park, no boost); the head for the
    // moves and deposits; neither depends on the number of positions.
    CHECK(r2.laser_busy_s == Approx(work).epsilon(1e-12));
    CHECK(r2.head_busy_s == Approx(r1.head_busy_s).epsilon(1e-12));
    CHECK(r2.head_busy_s + r2.laser_busy_s +
              static_cast<double>(lot.joints.size()) * two.verify_s ==
          Approx(serial).epsilon(1e-12));
    CHECK(r2.joints_done == lot.joints.size());
  }
}

TEST_CASE("two positions: a parked joint keeps its work and pays the move back and a re-heat",
          "[scheduling]") {
  // Three joints 10 mm apart, 2 µm³ each (h = 1.5 s move + 4 s deposit), work 10, 20, 30 s,
  // joint 0 parked at 5 s of work. By hand: J0 handed over at 5.5 s, parked at 10.5 s; J1
  // ready at 11 s, sinters 11–31 s, verified at 32 s; J2 (ready at 16.5 s) sinters 32–62 s,
  // verified at 63 s; J0 comes back (move 0.5 + √2 s, ready at 33.9 s), handed over at 63 s,
  // re-heats 4 s, sinters its last 5 s and is verified at 73 s.
  const CellModel cell = round_cell(2);
  Lot lot;
  lot.joints = {
      {0.01, 0.0, 2e-18, 0, 10.0}, {0.01, 0.01, 2e-18, 0, 20.0}, {0.0, 0.01, 2e-18, 0, 30.0}};
  const SinteringPredictor predictor = lognormal_predictor();
  const LotPlan plan = plan_lot(lot, cell, predictor, 0.1);
  ParkFirstOnce policy;
  SimulationOptions options;
  options.record_events = true;
  const LotResult r = simulate_lot(lot, plan, cell, predictor, policy, options);
  CHECK(r.makespan_s == Approx(73.0).epsilon(1e-14));
  CHECK(r.laser_busy_s == Approx(60.0 + 4.0).epsilon(1e-14));
  CHECK(r.stage_moving_s == Approx(4.5 + 0.5 + std::sqrt(2.0)).epsilon(1e-14));
  CHECK(r.parks == 1);
  bool found = false;
  for (const Event& e : r.events) {
    if (e.kind != EventKind::sintered || e.joint != 0) continue;
    found = true;
    CHECK(e.value == 10.0);
    CHECK(e.time_s == Approx(72.0).epsilon(1e-14));
  }
  CHECK(found);
}

TEST_CASE("two positions: the plan is the flow-shop recurrence at the mean times, to the median",
          "[scheduling]") {
  // Three equal joints in route order: h = 5.5 s each, l = E[T] + 1 s. With E[T] > h the laser
  // is the bottleneck: M(E[T]) = h + 3·l, and plan = M − (3·E[T] − median of the FW sum).
  const CellModel cell = round_cell(2);
  Lot lot;
  lot.joints = {
      {0.01, 0.0, 2e-18, 0, 10.0}, {0.01, 0.01, 2e-18, 0, 20.0}, {0.0, 0.01, 2e-18, 0, 30.0}};
  const SinteringPredictor predictor = lognormal_predictor();
  const LotPlan plan = plan_lot(lot, cell, predictor, 0.1);
  const LogNormal t = predictor.predict(2e-18);
  REQUIRE(t.mean() > 5.5);
  const LogNormal fw = fenton_wilkinson(3 * t.mean(), 3 * t.variance());
  CHECK(plan.planned_s ==
        Approx(5.5 + 3 * (t.mean() + 1.0) - 3 * t.mean() + fw.median()).epsilon(1e-14));
  CHECK(plan.sintering_positions == 2);
  // The one-position plan of the same lot is the serial chain, 3·h + 3 s + median: longer.
  const LotPlan serial = plan_lot(lot, round_cell(1), predictor, 0.1);
  CHECK(serial.planned_s == Approx(3 * 5.5 + 3.0 + fw.median()).epsilon(1e-14));
  CHECK(plan.planned_s < serial.planned_s);
}

TEST_CASE("two positions: the laser's busy time is the work plus one re-heat per resume",
          "[scheduling]") {
  // park_resume never boosts, so laser busy = Σ true work + t_reheat × parks exactly (a
  // conservation law), on the default scenario's lots, in both cells.
  Scenario s = default_scenario();
  auto policy = make_policy("park_resume", s.policy);
  const SinteringPredictor predictor = s.make_predictor();
  for (int positions : {1, 2}) {
    s.cell.sintering_positions = positions;
    for (std::uint64_t lot_index = 0; lot_index < 20; ++lot_index) {
      INFO(positions << " position(s), lot " << lot_index);
      const Lot lot = s.make_lot(lot_index);
      double work = 0.0;
      for (const Joint& j : lot.joints) work += j.sinter_work_s;
      const LotPlan plan = plan_lot(lot, s.cell, predictor, s.buffer_fraction);
      const LotResult r = simulate_lot(lot, plan, s.cell, predictor, *policy);
      CHECK(r.status == LotResult::Status::completed);
      CHECK(r.laser_busy_s ==
            Approx(work + s.cell.reheat_s * static_cast<double>(r.parks)).epsilon(1e-12));
    }
  }
}

TEST_CASE("two positions are never slower than one for a fixed joint order", "[scheduling]") {
  // For fifo_wait (lot order) and quantile (a fixed order from the prior) the makespans obey
  // M₂ = h₁ + Σ max(h_i, l_{i−1}) + l_n ≤ Σ(h_i + l_i) = M₁ lot by lot.
  Scenario s = default_scenario();
  const SinteringPredictor predictor = s.make_predictor();
  for (const char* name : {"fifo_wait", "quantile"}) {
    auto policy = make_policy(name, s.policy);
    for (std::uint64_t lot_index = 0; lot_index < 20; ++lot_index) {
      INFO(name << ", lot " << lot_index);
      const Lot lot = s.make_lot(lot_index);
      s.cell.sintering_positions = 1;
      const LotResult r1 =
          simulate_lot(lot, plan_lot(lot, s.cell, predictor, 0.1), s.cell, predictor, *policy);
      s.cell.sintering_positions = 2;
      const LotResult r2 =
          simulate_lot(lot, plan_lot(lot, s.cell, predictor, 0.1), s.cell, predictor, *policy);
      CHECK(r2.makespan_s <= r1.makespan_s);
    }
  }
}

TEST_CASE("two positions on the default scenario: no aborts, and every miss is announced",
          "[scheduling]") {
  Scenario s = default_scenario();
  s.cell.sintering_positions = 2;
  std::vector<PolicyFactory> policies;
  for (const auto& name : policy_names()) policies.push_back(builtin_policy(name, s.policy));
  std::map<std::string, PolicySummary> r;
  for (auto& summary : run_monte_carlo(s, policies, {1000, 2})) r[summary.policy] = summary;
  for (const char* name : {"fifo_wait", "quantile", "park_resume", "buffer_aware"}) {
    INFO(name);
    CHECK(r.at(name).aborted == 0);
  }
  // fifo_abort's abort rule does not depend on the cell: about 1 − 0.99¹⁰⁰ = 63 % of lots.
  CHECK(static_cast<double>(r.at("fifo_abort").aborted) / 1000.0 == Approx(0.63).margin(0.05));
  CHECK(r.at("buffer_aware").missed_unwarned == 0);
  CHECK(r.at("buffer_aware").over_target_fraction <= r.at("fifo_wait").over_target_fraction);
  // The head's work hides under the sintering: the laser is busier than with one position.
  Scenario one = default_scenario();
  const auto r1 = run_monte_carlo(one, {builtin_policy("fifo_wait", one.policy)}, {200, 2});
  CHECK(r.at("fifo_wait").laser_utilisation > r1[0].laser_utilisation);
}

TEST_CASE("sintering_positions outside 1 or 2 is refused, naming the key", "[scheduling]") {
  const auto text = std::string(default_scenario_yaml());
  const auto at = text.find("sintering_positions: 1");
  REQUIRE(at != std::string::npos);
  std::string bad = text;
  bad.replace(at, 22, "sintering_positions: 3");
  REQUIRE_THROWS_WITH(Scenario::from_config(psw::Config::parse(bad, "bad.yaml")),
                      Contains("scenario.cell.sintering_positions = 3 is outside [1, 2]"));
  CellModel cell;
  cell.sintering_positions = 0;
  Lot lot;
  lot.joints = {{0.0, 0.0, 1e-18, 0, 1.0}};
  REQUIRE_THROWS_WITH(plan_lot(lot, cell, lognormal_predictor(), 0.1),
                      Contains("cell.sintering_positions = 0 is outside [1, 2]"));
}
