// Discrete-event simulation of one repair lot under a scheduling policy.
//
// The plan. For a lot, the route (route.hpp) fixes the planned stage moves; with predicted
// sintering times Tⱼ ~ LogNormal(μⱼ, σⱼ) the planned lot duration is the median (P50) of
//
//   D = Σⱼ (t_move,j + t_dep,j + t_verify) + Σⱼ Tⱼ
//
// taking the deterministic part as it is and the sum of sintering times as the Fenton–Wilkinson
// lognormal with the sum's mean and variance: plan = D_det + median(ΣT). With two sintering
// positions (cell.hpp) the chain overlaps: the plan is the flow-shop recurrence of cell.hpp
// evaluated along the route with each joint's mean sintering time, M(E[T]), moved from the
// mean to the median of ΣT: plan = M(E[T]) − (E[ΣT] − median(ΣT)). With one position
// M(E[T]) = D_det + E[ΣT], so both cells share this formula. The buffer is a fixed
// fraction of the plan (10 % by default) and the lot's deadline is plan + buffer. The plan is
// the P50 of the whole chain, not the sum of per-joint medians: with the default tail
// (median 60 s, P99 240 s, σ = 0.596) each joint's mean is 1.19× its median, so Σ medians falls
// about 16 % short of the expected sintering time and no 10 % buffer could absorb it (see
// docs/scheduling.md).
//
// Events. The simulator keeps one clock. With one sintering position the cell works one joint
// at a time (cell.hpp); with two, the stage and head work on one joint while the laser
// position holds another. Each step (move, deposit, re-heat, sinter, verify) ends at a known
// time; a sintering step may also end early at the policy's limit (its work threshold for the
// joint) or at a check time the policy asked for. At each of those events the policy is called:
//   next(view)          → which joint to work on (fresh or parked), with a sintering limit,
//                         or abort the lot, or finish (only when every joint is done or, with
//                         two positions, when the joints left are all in the cell: the head
//                         then waits and next() is asked again after the laser's next event);
//   on_limit(view, j)   → continue with a new limit, park the joint, or abort the lot;
//   on_check(view)      → at a requested time: may set the laser boost or report "will miss".
// The simulator checks every decision (a done joint, a finish with joints left, a limit that is
// not beyond the work done) and throws std::logic_error naming the policy.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <psw/scheduling/cell.hpp>
#include <psw/scheduling/predictor.hpp>
#include <psw/scheduling/sintering_time.hpp>

namespace psw::scheduling {

inline constexpr double kNoLimit = std::numeric_limits<double>::infinity();

/// The plan of one lot.
struct LotPlan {
  std::vector<int> route;              ///< joint indices in stage-route order (NN + 2-opt)
  std::vector<double> planned_move_s;  ///< per joint: planned move time into it on the route
  /// One position: Σ moves + deposits + verifies on the route. Two: planned_s − median(ΣT), the
  /// part of the plan not spent sintering.
  double deterministic_s = 0.0;
  LogNormal sintering_sum;      ///< Fenton–Wilkinson lognormal of Σ Tⱼ
  double planned_s = 0.0;       ///< deterministic_s + median(ΣT) (or its plan quantile)
  int sintering_positions = 1;  ///< the cell's, when the plan was made
  double buffer_s = 0.0;        ///< buffer_fraction · planned_s
  double deadline_s = 0.0;      ///< min(planned_s + buffer_s, the lot's due time)
};

/// Plans a lot with the predictor's current predictions. `lot_deadline_s`, when finite, is the
/// lot's own due time (from its start): the deadline is then the earlier of it and plan + buffer.
/// `plan_quantile` q moves the plan from the median to the q-quantile of the Fenton–Wilkinson
/// ΣT: plan = M(E[T]) − (E[ΣT] − t_q(ΣT)) (0.5: the P50 plan described above).
/// @throws std::invalid_argument when the lot is empty, buffer_fraction is outside [0, 10],
///         lot_deadline_s is not positive or plan_quantile is outside (0, 1).
LotPlan plan_lot(const Lot& lot, const CellModel& cell, const SinteringPredictor& predictor,
                 double buffer_fraction, double lot_deadline_s = kNoLimit,
                 double plan_quantile = 0.5);

enum class JointState : std::uint8_t { pending, active, parked, done };

enum class EventKind : std::uint8_t {
  start,     ///< a joint is taken up (value: 1 fresh, 0 resumed)
  sintered,  ///< a joint's sintering finished (value: its work, s)
  parked,    ///< value: work done so far, s
  boost_on,
  boost_off,
  will_miss,  ///< value: predicted overrun beyond the deadline, s
  aborted,    ///< value: work done on the joint at the abort, s
  finished,   ///< the lot is done (value: makespan, s)
};
const char* to_string(EventKind kind);

struct Event {
  double time_s = 0.0;
  EventKind kind = EventKind::start;
  int joint = -1;
  double value = 0.0;
};

class Policy;

/// What a policy sees of a lot in progress. Never the true sintering work of a joint.
class LotView {
 public:
  double now_s() const { return now_; }
  std::size_t size() const { return lot_->joints.size(); }
  const LotPlan& plan() const { return *plan_; }
  const CellModel& cell() const { return *cell_; }
  double x_m(int j) const { return joint(j).x_m; }
  double y_m(int j) const { return joint(j).y_m; }
  double volume_m3(int j) const { return joint(j).volume_m3; }
  int priority(int j) const { return joint(j).priority; }
  JointState state(int j) const { return state_.at(static_cast<std::size_t>(j)); }
  /// Sintering work already done on joint j (nominal-power seconds).
  double work_done_s(int j) const { return done_.at(static_cast<std::size_t>(j)); }
  /// The joint under the laser (re-heating or sintering), or −1.
  int active() const { return active_; }
  /// Two positions: the joint the stage and head are working on or holding for the laser
  /// position, or −1. Always −1 with one position.
  int at_head() const { return head_joint_; }
  std::size_t pending_count() const { return pending_; }
  std::size_t parked_count() const { return parked_; }
  bool boost() const { return boost_; }

