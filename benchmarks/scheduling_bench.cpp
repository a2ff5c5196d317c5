// Scheduling, side by side: joints simulated per second by each policy against a bare loop that
// adds up the same fifo_wait makespan in closed form (the floor for one pass over the joints),
// each with one and with two sintering positions (second argument), route planning per lot,
// and Monte Carlo lots per second on 1 and 2 threads.
//
//   build/release/bin/scheduling_bench --benchmark_counters_tabular=true
//
// Goal (issue #9): about a million joints per second on one core.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include <psw/scheduling/monte_carlo.hpp>
#include <psw/scheduling/policies.hpp>
#include <psw/scheduling/scenario.hpp>
#include <psw/scheduling/simulator.hpp>

namespace {

using namespace psw::scheduling;

constexpr std::size_t kLots = 32;

struct Prepared {
  Scenario scenario = default_scenario();
  CellModel two_positions;
  std::vector<Lot> lots;
  std::vector<LotPlan> plans, plans_two;
  Prepared() {
    two_positions = scenario.cell;
    two_positions.sintering_positions = 2;
    const SinteringPredictor predictor = scenario.make_predictor();
    for (std::size_t i = 0; i < kLots; ++i) {
      lots.push_back(scenario.make_lot(i));
      plans.push_back(plan_lot(lots.back(), scenario.cell, predictor, scenario.buffer_fraction));
      plans_two.push_back(
          plan_lot(lots.back(), two_positions, predictor, scenario.buffer_fraction));
    }
  }
  const CellModel& cell(std::int64_t positions) const {
    return positions == 2 ? two_positions : scenario.cell;
  }
};

const Prepared& prepared() {
  static const Prepared p;
  return p;
}

void set_joint_rate(benchmark::State& state, std::size_t joints_per_iteration) {
  state.counters["joints/s"] = benchmark::Counter(
      static_cast<double>(joints_per_iteration * state.iterations()), benchmark::Counter::kIsRate);
}

// Baseline: the fifo_wait makespan in closed form over the joints, no events, no policy: the
// serial sum (one position) or the flow-shop recurrence D_i = max(D_{i−1} + h_i, C_{i−1}).
void BM_ClosedFormSum(benchmark::State& state) {
  const Prepared& p = prepared();
  const CellModel& cell = p.cell(state.range(0));
  const bool two = cell.sintering_positions == 2;
  state.SetLabel(two ? "2 positions" : "1 position");
  std::size_t joints = 0;
  for (const Lot& lot : p.lots) joints += lot.joints.size();
  for (auto _ : state) {
    double total = 0.0;
    for (const Lot& lot : p.lots) {
      double x = 0.0, y = 0.0, D = 0.0, C = 0.0;
      for (const Joint& j : lot.joints) {
        const double h = cell.move_s(x, y, j.x_m, j.y_m) + cell.deposition_s(j.volume_m3);
        const double l = j.sinter_work_s + cell.verify_s;
        D = two ? std::max(D + h, C) : C + h;
        C = D + l;
        x = j.x_m, y = j.y_m;
      }
      total += C;
    }
    benchmark::DoNotOptimize(total);
  }
  set_joint_rate(state, joints);
}

void BM_SimulateLot(benchmark::State& state) {
  const Prepared& p = prepared();
  const std::string& name = policy_names().at(static_cast<std::size_t>(state.range(0)));
  const CellModel& cell = p.cell(state.range(1));
  const auto& plans = cell.sintering_positions == 2 ? p.plans_two : p.plans;
  state.SetLabel(name + (cell.sintering_positions == 2 ? ", 2 positions" : ", 1 position"));
  auto policy = make_policy(name, p.scenario.policy);
  const SinteringPredictor predictor = p.scenario.make_predictor();
  std::size_t joints = 0;
  for (const Lot& lot : p.lots) joints += lot.joints.size();
  for (auto _ : state) {
    double total = 0.0;
    for (std::size_t i = 0; i < kLots; ++i) {
      total += simulate_lot(p.lots[i], plans[i], cell, predictor, *policy).makespan_s;
    }
    benchmark::DoNotOptimize(total);
  }
  set_joint_rate(state, joints);
}

// Per lot: generate the lot, route it (NN + 2-opt) and plan it.
void BM_MakeAndPlanLot(benchmark::State& state) {
  const Prepared& p = prepared();
  const SinteringPredictor predictor = p.scenario.make_predictor();
  std::uint64_t index = 0;
  for (auto _ : state) {
    const Lot lot = p.scenario.make_lot(index++);
    const LotPlan plan = plan_lot(lot, p.scenario.cell, predictor, p.scenario.buffer_fraction);
    benchmark::DoNotOptimize(plan.planned_s);
  }
  state.counters["lots/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// The whole Monte Carlo (make, plan, every policy) on 1 and 2 threads.
void BM_MonteCarlo(benchmark::State& state) {
  const Prepared& p = prepared();
  std::vector<PolicyFactory> policies;
  for (const auto& name : policy_names())
    policies.push_back(builtin_policy(name, p.scenario.policy));
  const MonteCarloOptions options{256, static_cast<int>(state.range(0))};
  for (auto _ : state) {
    const auto summaries = run_monte_carlo(p.scenario, policies, options);
    benchmark::DoNotOptimize(summaries.front().makespan_p50_s);
  }
  state.counters["lots/s"] = benchmark::Counter(
      static_cast<double>(options.lots * state.iterations()), benchmark::Counter::kIsRate);
  state.counters["joints/s"] =
      benchmark::Counter(static_cast<double>(options.lots * p.scenario.lots.joints *
                                             policies.size() * state.iterations()),
                         benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_ClosedFormSum)->Arg(1)->Arg(2);
BENCHMARK(BM_SimulateLot)->ArgsProduct({{0, 1, 2, 3, 4}, {1, 2}});
BENCHMARK(BM_MakeAndPlanLot);
BENCHMARK(BM_MonteCarlo)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
