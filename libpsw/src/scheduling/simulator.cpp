#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <psw/core/error.hpp>
#include <psw/scheduling/route.hpp>
#include <psw/scheduling/simulator.hpp>

namespace psw::scheduling {

const char* to_string(EventKind kind) {
  switch (kind) {
    case EventKind::start:
      return "start";
    case EventKind::sintered:
      return "sintered";
    case EventKind::parked:
      return "parked";
    case EventKind::boost_on:
      return "boost_on";
    case EventKind::boost_off:
      return "boost_off";
    case EventKind::will_miss:
      return "will_miss";
    case EventKind::aborted:
      return "aborted";
    case EventKind::finished:
      return "finished";
  }
  return "?";
}

LotPlan plan_lot(const Lot& lot, const CellModel& cell, const SinteringPredictor& predictor,
                 double buffer_fraction, double lot_deadline_s) {
  if (lot.joints.empty()) throw std::invalid_argument("cannot plan an empty lot");
  require_in_range("plan.buffer_fraction", buffer_fraction, Range::closed(0.0, 10.0));
  require_in_range("plan.lot_deadline_s", lot_deadline_s, Range::open_closed(0.0, kNoLimit));
  const std::size_t n = lot.joints.size();

  // Route: nearest neighbour + 2-opt from the stage's home (0, 0).
  std::vector<Point> points(n);
  for (std::size_t j = 0; j < n; ++j) points[j] = {lot.joints[j].x_m, lot.joints[j].y_m};
  LotPlan plan;
  plan.route = plan_route(points, Point{});

  // Deterministic chain: moves along the route, deposits, verifies.
  plan.planned_move_s.assign(n, 0.0);
  double x = 0.0, y = 0.0, mean_sum = 0.0, variance_sum = 0.0;
  for (int j : plan.route) {
    const Joint& joint = lot.joints[static_cast<std::size_t>(j)];
    const double move = cell.move_s(x, y, joint.x_m, joint.y_m);
    plan.planned_move_s[static_cast<std::size_t>(j)] = move;
    plan.deterministic_s += move + cell.deposition_s(joint.volume_m3) + cell.verify_s;
    x = joint.x_m, y = joint.y_m;

    // Σ Tⱼ: means and variances add for independent joints.
    const LogNormal t = predictor.predict(joint.volume_m3);
    mean_sum += t.mean();
    variance_sum += t.variance();
  }

  // Plan = deterministic chain + median of the Fenton–Wilkinson lognormal of Σ Tⱼ.
  plan.sintering_sum = fenton_wilkinson(mean_sum, variance_sum);
  plan.planned_s = plan.deterministic_s + plan.sintering_sum.median();
  plan.buffer_s = buffer_fraction * plan.planned_s;
  plan.deadline_s = std::min(plan.planned_s + plan.buffer_s, lot_deadline_s);
  return plan;
}

// ---- LotView ----------------------------------------------------------------------------------

LogNormal LotView::predicted(int j) const { return predictor_->predict(volume_m3(j)); }

double LotView::projected_finish_s(double rate) const {
  const double shift = predictor_->observations() > 0.0 ? predictor_->log_shift() : 0.0;
  const double scale = std::exp(shift);

  // Pending joints: planned move + deposit + verify, and the predicted mean work.
  double remaining = pending_fixed_s_ + scale * pending_prior_mean_ / rate;

  // Parked joints and the active one: the mean residual work given the work already done.
  auto residual = [&](int j) {
    return predicted(j).mean_residual(done_[static_cast<std::size_t>(j)]) / rate + cell_->verify_s;
  };
  if (active_ >= 0) remaining += residual(active_);
  if (parked_ > 0) {
    for (std::size_t j = 0; j < state_.size(); ++j) {
      if (state_[j] != JointState::parked) continue;
      remaining += residual(static_cast<int>(j)) + cell_->reheat_s + plan_->planned_move_s[j] +
                   cell_->stage_settle_s;
    }
  }
  return now_ + remaining;
}

void LotView::set_boost(bool on) {
  if (on == boost_) return;
  boost_ = on;
  if (on && active_ >= 0) boost_used_on_active_ = true;
  if (events_) events_->push_back({now_, on ? EventKind::boost_on : EventKind::boost_off, -1, 0});
}

void LotView::report_will_miss(double predicted_overrun_s) {
  if (!std::isnan(will_miss_at_)) return;
  will_miss_at_ = now_;
  will_miss_overrun_ = predicted_overrun_s;
  if (events_) events_->push_back({now_, EventKind::will_miss, active_, predicted_overrun_s});
}

// ---- the simulation ---------------------------------------------------------------------------

class Simulation {
 public:
  Simulation(const Lot& lot, const LotPlan& plan, const CellModel& cell,
             const SinteringPredictor& predictor, Policy& policy, const SimulationOptions& options)
      : lot_(lot), cell_(cell), predictor_(predictor), policy_(policy), options_(options) {
    const std::size_t n = lot.joints.size();
    if (n == 0) throw std::invalid_argument("cannot simulate an empty lot");
    if (plan.planned_move_s.size() != n) {
      throw std::invalid_argument("the plan was made for a lot of " +
                                  std::to_string(plan.planned_move_s.size()) + " joints, not " +
                                  std::to_string(n));
    }
    view_.lot_ = &lot;
    view_.plan_ = &plan;
    view_.cell_ = &cell;
    view_.predictor_ = &predictor_;
    view_.state_.assign(n, JointState::pending);
    view_.done_.assign(n, 0.0);
    view_.prior_mean_.resize(n);
    view_.fixed_s_.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
      const Joint& joint = lot.joints[j];
      view_.prior_mean_[j] = predictor.prior(joint.volume_m3).mean();
      view_.fixed_s_[j] =
          plan.planned_move_s[j] + cell.deposition_s(joint.volume_m3) + cell.verify_s;
      view_.pending_fixed_s_ += view_.fixed_s_[j];
      view_.pending_prior_mean_ += view_.prior_mean_[j];
    }
    view_.pending_ = n;
    work_.assign(n, 0.0);
    parked_once_.assign(n, 0);
    imputed_.assign(n, 0.0);
    boosted_.assign(n, 0);
    if (options.record_events) view_.events_ = &result_.events;
    result_.planned_s = plan.planned_s;
    result_.deadline_s = plan.deadline_s;
  }

