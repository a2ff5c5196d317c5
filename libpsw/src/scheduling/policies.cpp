#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include <psw/core/error.hpp>
#include <psw/scheduling/policies.hpp>

namespace psw::scheduling {

void PolicyParameters::validate() const {
  require_in_range("policies.fifo_abort.timeout_s", abort_timeout_s, Range::positive());
  require_in_range("policies.park_resume.park_quantile", park_quantile, Range::open(0.0, 1.0));
  require_in_range("policies.quantile.quantile", quantile, Range::open(0.0, 1.0));
  require_in_range("policies.quantile.window", quantile_window, Range::closed(1, 10000));
  require_in_range("policies.buffer_aware.yellow_fraction", yellow_fraction,
                   Range::open(0.0, 10.0));
  require_in_range("policies.buffer_aware.red_fraction", red_fraction,
                   Range::open(yellow_fraction, 10.0));
  require_in_range("policies.buffer_aware.park_quantile", yellow_park_quantile,
                   Range::open(0.0, 1.0));
  require_in_range("policies.buffer_aware.check_lead_s", check_lead_s, Range::non_negative());
}

namespace {

// The route with higher-priority joints first (stable: route order within a priority).
std::vector<int> route_by_priority(const LotView& view) {
  std::vector<int> order = view.plan().route;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return view.priority(a) > view.priority(b); });
  return order;
}

// A cursor over a fixed order that skips joints no longer pending.
class OrderCursor {
 public:
  void reset(std::vector<int> order) { order_ = std::move(order), at_ = 0; }
  int next_pending(const LotView& view) {
    while (at_ < order_.size() && view.state(order_[at_]) != JointState::pending) ++at_;
    return at_ < order_.size() ? order_[at_] : -1;
  }

 private:
  std::vector<int> order_;
  std::size_t at_ = 0;
};

std::vector<int> lot_order(const LotView& view) {
  std::vector<int> order(view.size());
  for (std::size_t j = 0; j < order.size(); ++j) order[j] = static_cast<int>(j);
  return order;
}

// The parked joint with the least predicted remaining work, or −1.
int shortest_parked(const LotView& view) {
  int best = -1;
  double best_residual = kNoLimit;
  for (std::size_t u = 0; u < view.size() && view.parked_count() > 0; ++u) {
    const int j = static_cast<int>(u);
    if (view.state(j) != JointState::parked) continue;
    const double residual = view.predicted(j).mean_residual(view.work_done_s(j));
    if (residual < best_residual) best_residual = residual, best = j;
  }
  return best;
}

double quantile_of(const LogNormal& d, double z) { return std::exp(d.mu + d.sigma * z); }

class FifoAbort final : public Policy {
 public:
  explicit FifoAbort(double timeout_s) : timeout_s_(timeout_s) {}
  std::string name() const override { return "fifo_abort"; }
  void begin_lot(LotView& view) override { cursor_.reset(lot_order(view)); }
  Decision next(LotView& view) override {
    const int j = cursor_.next_pending(view);
    return j >= 0 ? Decision::run(j, timeout_s_) : Decision::finish();
  }
  LimitAction on_limit(LotView&, int) override { return LimitAction::abort(); }

 private:
  double timeout_s_;
  OrderCursor cursor_;
};

class FifoWait final : public Policy {
 public:
  std::string name() const override { return "fifo_wait"; }
  void begin_lot(LotView& view) override { cursor_.reset(lot_order(view)); }
  Decision next(LotView& view) override {
    const int j = cursor_.next_pending(view);
    return j >= 0 ? Decision::run(j) : Decision::finish();
  }

 private:
  OrderCursor cursor_;
};

class QuantileOrder final : public Policy {
 public:
  QuantileOrder(double q, int window) : z_(normal_quantile(q)), window_(window) {}
  std::string name() const override { return "quantile"; }
  void begin_lot(LotView& view) override {
    // Route (priorities first), then shortest predicted quantile first within each window of
    // consecutive route joints of the same priority.
    std::vector<int> order = route_by_priority(view);
    const auto w = static_cast<std::size_t>(window_);
    for (std::size_t start = 0; start < order.size(); start += w) {
      const auto first = order.begin() + static_cast<std::ptrdiff_t>(start);
      const auto last =
          order.begin() + static_cast<std::ptrdiff_t>(std::min(start + w, order.size()));
      std::stable_sort(first, last, [&](int a, int b) {
        if (view.priority(a) != view.priority(b)) return view.priority(a) > view.priority(b);
        return quantile_of(view.predicted(a), z_) < quantile_of(view.predicted(b), z_);
      });
    }
    cursor_.reset(std::move(order));
  }
  Decision next(LotView& view) override {
    const int j = cursor_.next_pending(view);
    return j >= 0 ? Decision::run(j) : Decision::finish();
  }

 private:
  double z_;
  int window_;
  OrderCursor cursor_;
};

