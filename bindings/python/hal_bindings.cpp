// psw.hal: device URIs, the positioner and the HV supply (behind the safety policy).
// Driver calls return a Result (ok, value, kind, code, message), never raise for an expected
// outcome; a malformed URI raises ValueError, a failed connection RuntimeError.
#include <stdexcept>

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <psw/hal/hil_runner.hpp>
#include <psw/hal/twin_server.hpp>
#include <psw/hal/uri.hpp>

#include "bindings.hpp"

namespace py = pybind11;

namespace psw::python {

namespace {

struct PyResult {
  bool ok = true;
  py::object value = py::none();
  std::string kind = "none";
  int code = 0;
  std::string message;
};

template <class T>
PyResult wrap(const hal::Result<T>& r) {
  PyResult out;
  out.ok = r.ok();
  if (r.ok()) {
    if constexpr (!std::is_same_v<T, hal::Done>) out.value = py::cast(r.value());
    return out;
  }
  out.kind = hal::to_string(r.kind());
  out.code = r.error().code;
  out.message = r.error().message;
  return out;
}

}  // namespace

void bind_hal(py::module_& m) {
  py::class_<PyResult>(m, "Result", "A driver call's outcome: a value, or an error kind.")
      .def_readonly("ok", &PyResult::ok)
      .def_readonly("value", &PyResult::value)
      .def_readonly("kind", &PyResult::kind, "none, transport, protocol, device or safety")
      .def_readonly("code", &PyResult::code, "the instrument's own error code (device errors)")
      .def_readonly("message", &PyResult::message)
      .def("__bool__", [](const PyResult& r) { return r.ok; })
      .def("__repr__", [](const PyResult& r) {
        return r.ok ? "Result(ok)" : "Result(" + r.kind + ": " + r.message + ")";
      });

  py::class_<hal::TravelLimits>(m, "TravelLimits")
      .def_readonly("min_m", &hal::TravelLimits::min_m)
      .def_readonly("max_m", &hal::TravelLimits::max_m);

  py::class_<hal::HvStatus>(m, "HvStatus")
      .def_readonly("on", &hal::HvStatus::on)
      .def_readonly("ramping", &hal::HvStatus::ramping)
      .def_readonly("emergency_off", &hal::HvStatus::emergency_off)
      .def_readonly("constant_current", &hal::HvStatus::constant_current)
      .def_readonly("constant_voltage", &hal::HvStatus::constant_voltage)
      .def_readonly("current_trip", &hal::HvStatus::current_trip)
      .def_readonly("arc", &hal::HvStatus::arc)
      .def_readonly("external_inhibit", &hal::HvStatus::external_inhibit)
      .def_readonly("safety_loop_closed", &hal::HvStatus::safety_loop_closed)
      .def("faulted", &hal::HvStatus::faulted);

  py::class_<hal::Clock>(m, "Clock")
      .def("now_s", &hal::Clock::now_s)
      .def("sleep_for", &hal::Clock::sleep_for, py::arg("dt_s"),
           "Waits dt_s seconds (on a simulated clock: advances it, instantly).");

  using P = hal::Positioner;
  py::class_<P>(m, "Positioner", "A closed-loop positioner; positions in metres.")
      .def("initialize", [](P& p) { return wrap(p.initialize()); })
      .def_property_readonly("identity", &P::identity)
      .def_property_readonly("axes", &P::axes)
      .def(
          "set_servo", [](P& p, const std::string& a, bool on) { return wrap(p.set_servo(a, on)); },
          py::arg("axis"), py::arg("on"))
      .def(
          "servo", [](P& p, const std::string& a) { return wrap(p.servo(a)); }, py::arg("axis"))
      .def(
          "move_to", [](P& p, const std::string& a, double x) { return wrap(p.move_to(a, x)); },
          py::arg("axis"), py::arg("target_m"))
      .def(
          "move_by", [](P& p, const std::string& a, double d) { return wrap(p.move_by(a, d)); },
          py::arg("axis"), py::arg("delta_m"))
      .def(
          "set_velocity",
          [](P& p, const std::string& a, double v) { return wrap(p.set_velocity(a, v)); },
          py::arg("axis"), py::arg("m_per_s"))
      .def(
          "position", [](P& p, const std::string& a) { return wrap(p.position(a)); },
          py::arg("axis"))
      .def(
          "on_target", [](P& p, const std::string& a) { return wrap(p.on_target(a)); },
          py::arg("axis"))
      .def("stop", [](P& p) { return wrap(p.stop()); })
      .def(
          "limits", [](P& p, const std::string& a) { return wrap(p.limits(a)); }, py::arg("axis"));

  using H = hal::SafeHvSupply;
  py::class_<H>(m, "HvSupply", "An HV supply behind psw's safety policy; volts, amperes.")
      .def("identify", [](H& h) { return wrap(h.identify()); })
      .def(
          "set_voltage", [](H& h, double v) { return wrap(h.set_voltage(v)); },
          py::arg("voltage_V"))
      .def(
          "set_current_limit", [](H& h, double i) { return wrap(h.set_current_limit(i)); },
          py::arg("current_A"))
      .def(
          "set_ramp_rate", [](H& h, double r) { return wrap(h.set_ramp_rate(r)); },
          py::arg("V_per_s"))
      .def(
          "set_output", [](H& h, bool on) { return wrap(h.set_output(on)); }, py::arg("on"))
      .def("emergency_off", [](H& h) { return wrap(h.emergency_off()); })
      .def("measured_voltage", [](H& h) { return wrap(h.measured_voltage()); })
      .def("measured_current", [](H& h) { return wrap(h.measured_current()); })
      .def("status", [](H& h) { return wrap(h.status()); })
      .def("acknowledge", [](H& h) { return wrap(h.acknowledge()); })
      .def_property_readonly("latched", &H::latched)
      .def_property_readonly("latch_reason", &H::latch_reason)
      .def_property_readonly("assumed_on", &H::assumed_on,
                             "True until a status read since the last (re)connect said off")
      .def_property_readonly("reconnects", &H::reconnects);

  py::class_<hal::Connection>(m, "Connection")
      .def("positioner", &hal::Connection::positioner, py::return_value_policy::reference_internal)
      .def("hv", &hal::Connection::hv, py::return_value_policy::reference_internal)
      .def("clock", &hal::Connection::clock, py::return_value_policy::reference_internal);

  py::class_<hal::TwinServer>(m, "TwinServer",
                              "The emulator of `psw twin serve`, in this process (docs/hal.md).")
      .def(py::init([](const std::string& gcs, const std::string& hv, const std::string& control,
                       double rate, bool fast, double step_s) {
             hal::TwinServerOptions o;
             o.gcs_address = gcs;
             o.hv_address = hv;
             o.control_address = control;
             o.rate = rate;
             o.as_fast_as_possible = fast;
             o.step_s = step_s;
             return std::make_unique<hal::TwinServer>(o);
           }),
           py::arg("gcs") = "127.0.0.1:0", py::arg("hv") = "127.0.0.1:0",
           py::arg("control") = "127.0.0.1:0", py::arg("rate") = 1.0, py::arg("fast") = false,
           py::arg("step_s") = 1e-3,
           "HOST:PORT for each server (port 0: any free port; '': none); rate: simulated s per "
           "wall s, (0, 1000]; fast: step as fast as possible; step_s: physics step, (0, 0.1].")
      .def_property_readonly("gcs_port", &hal::TwinServer::gcs_port)
      .def_property_readonly("hv_port", &hal::TwinServer::hv_port)
      .def_property_readonly("control_port", &hal::TwinServer::control_port)
      .def_property_readonly("time_s", &hal::TwinServer::time_s, "the twin's simulated time")
      .def_property_readonly("steps", &hal::TwinServer::steps, "physics steps taken")
      .def("control", &hal::TwinServer::control, py::arg("line"),
           "One control-port command (a JSON object as text); its JSON answer as text.")
      .def("stop", &hal::TwinServer::stop, py::call_guard<py::gil_scoped_release>());

  m.def(
      "run_fixed_rate",
      [](double period_s, std::int64_t cycles,
         const std::function<void(std::int64_t, double)>& body, double bin_s, int bins) {
        hal::SteadyClock clock;
        hal::HilOptions o{period_s, cycles, bin_s, bins};
        const auto r = hal::run_fixed_rate(clock, o, body);
        py::dict out;
        out["cycles"] = r.cycles;
        out["overruns"] = r.overruns;
        out["p50_s"] = r.p50_s;
        out["p99_s"] = r.p99_s;
        out["max_s"] = r.max_s;
        out["bin_s"] = r.bin_s;
        out["histogram"] = r.histogram;
        return out;
      },
      py::arg("period_s"), py::arg("cycles"), py::arg("body"), py::arg("bin_s") = 10e-6,
      py::arg("bins") = 100,
      "Calls body(k, t_wake_s) every period_s on the steady clock for `cycles` cycles; returns "
      "the wake-up lateness figures (p50_s, p99_s, max_s, overruns, histogram).");

  m.def(
      "connect",
      [](const std::string& uri) {
        auto c = hal::connect(uri);
        if (!c) throw std::runtime_error(c.error().message);
        return std::move(c.value());
      },
      py::arg("uri"),
      "Connects to the device named by `uri` (sim://gcs, tcp://127.0.0.1:50000?protocol=gcs, "
      "...). Raises ValueError for a malformed URI, RuntimeError when the connection fails.");
}

}  // namespace psw::python
