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
                 double buffer_fraction, double lot_deadline_s, double plan_quantile) {
  if (lot.joints.empty()) throw std::invalid_argument("cannot plan an empty lot");
  require_in_range("plan.buffer_fraction", buffer_fraction, Range::closed(0.0, 10.0));
  require_in_range("plan.lot_deadline_s", lot_deadline_s, Range::open_closed(0.0, kNoLimit));
  require_in_range("plan.quantile", plan_quantile, Range::open(0.0, 1.0));
  cell.validate();
  const std::size_t n = lot.joints.size();

  // Route: nearest neighbour + 2-opt from the stage's home (0, 0).
  std::vector<Point> points(n);
  for (std::size_t j = 0; j < n; ++j) points[j] = {lot.joints[j].x_m, lot.joints[j].y_m};
  LotPlan plan;
  plan.route = plan_route(points, Point{});

  // Along the route: head times h = move + deposit, laser times l = E[T] + verify.
  plan.planned_move_s.assign(n, 0.0);
  plan.sintering_positions = cell.sintering_positions;
  double x = 0.0, y = 0.0, mean_sum = 0.0, variance_sum = 0.0;
  double serial_s = 0.0, handover_s = 0.0, laser_prev_s = 0.0;
  bool first = true;
  for (int j : plan.route) {
    const Joint& joint = lot.joints[static_cast<std::size_t>(j)];
    const double move = cell.move_s(x, y, joint.x_m, joint.y_m);
    plan.planned_move_s[static_cast<std::size_t>(j)] = move;
    const double head = move + cell.deposition_s(joint.volume_m3);
    plan.deterministic_s += head + cell.verify_s;
    x = joint.x_m, y = joint.y_m;

    // Σ Tⱼ: means and variances add for independent joints.
    const LogNormal t = predictor.predict(joint.volume_m3);
    mean_sum += t.mean();
    variance_sum += t.variance();

    // Makespan at the mean times: serial (one position), or D_i = D_{i−1} + max(h_i, l_{i−1}).
    const double laser = t.mean() + cell.verify_s;
    serial_s += head + laser;
    handover_s += first ? head : std::max(head, laser_prev_s);
    laser_prev_s = laser, first = false;
  }
  const double at_mean_s = cell.sintering_positions == 2 ? handover_s + laser_prev_s : serial_s;

  // Plan = makespan at the mean times, moved from E[ΣT] to the Fenton–Wilkinson median of ΣT
  // (or its plan quantile).
  plan.sintering_sum = fenton_wilkinson(mean_sum, variance_sum);
  const double sum_at_plan = plan_quantile == 0.5 ? plan.sintering_sum.median()
                                                  : plan.sintering_sum.quantile(plan_quantile);
  if (cell.sintering_positions == 2) {
    plan.planned_s = at_mean_s - (mean_sum - sum_at_plan);
    plan.deterministic_s = plan.planned_s - sum_at_plan;
  } else {
    plan.planned_s = plan.deterministic_s + sum_at_plan;
  }
  plan.buffer_s = buffer_fraction * plan.planned_s;
  plan.deadline_s = std::min(plan.planned_s + plan.buffer_s, lot_deadline_s);
  return plan;
}

// ---- LotView ----------------------------------------------------------------------------------

LogNormal LotView::predicted(int j) const { return predictor_->predict(volume_m3(j)); }

