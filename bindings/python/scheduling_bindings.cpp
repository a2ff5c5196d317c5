// psw.scheduling: the scheduling module and `psw schedule`'s Python twin. A policy can be
// written in Python by subclassing Policy (next, and optionally begin_lot, on_limit, on_check).
#include <memory>
#include <stdexcept>

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <psw/scheduling/monte_carlo.hpp>
#include <psw/scheduling/policies.hpp>
#include <psw/scheduling/route.hpp>
#include <psw/scheduling/scenario.hpp>
#include <psw/scheduling/simulator.hpp>
#include <psw/twin/scheduling_models.hpp>

#include "bindings.hpp"

namespace py = pybind11;

namespace psw::python {
namespace {

using namespace psw::scheduling;

// Lets Python classes override the policy's methods.
class PyPolicy : public Policy {
 public:
  using Policy::Policy;
  std::string name() const override { PYBIND11_OVERRIDE_PURE(std::string, Policy, name, ); }
  void begin_lot(LotView& view) override { PYBIND11_OVERRIDE(void, Policy, begin_lot, view); }
  Decision next(LotView& view) override { PYBIND11_OVERRIDE_PURE(Decision, Policy, next, view); }
  LimitAction on_limit(LotView& view, int joint) override {
    PYBIND11_OVERRIDE(LimitAction, Policy, on_limit, view, joint);
  }
  void on_check(LotView& view) override { PYBIND11_OVERRIDE(void, Policy, on_check, view); }
};

// A non-owning stand-in so that one Python policy object serves a Monte Carlo run.
class SharedPolicy final : public Policy {
 public:
  explicit SharedPolicy(std::shared_ptr<Policy> p) : p_(std::move(p)) {}
  std::string name() const override { return p_->name(); }
  void begin_lot(LotView& v) override { p_->begin_lot(v); }
  Decision next(LotView& v) override { return p_->next(v); }
  LimitAction on_limit(LotView& v, int j) override { return p_->on_limit(v, j); }
  void on_check(LotView& v) override { p_->on_check(v); }

