// psw.core: config loading, ranges, RNG streams, logging level, physical constants.
#include "bindings.hpp"

#include <psw/core/config.hpp>
#include <psw/core/constants.hpp>
#include <psw/core/log.hpp>
#include <psw/core/rng.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace psw::python {
namespace {

std::string_view kind_name(Config::Kind kind) {
  switch (kind) {
    case Config::Kind::map: return "map";
    case Config::Kind::sequence: return "sequence";
    case Config::Kind::scalar: return "scalar";
    case Config::Kind::null: break;
  }
  return "null";
}

// A Python scalar as YAML text, for Config.set().
std::string yaml_scalar(const py::handle& value) {
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::int_>(value)) return py::str(value).cast<std::string>();
  if (py::isinstance<py::float_>(value)) return py::repr(value).cast<std::string>();
  if (py::isinstance<py::str>(value)) {
    // Quoted, so that "1e3" set as a string stays a string.
    std::string text = "\"";
    for (char c : value.cast<std::string>()) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    return text + "\"";
  }
  throw py::type_error("Config.set takes a bool, int, float or str, got " +
                       py::str(py::type::of(value)).cast<std::string>());
}

template <typename Fill>
py::array_t<double> fill_array(std::size_t size, Fill fill) {
  py::array_t<double> out(static_cast<py::ssize_t>(size));
  auto view = out.mutable_unchecked<1>();
  for (py::ssize_t i = 0; i < view.shape(0); ++i) view(i) = fill();
  return out;
}

void bind_range(py::module_& m) {
  py::class_<Range>(m, "Range", "An interval of accepted values, each end open or closed.")
      .def(py::init<double, double, bool, bool>(), py::arg("lo"), py::arg("hi"),
           py::arg("lo_open") = false, py::arg("hi_open") = false)
      .def_static("closed", &Range::closed, py::arg("lo"), py::arg("hi"))
      .def_static("open", &Range::open, py::arg("lo"), py::arg("hi"))
      .def_static("open_closed", &Range::open_closed, py::arg("lo"), py::arg("hi"))
      .def_static("closed_open", &Range::closed_open, py::arg("lo"), py::arg("hi"))
      .def_static("positive", &Range::positive)
      .def_static("non_negative", &Range::non_negative)
      .def_static("finite", &Range::finite)
      .def_readonly("lo", &Range::lo)
      .def_readonly("hi", &Range::hi)
      .def("contains", &Range::contains, py::arg("value"))
      .def("__contains__", &Range::contains)
      .def("__repr__", [](const Range& r) { return "Range" + r.to_string(); });
}

void bind_config(py::module_& m) {
  using Opt = std::optional<double>;
  py::class_<Config>(m, "Config", R"doc(
A view of one node of a YAML case file. Reading a key marks it accepted; finish() rejects every
key of the node that was never read, naming the file, line, key and the accepted keys. Keys with a
unit suffix (thickness_nm) are read in SI with get_si(). Errors raise ValueError.)doc")
      .def_static("load_file", &Config::load_file, py::arg("path"), "Parse a YAML file.")
      .def_static("parse", &Config::parse, py::arg("text"), py::arg("source") = "<string>",
                  "Parse YAML text; `source` names it in error messages.")
      .def_property_readonly("source", &Config::source)
      .def_property_readonly("key_path", &Config::key_path)
      .def_property_readonly("kind", [](const Config& c) { return kind_name(c.kind()); })
      .def("location", &Config::location)
      .def("has", &Config::has, py::arg("key"))
      .def("__contains__", &Config::has)
      .def("keys", &Config::keys)
      .def("accept", &Config::accept, py::arg("key"))
      .def("section", &Config::section, py::arg("key"))
      .def("optional_section", &Config::optional_section, py::arg("key"))
      .def("child", &Config::child, py::arg("key"))
      .def("finish", &Config::finish, "Raise ValueError for keys that were never read.")
      .def("__len__", &Config::size)
      .def("item", &Config::item, py::arg("index"))
      .def("__getitem__", &Config::item)
      .def("list", &Config::list, py::arg("key"))
      .def("get_double",
           [](const Config& c, std::string_view key, Opt fallback, const Range& range) {
             return fallback ? c.get_double(key, *fallback, range) : c.get_double(key, range);
           },
           py::arg("key"), py::arg("default") = py::none(), py::arg("range") = Range::finite())
      .def("get_si",
           [](const Config& c, std::string_view key, Opt fallback, const Range& range) {
             return fallback ? c.get_si(key, *fallback, range) : c.get_si(key, range);
           },
           py::arg("key"), py::arg("default") = py::none(), py::arg("range") = Range::finite(),
           "Read a unit-suffixed key in SI; `range` and `default` are in the key's unit.")
      .def("get_int",
           [](const Config& c, std::string_view key, std::optional<std::int64_t> fallback,
              const Range& range) {
             return fallback ? c.get_int(key, *fallback, range) : c.get_int(key, range);
           },
           py::arg("key"), py::arg("default") = py::none(), py::arg("range") = Range::finite())
      .def("get_bool",
           [](const Config& c, std::string_view key, std::optional<bool> fallback) {
             return fallback ? c.get_bool(key, *fallback) : c.get_bool(key);
           },
           py::arg("key"), py::arg("default") = py::none())
      .def("get_string",
           [](const Config& c, std::string_view key, std::optional<std::string> fallback) {
             return fallback ? c.get_string(key, *fallback) : c.get_string(key);
           },
           py::arg("key"), py::arg("default") = py::none())
      .def("get_doubles",
           [](const Config& c, std::string_view key, const Range& range) {
             const std::vector<double> values = c.get_doubles(key, range);
             return py::array_t<double>(static_cast<py::ssize_t>(values.size()), values.data());
           },
           py::arg("key"), py::arg("range") = Range::finite())
      .def("set",
           [](Config& c, std::string_view path, const py::handle& value) {
             c.set(path, yaml_scalar(value));
           },
           py::arg("path"), py::arg("value"),
           "Set the scalar at a dotted key path (`source.fluence_J_per_m2`).")
      .def("to_yaml", &Config::to_yaml)
      .def("__repr__", [](const Config& c) {
        return "<psw.core.Config " + std::string(kind_name(c.kind())) + " '" + c.key_path() +
               "' at " + c.location() + ">";
      });
}