class ParkResume final : public Policy {
 public:
  explicit ParkResume(double q) : z_(normal_quantile(q)) {}
  std::string name() const override { return "park_resume"; }
  void begin_lot(LotView& view) override { cursor_.reset(route_by_priority(view)); }
  Decision next(LotView& view) override {
    // Fresh joints first, each with its predicted quantile as the park limit.
    const int j = cursor_.next_pending(view);
    if (j >= 0) return Decision::run(j, quantile_of(view.predicted(j), z_));
    // Then the parked ones, shortest predicted remainder first, to completion.
    const int k = shortest_parked(view);
    return k >= 0 ? Decision::run(k) : Decision::finish();
  }
  LimitAction on_limit(LotView&, int) override { return LimitAction::park(); }

 private:
  double z_;
  OrderCursor cursor_;
};

class BufferAware final : public Policy {
 public:
  explicit BufferAware(const PolicyParameters& p)
      : p_(p),
        z_park_(normal_quantile(p.yellow_park_quantile)),
        z_ladder_{normal_quantile(0.75), normal_quantile(0.90), normal_quantile(0.99)} {}
  std::string name() const override { return "buffer_aware"; }

  void begin_lot(LotView& view) override {
    cursor_.reset(route_by_priority(view));
    parked_before_.assign(view.size(), 0);
    view.set_boost(false);
    // One check just before the deadline, so no lot runs past it unannounced.
    view.request_check_at(view.plan().deadline_s - p_.check_lead_s);
  }

  Decision next(LotView& view) override {
    evaluate(view);
    const int j = cursor_.next_pending(view);
    if (j >= 0) return Decision::run(j, next_limit(view, j, 0.0));
    const int k = shortest_parked(view);
    if (k < 0) return Decision::finish();
    return Decision::run(k, next_limit(view, k, view.work_done_s(k)));
  }

  LimitAction on_limit(LotView& view, int j) override {
    evaluate(view);
    const double done = view.work_done_s(j);
    // Yellow or red: a fresh joint past its park quantile makes way for the others.
    const bool others_waiting = view.pending_count() > 0;
    if (zone_ >= 1 && others_waiting && !parked_before_[static_cast<std::size_t>(j)] &&
        done >= quantile_of(view.predicted(j), z_park_) * (1.0 - 1e-12)) {
      parked_before_[static_cast<std::size_t>(j)] = 1;
      return LimitAction::park();
    }
    return LimitAction::continue_to(next_limit(view, j, done));
  }

  void on_check(LotView& view) override { evaluate(view); }

 private:
  // The next work level at which to look again: P75, P90, P99 of the prediction, then every
  // further 25 % of the work done.
  double next_limit(const LotView& view, int j, double done) const {
    const LogNormal d = view.predicted(j);
    for (double z : z_ladder_) {
      const double q = quantile_of(d, z);
      if (q > done * (1.0 + 1e-9) + 1e-9) return q;
    }
    return done * 1.25 + 1e-6;
  }

  // Buffer penetration b = (projected finish − plan)/buffer sets the zone and the boost; the
  // first projection at the current rate beyond the deadline raises "will miss".
  void evaluate(LotView& view) {
    const LotPlan& plan = view.plan();
    const double b = plan.buffer_s > 0.0
                         ? (view.projected_finish_s(1.0) - plan.planned_s) / plan.buffer_s
                         : kNoLimit;
    zone_ = b >= p_.red_fraction ? 2 : (b >= p_.yellow_fraction ? 1 : 0);
    if (zone_ == 2) view.set_boost(true);
    if (zone_ == 0) view.set_boost(false);

    const double rate = view.boost() ? view.cell().boost_speedup : 1.0;
    const double projected = view.projected_finish_s(rate);
    if (projected > plan.deadline_s) view.report_will_miss(projected - plan.deadline_s);
  }

  PolicyParameters p_;
  double z_park_;
  std::array<double, 3> z_ladder_;
  OrderCursor cursor_;
  std::vector<char> parked_before_;
  int zone_ = 0;
};

}  // namespace

const std::vector<std::string>& policy_names() {
  static const std::vector<std::string> names{"fifo_abort", "fifo_wait", "quantile", "park_resume",
                                              "buffer_aware"};
  return names;
}

std::unique_ptr<Policy> make_policy(const std::string& name, const PolicyParameters& params) {
  params.validate();
  if (name == "fifo_abort") return std::make_unique<FifoAbort>(params.abort_timeout_s);
  if (name == "fifo_wait") return std::make_unique<FifoWait>();
  if (name == "quantile") {
    return std::make_unique<QuantileOrder>(params.quantile, params.quantile_window);
  }
  if (name == "park_resume") return std::make_unique<ParkResume>(params.park_quantile);
  if (name == "buffer_aware") return std::make_unique<BufferAware>(params);
  std::string accepted;
  for (const auto& n : policy_names()) accepted += (accepted.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown policy '" + name + "'; accepted: " + accepted);
}

PolicyFactory builtin_policy(const std::string& name, const PolicyParameters& params) {
  make_policy(name, params);  // validates the name and parameters now
  return {name, [name, params] { return make_policy(name, params); }};
}

}  // namespace psw::scheduling
