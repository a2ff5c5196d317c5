// psw.hal: device URIs, the positioner and the HV supply (behind the safety policy).
// Driver calls return a Result (ok, value, kind, code, message), never raise for an expected
// outcome; a malformed URI raises ValueError, a failed connection RuntimeError.
#include <stdexcept>

#include <pybind11/stl.h>

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
      .def_property_readonly("latch_reason", &H::latch_reason);

  py::class_<hal::Connection>(m, "Connection")
      .def("positioner", &hal::Connection::positioner, py::return_value_policy::reference_internal)
      .def("hv", &hal::Connection::hv, py::return_value_policy::reference_internal)
      .def("clock", &hal::Connection::clock, py::return_value_policy::reference_internal);

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