double LotView::projected_finish_s(double rate) const {
  const double shift = predictor_->observations() > 0.0 ? predictor_->log_shift() : 0.0;
  const double scale = std::exp(shift);

  if (cell_->sintering_positions == 2) return projected_finish_two_positions(rate, scale);

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

double LotView::projected_finish_two_positions(double rate, double scale) const {
  const double verify = cell_->verify_s;
  auto residual = [&](int j) {
    return predicted(j).mean_residual(done_[static_cast<std::size_t>(j)]) / rate;
  };

  // The laser position: what is left of its re-heat or verify, then the joint under the laser.
  double laser = std::max(0.0, laser_fixed_end_ - now_);
  if (active_ >= 0) laser += residual(active_) + verify;

  // The head: the rest of its move and deposit; its joint still needs the laser.
  double head = 0.0;
  if (head_joint_ >= 0) {
    head += std::max(0.0, head_ready_at_ - now_);
    laser += (head_resumed_ ? cell_->reheat_s : 0.0) + residual(head_joint_) + verify;
  }

  // Pending joints: move + deposit at the head; mean work + verify at the laser.
  const auto pending = static_cast<double>(pending_);
  head += pending_fixed_s_ - pending * verify;
  laser += scale * pending_prior_mean_ / rate + pending * verify;

  // Parked joints: a move back at the head; re-heat + residual + verify at the laser.
  for (std::size_t j = 0; j < state_.size() && parked_ > 0; ++j) {
    if (state_[j] != JointState::parked) continue;
    head += plan_->planned_move_s[j] + cell_->stage_settle_s;
    laser += cell_->reheat_s + residual(static_cast<int>(j)) + verify;
  }

  // Each chain bounds the makespan from below; the head's last joint still needs a verify.
  return now_ + std::max(laser, head + verify);
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
    limit_.assign(n, kNoLimit);
  }

  LotResult run() {
    if (cell_.sintering_positions == 2) return run_two_positions();
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

  // Checks the policy's choice and moves joint j from the pending (or parked) set to active.
  // Returns the state it had.
  JointState take_up(int j) {
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
    record(EventKind::start, j, was == JointState::pending ? 1.0 : 0.0);
    return was;
  }

  // The stage's move to joint j: t_settle + d/v (book-kept; the caller spends the time).
  double move_to(const Joint& joint) {
    const double move = cell_.move_s(x_, y_, joint.x_m, joint.y_m);
    result_.travel_m += std::hypot(joint.x_m - x_, joint.y_m - y_);
    result_.stage_moving_s += move;
    result_.head_busy_s += move;
    x_ = joint.x_m, y_ = joint.y_m;
    return move;
  }

  // Takes up joint j: move, deposit or re-heat, sinter to completion or to a park/abort.
  // Returns false when the lot was aborted.
  bool work_on(int j, double limit) {
    const JointState was = take_up(j);
    const auto u = static_cast<std::size_t>(j);
    const Joint& joint = lot_.joints[u];
    view_.active_ = j;
    view_.boost_used_on_active_ = view_.boost_;

    // Move: t_settle + d/v.
    advance(move_to(joint));

    // Deposit a fresh joint; re-heat a parked one.
    if (was == JointState::pending) {
      result_.head_busy_s += cell_.deposition_s(joint.volume_m3);
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
        sintered(j);
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
        park(j);
        return true;
      }
      check_limit(j, action.limit_s);
      limit = action.limit_s;
    }
  }

  // Joint j (under the laser) has sintered: the predictor learns its work; it is done.
  void sintered(int j) {
    const auto u = static_cast<std::size_t>(j);
    const Joint& joint = lot_.joints[u];
    view_.done_[u] = work_[u];
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
  }

  // Joint j (under the laser) is parked with its work kept.
  void park(int j) {
    const auto u = static_cast<std::size_t>(j);
    const double done = view_.done_[u];
    if (view_.boost_used_on_active_ && !boosted_[u]) boosted_[u] = 1;
    view_.state_[u] = JointState::parked;
    view_.active_ = -1;
    ++view_.parked_;
    ++result_.parks;
    if (!parked_once_[u]) {
      // The predictor counts it now as censored (T > work done); revised when it finishes.
      parked_once_[u] = 1;
      ++result_.parked_joints;
      imputed_[u] = predictor_.observe_censored(lot_.joints[u].volume_m3, done);
    }
    record(EventKind::parked, j, done);
  }

  void check_limit(int j, double limit) const {
    const double done = view_.done_[static_cast<std::size_t>(j)];
    if (!(limit > done)) {
      fail("continued joint " + std::to_string(j) + " to a limit of " + format_number(limit) +
           " s, not beyond its " + format_number(done) + " s of work");
    }
  }

  // ---- two sintering positions: the head and the laser position side by side (cell.hpp) ----

  enum class LaserPhase : std::uint8_t { empty, reheat, sinter, verify };

  bool in_cell() const { return view_.head_joint_ >= 0 || laser_phase_ != LaserPhase::empty; }

  // The head takes up joint j: the stage moves to it and, for a fresh joint, the head deposits.
  void head_take_up(int j, double limit) {
    const JointState was = take_up(j);
    const Joint& joint = lot_.joints[static_cast<std::size_t>(j)];
    limit_[static_cast<std::size_t>(j)] = limit;
    double busy = move_to(joint);
    if (was == JointState::pending) {
      busy += cell_.deposition_s(joint.volume_m3);
      result_.head_busy_s += cell_.deposition_s(joint.volume_m3);
    }
    view_.head_joint_ = j;
    view_.head_resumed_ = was == JointState::parked;
    view_.head_ready_at_ = view_.now_ + busy;
  }

  // The head's joint passes to the empty laser position: re-heat (a resumed joint) or sinter.
  void hand_over() {
    const int j = view_.head_joint_;
    view_.head_joint_ = -1;
    laser_joint_ = j;
    view_.active_ = j;
    view_.boost_used_on_active_ = view_.boost_;
    if (view_.head_resumed_) {
      laser_phase_ = LaserPhase::reheat;
      view_.laser_fixed_end_ = view_.now_ + cell_.reheat_s;
    } else {
      laser_phase_ = LaserPhase::sinter;
    }
  }

  double rate() const { return view_.boost_ ? cell_.boost_speedup : 1.0; }

  // When the laser position's next event happens; for sintering, also whether it is the end.
  double laser_event_at(bool& completes) const {
    completes = false;
    if (laser_phase_ == LaserPhase::empty) return kNoLimit;
    if (laser_phase_ != LaserPhase::sinter) return view_.laser_fixed_end_;
    const auto u = static_cast<std::size_t>(laser_joint_);
    const double done = view_.done_[u], limit = limit_[u];
    const double to_done = (work_[u] - done) / rate();
    const double to_limit = limit > done ? (limit - done) / rate() : 0.0;
    completes = to_done <= to_limit;
    return view_.now_ + std::min(to_done, to_limit);
  }

  // The laser position's event at the current time. Returns false when the lot was aborted.
  bool laser_event(bool completes) {
    const int j = laser_joint_;
    const auto u = static_cast<std::size_t>(j);
    switch (laser_phase_) {
      case LaserPhase::reheat:
        laser_phase_ = LaserPhase::sinter;
        return true;
      case LaserPhase::verify:
        laser_phase_ = LaserPhase::empty;
        laser_joint_ = -1;
        return true;
      case LaserPhase::empty:
        return true;
      case LaserPhase::sinter:
        break;
    }
    if (completes) {
      // Sintered, then verified at the laser position.
      sintered(j);
      laser_phase_ = LaserPhase::verify;
      view_.laser_fixed_end_ = view_.now_ + cell_.verify_s;
      return true;
    }

    // The limit (the work done is the limit, not a rounding short of it): ask the policy.
    view_.done_[u] = std::max(view_.done_[u], std::min(limit_[u], work_[u]));
    const LimitAction action = policy_.on_limit(view_, j);
    if (action.kind == LimitAction::Kind::abort) {
      abort_lot(j);
      return false;
    }
    if (action.kind == LimitAction::Kind::park) {
      park(j);
      laser_phase_ = LaserPhase::empty;
      laser_joint_ = -1;
      return true;
    }
    check_limit(j, action.limit_s);
    limit_[u] = action.limit_s;
    return true;
  }

  LotResult run_two_positions() {
    policy_.begin_lot(view_);
    bool head_waits = false;  // the policy had nothing for the head since the last event
    for (;;) {
      // The head, when free, asks the policy for its next joint.
      if (view_.head_joint_ < 0 && !head_waits) {
        const Decision d = policy_.next(view_);
        if (d.kind == Decision::Kind::abort) {
          abort_lot(-1);
          break;
        }
        if (d.kind == Decision::Kind::run) {
          head_take_up(d.joint, d.limit_s);
        } else if (result_.joints_done < lot_.joints.size() && !in_cell()) {
          fail("finished with " + std::to_string(lot_.joints.size() - result_.joints_done) +
               " joint(s) not done");
        } else {
          head_waits = true;
        }
      }

      // Hand-over: a joint ready at the head moves to an empty laser position.
      if (view_.head_joint_ >= 0 && view_.head_ready_at_ <= view_.now_ &&
          laser_phase_ == LaserPhase::empty) {
        hand_over();
        head_waits = false;
        continue;
      }
      if (result_.joints_done == lot_.joints.size() && !in_cell()) break;

      // The next event: the head's move/deposit ends, the laser's step ends, or a check.
      bool completes = false;
      const double t_laser = laser_event_at(completes);
      const double t_head = view_.head_joint_ >= 0 && view_.head_ready_at_ > view_.now_
                                ? view_.head_ready_at_
                                : kNoLimit;
      const double t = std::max(view_.now_, std::min({t_laser, t_head, view_.check_at_}));
      if (t == kNoLimit) {
        fail("left the head idle with " + std::to_string(lot_.joints.size() - result_.joints_done) +
             " joint(s) not done");
      }

      // Advance: the laser works (re-heat or sintering at the current rate) until t.
      const double dt = t - view_.now_;
      if (laser_phase_ == LaserPhase::sinter || laser_phase_ == LaserPhase::reheat) {
        result_.laser_busy_s += dt;
      }
      if (laser_phase_ == LaserPhase::sinter) {
        if (view_.boost_) view_.boost_used_on_active_ = true;
        double& done = view_.done_[static_cast<std::size_t>(laser_joint_)];
        done = std::min(done + dt * rate(), work_[static_cast<std::size_t>(laser_joint_)]);
      }
      view_.now_ = t;

      // Events at t: the laser's, then a requested check.
      if (t_laser <= t) {
        if (!laser_event(completes)) break;
      }
      if (view_.check_at_ <= t) {
        view_.check_at_ = kNoLimit;
        policy_.on_check(view_);
      }
      head_waits = false;
    }
    return finish();
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
  std::vector<double> work_, imputed_, limit_;
  int laser_joint_ = -1;
  LaserPhase laser_phase_ = LaserPhase::empty;
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