void bind_rng(py::module_& m) {
  py::class_<RngStream>(m, "RngStream", R"doc(
A reproducible random stream fixed by (seed, stream_id). substream(i) depends only on this
stream's key and i, so a sweep that gives point i the stream root.substream(i) draws the same
numbers on any number of threads or MPI ranks.)doc")
      .def(py::init<std::uint64_t, std::uint64_t>(), py::arg("seed"), py::arg("stream_id") = 0)
      .def("substream", &RngStream::substream, py::arg("index"))
      .def_property_readonly("key", &RngStream::key)
      .def("next_u64", [](RngStream& r) { return r(); }, "The next raw 64-bit output.")
      .def("uniform",
           [](RngStream& r, std::optional<std::size_t> size) -> py::object {
             if (!size) return py::float_(r.uniform());
             return fill_array(*size, [&] { return r.uniform(); });
           },
           py::arg("size") = py::none(), "Uniform on [0, 1): a float, or an array of `size`.")
      .def("normal",
           [](RngStream& r, std::optional<std::size_t> size) -> py::object {
             if (!size) return py::float_(r.normal());
             return fill_array(*size, [&] { return r.normal(); });
           },
           py::arg("size") = py::none(), "Standard normal: a float, or an array of `size`.")
      .def("below",
           [](RngStream& r, std::uint64_t n) {
             if (n == 0) throw std::invalid_argument("RngStream.below: n = 0 is outside [1, 2^64)");
             return r.below(n);
           },
           py::arg("n"), "Uniform integer in [0, n).");
}

void bind_log(py::module_& m) {
  m.def("set_log_level",
        [](std::string_view level) { log::set_level(log::parse_level(level)); },
        py::arg("level"), "trace, debug, info, warn, error or off.");
  m.def("log_level", [] { return std::string(log::to_string(log::level())); });
}

void bind_constants(py::module_& m) {
  auto c = m.def_submodule("constants", "CODATA 2018 constants, SI units");
  c.attr("speed_of_light") = constants::kSpeedOfLight;
  c.attr("planck") = constants::kPlanck;
  c.attr("reduced_planck") = constants::kReducedPlanck;
  c.attr("elementary_charge") = constants::kElementaryCharge;
  c.attr("boltzmann") = constants::kBoltzmann;
  c.attr("avogadro") = constants::kAvogadro;
  c.attr("gas_constant") = constants::kGasConstant;
  c.attr("vacuum_permittivity") = constants::kVacuumPermittivity;
  c.attr("vacuum_permeability") = constants::kVacuumPermeability;
  c.attr("electron_mass") = constants::kElectronMass;
  c.attr("atomic_mass_unit") = constants::kAtomicMassUnit;
  c.attr("stefan_boltzmann") = constants::kStefanBoltzmann;
  c.attr("electron_volt") = constants::kElectronVolt;
}

}  // namespace

void bind_core(py::module_& m) {
  bind_range(m);
  bind_config(m);
  bind_rng(m);
  bind_log(m);
  bind_constants(m);
}

}  // namespace psw::python