 private:
  std::shared_ptr<Policy> p_;
};

}  // namespace

void bind_scheduling(py::module_& m) {
  py::class_<LogNormal>(m, "LogNormal", "Lognormal duration in seconds: T = exp(mu + sigma Z).")
      .def(py::init([](double mu, double sigma) {
             return LogNormal{mu, sigma};
           }),
           py::arg("mu"), py::arg("sigma"))
      .def_static("from_median_p99", &LogNormal::from_median_p99, py::arg("median_s"),
                  py::arg("p99_s"))
      .def_readwrite("mu", &LogNormal::mu)
      .def_readwrite("sigma", &LogNormal::sigma)
      .def("median", &LogNormal::median)
      .def("mean", &LogNormal::mean)
      .def("variance", &LogNormal::variance)
      .def("quantile", &LogNormal::quantile, py::arg("p"))
      .def("cdf", &LogNormal::cdf, py::arg("t_s"))
      .def("mean_residual", &LogNormal::mean_residual, py::arg("elapsed_s"),
           "E[T - e | T > e], seconds.");

  py::class_<CellModel>(m, "CellModel", "The weld cell's timing figures (SI).")
      .def(py::init<>())
      .def_readwrite("stage_speed_m_per_s", &CellModel::stage_speed_m_per_s)
      .def_readwrite("stage_settle_s", &CellModel::stage_settle_s)
      .def_readwrite("deposition_overhead_s", &CellModel::deposition_overhead_s)
      .def_readwrite("deposition_rate_m3_per_s", &CellModel::deposition_rate_m3_per_s)
      .def_readwrite("verify_s", &CellModel::verify_s)
      .def_readwrite("reheat_s", &CellModel::reheat_s)
      .def_readwrite("boost_speedup", &CellModel::boost_speedup)
      .def_readwrite("sintering_positions", &CellModel::sintering_positions,
                     "1: one joint at a time; 2: the laser sinters one joint while the head "
                     "deposits the next (docs/scheduling.md)")
      .def("validate", &CellModel::validate)
      .def("move_s", &CellModel::move_s, py::arg("x0"), py::arg("y0"), py::arg("x1"), py::arg("y1"))
      .def("deposition_s", &CellModel::deposition_s, py::arg("volume_m3"));

  py::class_<Joint>(m, "Joint")
      .def(py::init(
               [](double x_m, double y_m, double volume_m3, int priority, double sinter_work_s) {
                 return Joint{x_m, y_m, volume_m3, priority, sinter_work_s};
               }),
           py::arg("x_m"), py::arg("y_m"), py::arg("volume_m3"), py::arg("priority") = 0,
           py::arg("sinter_work_s") = 0.0)
      .def_readwrite("x_m", &Joint::x_m)
      .def_readwrite("y_m", &Joint::y_m)
      .def_readwrite("volume_m3", &Joint::volume_m3)
      .def_readwrite("priority", &Joint::priority)
      .def_readwrite("sinter_work_s", &Joint::sinter_work_s);
  py::class_<Lot>(m, "Lot")
      .def(py::init([](std::vector<Joint> joints) { return Lot{std::move(joints)}; }),
           py::arg("joints"))
      .def_readwrite("joints", &Lot::joints);

  py::class_<SinteringPredictor>(m, "SinteringPredictor")
      .def("predict", &SinteringPredictor::predict, py::arg("volume_m3"))
      .def("prior", &SinteringPredictor::prior, py::arg("volume_m3"))
      .def("observe", &SinteringPredictor::observe, py::arg("volume_m3"), py::arg("time_s"))
      .def("log_shift", &SinteringPredictor::log_shift)
      .def("observations", &SinteringPredictor::observations)
      .def("reset", &SinteringPredictor::reset);

  py::class_<PolicyParameters>(m, "PolicyParameters")
      .def(py::init<>())
      .def_readwrite("abort_timeout_s", &PolicyParameters::abort_timeout_s)
      .def_readwrite("park_quantile", &PolicyParameters::park_quantile)
      .def_readwrite("quantile", &PolicyParameters::quantile)
      .def_readwrite("quantile_window", &PolicyParameters::quantile_window)
      .def_readwrite("yellow_fraction", &PolicyParameters::yellow_fraction)
      .def_readwrite("red_fraction", &PolicyParameters::red_fraction)
      .def_readwrite("yellow_park_quantile", &PolicyParameters::yellow_park_quantile)
      .def_readwrite("check_lead_s", &PolicyParameters::check_lead_s);

  py::class_<Scenario>(m, "Scenario", "A scheduling scenario (see data/scheduling/default.yaml).")
      .def_static(
          "from_config",
          [](const Config& config) {
            // With the sintering- and stage-model plug-ins, as `psw schedule` reads it.
            return Scenario::from_config(config, twin::scheduling_models());
          },
          py::arg("config"))
      .def_readonly("name", &Scenario::name)
      .def_readonly("seed", &Scenario::seed)
      .def_readwrite("cell", &Scenario::cell)
      .def_readwrite("policy", &Scenario::policy)
      .def_readwrite("buffer_fraction", &Scenario::buffer_fraction)
      .def_readwrite("lot_deadline_s", &Scenario::lot_deadline_s)
      .def_readwrite("plan_quantile", &Scenario::plan_quantile)
      .def_readwrite("drift_per_joint", &Scenario::drift_per_joint)
      .def_readwrite("monte_carlo_lots", &Scenario::monte_carlo_lots)
      .def_readwrite("monte_carlo_threads", &Scenario::monte_carlo_threads)
      .def_property_readonly("joints_per_lot", [](const Scenario& s) { return s.lots.joints; })
      .def("describe_sintering", [](const Scenario& s) { return s.sintering->describe(); })
      .def(
          "predicted", [](const Scenario& s, double v) { return s.sintering->predicted(v); },
          py::arg("volume_m3"), "The sintering model's distribution for a deposit volume.")
      .def("make_lot", &Scenario::make_lot, py::arg("lot_index"))
      .def("make_predictor", &Scenario::make_predictor);
  m.def("default_scenario_yaml", [] { return std::string(default_scenario_yaml()); });

  py::class_<LotPlan>(m, "LotPlan")
      .def_readonly("route", &LotPlan::route)
      .def_readonly("planned_move_s", &LotPlan::planned_move_s)
      .def_readonly("deterministic_s", &LotPlan::deterministic_s)
      .def_readonly("sintering_sum", &LotPlan::sintering_sum)
      .def_readonly("planned_s", &LotPlan::planned_s)
      .def_readonly("sintering_positions", &LotPlan::sintering_positions)
      .def_readonly("buffer_s", &LotPlan::buffer_s)
      .def_readonly("deadline_s", &LotPlan::deadline_s);
  m.def("plan_lot", &plan_lot, py::arg("lot"), py::arg("cell"), py::arg("predictor"),
        py::arg("buffer_fraction") = 0.10, py::arg("lot_deadline_s") = kNoLimit,
        py::arg("plan_quantile") = 0.5,
        "Route (NN + 2-opt) and planned duration: deterministic chain + FW median of sum T.");

  m.def(
      "plan_route",
      [](const std::vector<std::pair<double, double>>& xy, double x0, double y0) {
        std::vector<Point> pts;
        for (const auto& [x, y] : xy) pts.push_back({x, y});
        return plan_route(pts, {x0, y0});
      },
      py::arg("points"), py::arg("x0") = 0.0, py::arg("y0") = 0.0,
      "Nearest neighbour + 2-opt open path through (x, y) points from (x0, y0).");

  py::enum_<JointState>(m, "JointState")
      .value("pending", JointState::pending)
      .value("active", JointState::active)
      .value("parked", JointState::parked)
      .value("done", JointState::done);
  py::enum_<EventKind>(m, "EventKind")
      .value("start", EventKind::start)
      .value("sintered", EventKind::sintered)
      .value("parked", EventKind::parked)
      .value("boost_on", EventKind::boost_on)
      .value("boost_off", EventKind::boost_off)
      .value("will_miss", EventKind::will_miss)
      .value("aborted", EventKind::aborted)
      .value("finished", EventKind::finished);
  py::class_<Event>(m, "Event")
      .def_readonly("time_s", &Event::time_s)
      .def_readonly("kind", &Event::kind)
      .def_readonly("joint", &Event::joint)
      .def_readonly("value", &Event::value);

  py::class_<LotView>(m, "LotView", "What a policy sees of a lot in progress.")
      .def("now_s", &LotView::now_s)
      .def("size", &LotView::size)
      .def("__len__", &LotView::size)
      .def("plan", &LotView::plan, py::return_value_policy::reference_internal)
      .def("cell", &LotView::cell, py::return_value_policy::reference_internal)
      .def("x_m", &LotView::x_m, py::arg("joint"))
      .def("y_m", &LotView::y_m, py::arg("joint"))
      .def("volume_m3", &LotView::volume_m3, py::arg("joint"))
      .def("priority", &LotView::priority, py::arg("joint"))
      .def("state", &LotView::state, py::arg("joint"))
      .def("work_done_s", &LotView::work_done_s, py::arg("joint"))
      .def("active", &LotView::active)
      .def("at_head", &LotView::at_head)
      .def("pending_count", &LotView::pending_count)
      .def("parked_count", &LotView::parked_count)
      .def("boost", &LotView::boost)
      .def("predicted", &LotView::predicted, py::arg("joint"))
      .def("projected_finish_s", &LotView::projected_finish_s, py::arg("rate") = 1.0)
      .def("set_boost", &LotView::set_boost, py::arg("on"))
      .def("report_will_miss", &LotView::report_will_miss, py::arg("predicted_overrun_s"))
      .def("request_check_at", &LotView::request_check_at, py::arg("t_s"));

  py::class_<Decision>(m, "Decision")
      .def_static("run", &Decision::run, py::arg("joint"), py::arg("limit_s") = kNoLimit)
      .def_static("abort", &Decision::abort)
      .def_static("finish", &Decision::finish)
      .def_readonly("joint", &Decision::joint)
      .def_readonly("limit_s", &Decision::limit_s);
  py::class_<LimitAction>(m, "LimitAction")
      .def_static("continue_to", &LimitAction::continue_to, py::arg("limit_s") = kNoLimit)
      .def_static("park", &LimitAction::park)
      .def_static("abort", &LimitAction::abort);

  py::class_<Policy, PyPolicy, std::shared_ptr<Policy>>(m, "Policy", R"doc(
A scheduling policy. Subclass it in Python and override name() and next(view); optionally
begin_lot(view), on_limit(view, joint) and on_check(view).)doc")
      .def(py::init<>())
      .def("name", &Policy::name)
      .def("begin_lot", &Policy::begin_lot, py::arg("view"))
      .def("next", &Policy::next, py::arg("view"))
      .def("on_limit", &Policy::on_limit, py::arg("view"), py::arg("joint"))
      .def("on_check", &Policy::on_check, py::arg("view"));
  m.def(
      "make_policy",
      [](const std::string& name, const PolicyParameters& params) {
        return std::shared_ptr<Policy>(make_policy(name, params));
      },
      py::arg("name"), py::arg("params") = PolicyParameters{});
  m.def("policy_names", &policy_names);

  py::class_<LotResult>(m, "LotResult")
      .def_property_readonly(
          "aborted", [](const LotResult& r) { return r.status == LotResult::Status::aborted; })
      .def_readonly("makespan_s", &LotResult::makespan_s)
      .def_readonly("planned_s", &LotResult::planned_s)
      .def_readonly("deadline_s", &LotResult::deadline_s)
      .def_readonly("within_deadline", &LotResult::within_deadline)
      .def_readonly("joints_done", &LotResult::joints_done)
      .def_readonly("laser_busy_s", &LotResult::laser_busy_s)
      .def_readonly("head_busy_s", &LotResult::head_busy_s)
      .def_readonly("stage_moving_s", &LotResult::stage_moving_s)
      .def_readonly("travel_m", &LotResult::travel_m)
      .def_readonly("parks", &LotResult::parks)
      .def_readonly("parked_joints", &LotResult::parked_joints)
      .def_readonly("boosted_joints", &LotResult::boosted_joints)
      .def_readonly("will_miss_at_s", &LotResult::will_miss_at_s)
      .def_readonly("predicted_overrun_s", &LotResult::predicted_overrun_s)
      .def_readonly("events", &LotResult::events);
  m.def(
      "simulate_lot",
      [](const Lot& lot, const LotPlan& plan, const CellModel& cell,
         const SinteringPredictor& predictor, Policy& policy, double drift_per_joint,
         bool record_events) {
        SimulationOptions options;
        options.drift_per_joint = drift_per_joint;
        options.record_events = record_events;
        return simulate_lot(lot, plan, cell, predictor, policy, options);
      },
      py::arg("lot"), py::arg("plan"), py::arg("cell"), py::arg("predictor"), py::arg("policy"),
      py::arg("drift_per_joint") = 0.0, py::arg("record_events") = false);

  py::class_<PolicySummary>(m, "PolicySummary")
      .def_readonly("policy", &PolicySummary::policy)
      .def_readonly("lots", &PolicySummary::lots)
      .def_readonly("makespan_p50_s", &PolicySummary::makespan_p50_s)
      .def_readonly("makespan_p90_s", &PolicySummary::makespan_p90_s)
      .def_readonly("makespan_p99_s", &PolicySummary::makespan_p99_s)
      .def_readonly("plan_mean_s", &PolicySummary::plan_mean_s)
      .def_readonly("over_target_fraction", &PolicySummary::over_target_fraction)
      .def_readonly("aborted", &PolicySummary::aborted)
      .def_readonly("laser_utilisation", &PolicySummary::laser_utilisation)
      .def_readonly("stage_utilisation", &PolicySummary::stage_utilisation)
      .def_readonly("parked_joints_per_lot", &PolicySummary::parked_joints_per_lot)
      .def_readonly("boosted_joints_per_lot", &PolicySummary::boosted_joints_per_lot)
      .def_readonly("missed", &PolicySummary::missed)
      .def_readonly("warned", &PolicySummary::warned)
      .def_readonly("missed_unwarned", &PolicySummary::missed_unwarned)
      .def_readonly("lead_time_p50_s", &PolicySummary::lead_time_p50_s)
      .def_readonly("makespans_s", &PolicySummary::makespans_s)
      .def_readonly("deadlines_s", &PolicySummary::deadlines_s)
      .def_readonly("aborted_lots", &PolicySummary::aborted_lots);

  m.def(
      "run_monte_carlo",
      [](const Scenario& scenario, const py::list& policies, std::size_t lots, int threads) {
        // Built-in policies by name; Python Policy objects share one instance, so one thread.
        std::vector<PolicyFactory> factories;
        bool python_policy = false;
        for (const py::handle item : policies) {
          if (py::isinstance<py::str>(item)) {
            factories.push_back(builtin_policy(item.cast<std::string>(), scenario.policy));
            continue;
          }
          auto policy = item.cast<std::shared_ptr<Policy>>();
          python_policy = true;
          factories.push_back(
              {policy->name(), [policy] { return std::make_unique<SharedPolicy>(policy); }});
        }
        if (python_policy && threads != 1) {
          throw std::invalid_argument("threads = " + std::to_string(threads) +
                                      " with a Python policy; a Python policy runs on 1 "
                                      "thread");
        }
        if (python_policy) return run_monte_carlo(scenario, factories, {lots, threads});
        py::gil_scoped_release release;
        return run_monte_carlo(scenario, factories, {lots, threads});
      },
      py::arg("scenario"), py::arg("policies"), py::arg("lots"), py::arg("threads") = 1,
      "Every policy (a built-in name or a Policy object) on the same lots.");
  m.def("format_table", &format_table, py::arg("summaries"));
}

}  // namespace psw::python