  LotResult run() {
    policy_.begin_lot(view_);
    while (result_.joints_done < lot_.joints.size()) {
      const Decision d = policy_.next(view_);
      if (d.kind == Decision::Kind::abort) {
        abort_lot(-1);
        break;
      }
      if (d.kind == Decision::Kind::finish) {
        fail("finished with " + std::to_string(lot_.joints.size() - result_.joints_done) +
             " joint(s) not done");
      }
      if (!work_on(d.joint, d.limit_s)) break;  // aborted
    }
    return finish();
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::logic_error("policy '" + policy_.name() + "' " + what);
  }
  void record(EventKind kind, int joint, double value) {
    if (options_.record_events) result_.events.push_back({view_.now_, kind, joint, value});
  }

  // Advances the clock by a deterministic step, serving check requests that fall inside it.
  void advance(double dt) {
    const double end = view_.now_ + dt;
    while (view_.check_at_ <= end) {
      view_.now_ = std::max(view_.now_, view_.check_at_);
      view_.check_at_ = kNoLimit;
      policy_.on_check(view_);
    }
    view_.now_ = end;
  }

  // Takes up joint j: move, deposit or re-heat, sinter to completion or to a park/abort.
  // Returns false when the lot was aborted.
  bool work_on(int j, double limit) {
    if (j < 0 || static_cast<std::size_t>(j) >= lot_.joints.size()) {
      fail("chose joint " + std::to_string(j) + " of a lot of " +
           std::to_string(lot_.joints.size()));
    }
    const auto u = static_cast<std::size_t>(j);
    const Joint& joint = lot_.joints[u];
    const JointState was = view_.state_[u];
    if (was == JointState::done || was == JointState::active) {
      fail("chose joint " + std::to_string(j) + ", which is already " +
           (was == JointState::done ? "done" : "active"));
    }

    // Book-keeping: the joint leaves the pending (or parked) set.
    if (was == JointState::pending) {
      view_.pending_fixed_s_ -= view_.fixed_s_[u];
      view_.pending_prior_mean_ -= view_.prior_mean_[u];
      --view_.pending_;
      // The true work, with process drift: × (1 + drift)^k for the k-th joint started.
      work_[u] = joint.sinter_work_s *
                 std::pow(1.0 + options_.drift_per_joint, static_cast<double>(started_));
      ++started_;
    } else {
      --view_.parked_;
    }
    view_.state_[u] = JointState::active;
    view_.active_ = j;
    view_.boost_used_on_active_ = view_.boost_;
    record(EventKind::start, j, was == JointState::pending ? 1.0 : 0.0);

    // Move: t_settle + d/v.
    const double move = cell_.move_s(x_, y_, joint.x_m, joint.y_m);
    result_.travel_m += std::hypot(joint.x_m - x_, joint.y_m - y_);
    result_.stage_moving_s += move;
    x_ = joint.x_m, y_ = joint.y_m;
    advance(move);

    // Deposit a fresh joint; re-heat a parked one.
    if (was == JointState::pending) {
      advance(cell_.deposition_s(joint.volume_m3));
    } else {
      result_.laser_busy_s += cell_.reheat_s;
      advance(cell_.reheat_s);
    }

    // Sinter: the next event is completion, the limit, or a check request.
    double& done = view_.done_[u];
    for (;;) {
      if (view_.boost_) view_.boost_used_on_active_ = true;
      const double rate = view_.boost_ ? cell_.boost_speedup : 1.0;
      const double to_done = (work_[u] - done) / rate;
      const double to_limit = limit > done ? (limit - done) / rate : 0.0;
      const double to_check = std::max(0.0, view_.check_at_ - view_.now_);
      const double dt = std::min({to_done, to_limit, to_check});
      view_.now_ += dt;
      result_.laser_busy_s += dt;
      done += dt * rate;

      if (to_done <= dt) {
        // Sintered: the predictor learns the work, then verify.
        done = work_[u];
        if (parked_once_[u]) {
          predictor_.revise(imputed_[u], joint.volume_m3, work_[u]);
        } else {
          predictor_.observe(joint.volume_m3, work_[u]);
        }
        record(EventKind::sintered, j, work_[u]);
        if (view_.boost_used_on_active_ || boosted_[u]) ++result_.boosted_joints;
        view_.state_[u] = JointState::done;
        view_.active_ = -1;
        ++result_.joints_done;
        advance(cell_.verify_s);
        return true;
      }
      if (to_check <= dt) {
        view_.check_at_ = kNoLimit;
        policy_.on_check(view_);
        continue;
      }

      // The limit: ask the policy.
      const LimitAction action = policy_.on_limit(view_, j);
      if (action.kind == LimitAction::Kind::abort) {
        abort_lot(j);
        return false;
      }
      if (action.kind == LimitAction::Kind::park) {
        if (view_.boost_used_on_active_ && !boosted_[u]) boosted_[u] = 1;
        view_.state_[u] = JointState::parked;
        view_.active_ = -1;
        ++view_.parked_;
        ++result_.parks;
        if (!parked_once_[u]) {
          // The predictor counts it now as censored (T > work done); revised when it finishes.
          parked_once_[u] = 1;
          ++result_.parked_joints;
          imputed_[u] = predictor_.observe_censored(joint.volume_m3, done);
        }
        record(EventKind::parked, j, done);
        return true;
      }
      if (!(action.limit_s > done)) {
        fail("continued joint " + std::to_string(j) + " to a limit of " +
             format_number(action.limit_s) + " s, not beyond its " + format_number(done) +
             " s of work");
      }
      limit = action.limit_s;
    }
  }