  /// The predictor's current distribution of joint j's total sintering work.
  LogNormal predicted(int j) const;
  /// Predicted finish time: now + the predicted remaining work of every joint not done
  /// (planned moves, deposits, verifies, re-heats, and the mean remaining sintering work at
  /// rate `rate`). One position: their sum. Two positions: the longer of the laser position's
  /// remaining work (re-heats, sintering, verifies) and the head's (moves, deposits) plus one
  /// verify, a lower bound of the flow shop's remaining makespan.
  double projected_finish_s(double rate = 1.0) const;

  /// Switches the laser's escalated power on or off from now on.
  void set_boost(bool on);
  /// Records a "will miss" warning with the predicted overrun (kept once per lot: the first).
  void report_will_miss(double predicted_overrun_s);
  /// Asks for an on_check call at time t (one pending request; a later call replaces it).
  void request_check_at(double t_s) { check_at_ = t_s; }

 private:
  friend class Simulation;
  double projected_finish_two_positions(double rate, double scale) const;
  const Joint& joint(int j) const { return lot_->joints.at(static_cast<std::size_t>(j)); }

  const Lot* lot_ = nullptr;
  const LotPlan* plan_ = nullptr;
  const CellModel* cell_ = nullptr;
  SinteringPredictor* predictor_ = nullptr;
  std::vector<JointState> state_;
  std::vector<double> done_;
  std::vector<double> prior_mean_;  // e^(μ₀ⱼ + σⱼ²/2) of each joint's prior
  std::vector<double> fixed_s_;     // planned move + deposit + verify per joint
  double pending_fixed_s_ = 0.0, pending_prior_mean_ = 0.0;
  std::size_t pending_ = 0, parked_ = 0;
  int active_ = -1;
  int head_joint_ = -1;           // two positions: the joint at the head
  bool head_resumed_ = false;     // … and whether it is a parked one coming back
  double head_ready_at_ = 0.0;    // … and when its move (and deposit) ends
  double laser_fixed_end_ = 0.0;  // two positions: end of the laser position's re-heat/verify
  double now_ = 0.0;
  bool boost_ = false;
  double check_at_ = kNoLimit;
  double will_miss_at_ = std::numeric_limits<double>::quiet_NaN();
  double will_miss_overrun_ = 0.0;
  std::vector<Event>* events_ = nullptr;
  bool boost_used_on_active_ = false;
};

/// What the policy decides when asked for the next joint.
struct Decision {
  enum class Kind : std::uint8_t { run, abort, finish };
  Kind kind = Kind::finish;
  int joint = -1;
  double limit_s = kNoLimit;  ///< call on_limit when the joint's work done reaches this
  static Decision run(int joint, double limit_s = kNoLimit) { return {Kind::run, joint, limit_s}; }
  static Decision abort() { return {Kind::abort, -1, kNoLimit}; }
  static Decision finish() { return {Kind::finish, -1, kNoLimit}; }
};

/// What the policy decides when a joint reaches its limit.
struct LimitAction {
  enum class Kind : std::uint8_t { continue_, park, abort };
  Kind kind = Kind::continue_;
  double limit_s = kNoLimit;  ///< the next limit when continuing; must exceed the work done
  static LimitAction continue_to(double limit_s = kNoLimit) { return {Kind::continue_, limit_s}; }
  static LimitAction park() { return {Kind::park, kNoLimit}; }
  static LimitAction abort() { return {Kind::abort, kNoLimit}; }
};

/// A scheduling policy. One instance runs one lot at a time; begin_lot resets it.
class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string name() const = 0;
  virtual void begin_lot(LotView& view) { (void)view; }
  virtual Decision next(LotView& view) = 0;
  virtual LimitAction on_limit(LotView& view, int joint) {
    (void)view, (void)joint;
    return LimitAction::continue_to();
  }
  virtual void on_check(LotView& view) { (void)view; }
};

/// The outcome of one lot.
struct LotResult {
  enum class Status : std::uint8_t { completed, aborted };
  Status status = Status::completed;
  double makespan_s = 0.0;  ///< time of the last event (completion or abort)
  double planned_s = 0.0;
  double deadline_s = 0.0;
  bool within_deadline = false;  ///< completed and makespan ≤ deadline
  std::size_t joints_done = 0;
  double laser_busy_s = 0.0;  ///< sintering + re-heat
  double head_busy_s = 0.0;   ///< stage moves + deposits
  double stage_moving_s = 0.0;
  double travel_m = 0.0;
  std::size_t parks = 0;          ///< park events
  std::size_t parked_joints = 0;  ///< distinct joints parked at least once
  std::size_t boosted_joints = 0;
  double will_miss_at_s = std::numeric_limits<double>::quiet_NaN();
  double predicted_overrun_s = 0.0;
  std::vector<Event> events;  ///< filled only when asked for
};

struct SimulationOptions {
  double drift_per_joint = 0.0;  ///< true work of the k-th joint started × (1 + drift)^k
  bool record_events = false;
};

/// Runs `policy` over `lot`. The predictor is copied and learns from the lot's finished joints.
/// @throws std::logic_error when the policy makes an impossible decision (names the policy).
LotResult simulate_lot(const Lot& lot, const LotPlan& plan, const CellModel& cell,
                       const SinteringPredictor& predictor, Policy& policy,
                       const SimulationOptions& options = {});

}  // namespace psw::scheduling