  void abort_lot(int j) {
    aborted_ = true;
    record(EventKind::aborted, j, j >= 0 ? view_.done_[static_cast<std::size_t>(j)] : 0.0);
  }

  LotResult finish() {
    result_.status = aborted_ ? LotResult::Status::aborted : LotResult::Status::completed;
    result_.makespan_s = view_.now_;
    result_.within_deadline = !aborted_ && result_.makespan_s <= result_.deadline_s;
    result_.will_miss_at_s = view_.will_miss_at_;
    result_.predicted_overrun_s = view_.will_miss_overrun_;
    if (!aborted_) record(EventKind::finished, -1, result_.makespan_s);
    return std::move(result_);
  }

  const Lot& lot_;
  const CellModel& cell_;
  SinteringPredictor predictor_;
  Policy& policy_;
  SimulationOptions options_;
  LotView view_;
  LotResult result_;
  std::vector<double> work_, imputed_;
  std::vector<char> parked_once_, boosted_;
  std::size_t started_ = 0;
  double x_ = 0.0, y_ = 0.0;
  bool aborted_ = false;
};

LotResult simulate_lot(const Lot& lot, const LotPlan& plan, const CellModel& cell,
                       const SinteringPredictor& predictor, Policy& policy,
                       const SimulationOptions& options) {
  Simulation simulation(lot, plan, cell, predictor, policy, options);
  return simulation.run();
}

}  // namespace psw::scheduling
