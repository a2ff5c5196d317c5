// psw.mes: SECS-II items between bytes, tagged JSON text and SML, and the HSMS host and GEM
// equipment endpoints (the C++ psw::mes API). Items cross the boundary as tagged JSON text,
// messages in the dictionary's named JSON view; psw/mes.py turns both into Python objects.
//
// Threads and the GIL: every call that waits on a socket releases the GIL; the Python
// callbacks (message handlers, command handlers, variable readers) run with it held. A
// callback that raises does not unwind through the socket code: the error is kept, the
// endpoint stops at the next safe point and the error is raised again from the call that was
// waiting (Host.poll/request/…, Equipment.serve).
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <pybind11/stl.h>

#include <psw/mes/dictionary.hpp>
#include <psw/mes/gem.hpp>
#include <psw/mes/hsms_link.hpp>
#include <psw/mes/item.hpp>
#include <psw/mes/json.hpp>
#include <psw/mes/sml.hpp>

#include "bindings.hpp"

namespace py = pybind11;

namespace psw::python {

namespace {

// {"t3_s": 45, …} → Timers; an unknown key or a bad value is a ValueError naming it.
mes::hsms::Timers timers_of(const std::map<std::string, double>& values) {
  mes::hsms::Timers t;
  const std::map<std::string, double*> fields{{"t3_s", &t.t3_s}, {"t5_s", &t.t5_s},
                                              {"t6_s", &t.t6_s}, {"t7_s", &t.t7_s},
                                              {"t8_s", &t.t8_s}, {"linktest_s", &t.linktest_s}};
  for (const auto& [key, value] : values) {
    const auto it = fields.find(key);
    if (it == fields.end()) {
      throw std::invalid_argument("timers key '" + key +
                                  "' is not one of t3_s, t5_s, t6_s, t7_s, t8_s, linktest_s");
    }
    *it->second = value;
  }
  t.validate();
  return t;
}

// The first exception a Python callback raised while the GIL was released around socket code.
class CallbackError {
 public:
  // Runs `call` (GIL acquired); on a Python exception keeps it and returns `fallback`.
  template <class F, class T>
  T guard(F&& call, T fallback) {
    py::gil_scoped_acquire gil;
    try {
      return call();
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
      return fallback;
    }
  }
  bool raised() {
    std::lock_guard lock(mutex_);
    return static_cast<bool>(error_);
  }
  // Raises the kept error (call with the GIL held).
  void rethrow() {
    std::exception_ptr e;
    {
      std::lock_guard lock(mutex_);
      std::swap(e, error_);
    }
    if (e) std::rethrow_exception(e);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
};

const mes::Dictionary& dictionary() { return mes::Dictionary::builtin(); }

// An active HSMS-SS host: one Link, its handler calling back into Python.
class Host {
 public:
  Host(const std::string& host, std::uint16_t port, double timeout_s, std::uint16_t device_id,
       const std::map<std::string, double>& timers) {
    const auto t = timers_of(timers);
    std::string why;
    {
      py::gil_scoped_release release;
      link_ = mes::hsms::Link::connect(host, port, timeout_s, device_id, t, &why);
    }
    if (!link_) throw std::runtime_error(why);
    install();
  }

  void set_handler(py::object handler) { handler_ = std::move(handler); }

  bool select(double timeout_s) {
    return waiting([&] { return link_->select(timeout_s); });
  }

  // (status, reply named JSON or None, text)
  py::tuple request(const std::string& named_json, double timeout_s) {
    const mes::Message m = dictionary().from_named_json(named_json);
    const auto reply = waiting([&] { return link_->request(m, timeout_s); });
    static const char* names[] = {"ok", "timeout", "rejected", "closed"};
    py::object message = py::none();
    if (reply.message) message = py::str(dictionary().to_named_json(*reply.message));
    return py::make_tuple(names[static_cast<int>(reply.status)], message, reply.text);
  }

  std::size_t poll(double wait_s) {
    return waiting([&] { return link_->poll(wait_s).size(); });
  }
  bool linktest(double timeout_s) {
    return waiting([&] { return link_->linktest(timeout_s); });
  }
  void separate() {
    waiting([&] {
      link_->separate();
      return 0;
    });
  }
  void close() { link_->close(); }
  bool open() const { return link_->open(); }
  std::string state() { return mes::hsms::state_name(link_->session().state()); }

 private:
  // Runs a waiting Link call without the GIL, then raises what a callback raised.
  template <class F>
  std::invoke_result_t<F&> waiting(F&& call) {
    auto result = [&] {
      py::gil_scoped_release release;
      return call();
    }();
    errors_.rethrow();
    return result;
  }

  void install() {
    link_->set_handler([this](mes::hsms::Link& l, const mes::hsms::Event& e) {
      // Primaries get the handler's reply, or the default acknowledgement.
      std::optional<mes::Message> reply;
      const bool primary = e.kind == mes::hsms::Event::Kind::primary_received;
      if (handler_) {
        reply = errors_.guard(
            [&]() -> std::optional<mes::Message> {
              py::object message = py::none();
              if (e.message) {
                try {
                  message = py::str(dictionary().to_named_json(*e.message));
                } catch (const std::invalid_argument&) {
                  // Not in the dictionary's shape (a header-only S9F1 seen as another
                  // device's): the name, the W-bit and the tagged body if there is one.
                  std::string json = "{\"message\":\"" + e.message->name() +
                                     "\",\"W\":" + (e.message->reply_expected ? "true" : "false");
                  if (e.message->body) json += ",\"item\":" + mes::to_json(*e.message->body);
                  message = py::str(json + "}");
                }
              }
              py::object out =
                  handler_(mes::hsms::event_name(e.kind), message, e.system_bytes, e.text);
              if (out.is_none() || !primary) return std::nullopt;
              return dictionary().from_named_json(out.cast<std::string>());
            },
            std::optional<mes::Message>{});
      }
      if (!primary || !e.message->reply_expected) return;
      if (!reply) reply = mes::gem::host_acknowledge(*e.message);
      if (reply) l.reply(*reply, e.system_bytes);
    });
  }

  std::unique_ptr<mes::hsms::Link> link_;
  py::object handler_;
  CallbackError errors_;
};

// How long the serve loop waits for S6F12/S5F2 before it goes back to polling (and to
// checking stop()); the transaction stays open until T3, whose expiry sends S9F9.
constexpr double kReportWait_s = 1.0;

// A passive GEM equipment: a Listener, gem::Equipment, and a serve loop without the GIL.
class Equipment {
 public:
  Equipment(const std::string& model, const std::string& softrev, std::uint16_t port,
            std::uint16_t device_id, const std::map<std::string, double>& timers,
            const std::string& host)
      : equipment_(model, softrev),
        timers_(timers_of(timers)),
        listener_(port, host),
        device_id_(device_id) {}

  std::uint16_t port() const { return listener_.port(); }

  // Readers return tagged JSON text; definitions happen before serve() starts.
  void add_status_variable(std::uint32_t svid, const std::string& name, const std::string& units,
                           py::object read) {
    equipment_.add_status_variable(svid, name, units, reader(std::move(read)));
  }
  void add_equipment_constant(std::uint32_t ecid, const std::string& name, const std::string& units,
                              py::object read) {
    equipment_.add_equipment_constant(ecid, name, units, reader(std::move(read)));
  }
  void add_variable(std::uint32_t vid, py::object read) {
    equipment_.add_variable(vid, reader(std::move(read)));
  }
  void add_event(std::uint32_t ceid) { equipment_.add_event(ceid); }

  // handler(params: list of (name, tagged JSON)) → HCACK
  void on_command(const std::string& rcmd, py::object handler) {
    auto h = std::make_shared<py::object>(std::move(handler));
    handlers_.push_back(h);
    equipment_.on_command(rcmd, [this, h](const mes::gem::CommandParameters& params) {
      return errors_.guard(
          [&]() -> std::uint8_t {
            py::list list;
            for (const auto& [name, value] : params) {
              list.append(py::make_tuple(name, mes::to_json(value)));
            }
            return (*h)(list).cast<std::uint8_t>();
          },
          std::uint8_t{2});  // cannot perform now
    });
  }

  // Queued here, sent by serve() once selected (thread-safe).
  void report_event(std::uint32_t ceid) {
    std::lock_guard lock(mutex_);
    pending_.push_back(ceid);
  }

  // S5F1 for alarm `alid`, queued like report_event (thread-safe).
  void report_alarm(std::uint32_t alid, bool set, std::uint8_t category, const std::string& text) {
    std::lock_guard lock(mutex_);
    alarms_.push_back({alid, set, category, text});
  }

  void stop() { stop_ = true; }
  // Clears a stop() before the next serve (on the caller's thread, so a stop() that follows
  // a start() at once is never lost).
  void rearm() { stop_ = false; }

  // Serves hosts one connection at a time until stop() or `duration_s` (0: no limit).
  void serve(double duration_s) {
    {
      py::gil_scoped_release release;
      run(duration_s);
    }
    errors_.rethrow();
  }

  std::string comm_state() const { return communicating_ ? "COMMUNICATING" : "NOT COMMUNICATING"; }
  std::string control_state() const {
    switch (control_.load()) {
      case mes::gem::ControlState::host_offline:
        return "HOST OFF-LINE";
      case mes::gem::ControlState::online_local:
        return "ON-LINE LOCAL";
      default:
        return "ON-LINE REMOTE";
    }
  }
  bool connected() const { return connected_; }

 private:
  std::function<mes::Item()> reader(py::object read) {
    auto r = std::make_shared<py::object>(std::move(read));
    handlers_.push_back(r);
    return [this, r] {
      return errors_.guard([&] { return mes::item_from_json((*r)().cast<std::string>()); },
                           mes::Item::list({}));
    };
  }

  void run(double duration_s) {
    using mes::hsms::Link;
    const double end = duration_s > 0 ? Link::now_s() + duration_s : 1e300;
    auto done = [&] { return stop_ || errors_.raised() || Link::now_s() >= end; };
    while (!done()) {
      auto link = listener_.accept(0.05, device_id_, timers_);
      if (!link) continue;
      connected_ = true;
      link->set_handler([this](mes::hsms::Link& l, const mes::hsms::Event& e) {
        auto out = equipment_.respond(e, device_id_);
        publish();  // before the reply goes out, so a host that reads it sees the new state
        if (!out) return;
        if (out->reply_to) {
          l.reply(out->message, *out->reply_to);
        } else {
          l.request(out->message, 0);
        }
      });
      while (link->open() && !done()) {
        link->poll(0.02);
        publish();
        std::vector<std::uint32_t> events;
        std::vector<Alarm> alarms;
        {
          std::lock_guard lock(mutex_);
          if (link->session().state() == mes::hsms::State::selected) {
            std::swap(events, pending_);
            std::swap(alarms, alarms_);
          }
        }
        for (const Alarm& a : alarms) {
          if (auto report = equipment_.alarm_report(a.alid, a.set, a.category, a.text)) {
            link->request(*report, kReportWait_s);
          }
        }
        for (std::uint32_t ceid : events) {
          if (auto report = equipment_.event_report(ceid)) link->request(*report, kReportWait_s);
        }
      }
      if (link->open()) link->separate();
      connected_ = false;
    }
  }

  void publish() {
    communicating_ = equipment_.comm_state() == mes::gem::CommState::communicating;
    control_ = equipment_.control_state();
  }

  mes::gem::Equipment equipment_;
  mes::hsms::Timers timers_;
  mes::hsms::Listener listener_;
  std::uint16_t device_id_;
  std::vector<std::shared_ptr<py::object>> handlers_;
  CallbackError errors_;
  std::mutex mutex_;
  std::vector<std::uint32_t> pending_;
  struct Alarm {
    std::uint32_t alid;
    bool set;
    std::uint8_t category;
    std::string text;
  };
  std::vector<Alarm> alarms_;
  std::atomic<bool> stop_{false}, connected_{false}, communicating_{false};
  std::atomic<mes::gem::ControlState> control_{mes::gem::ControlState::online_remote};
};

}  // namespace

void bind_mes(py::module_& m) {
  m.def(
      "encode_json",
      [](const std::string& json) {
        const auto bytes = mes::encode(mes::item_from_json(json));
        return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      },
      py::arg("json"),
      "SECS-II bytes of the item given as tagged JSON text. Raises ValueError naming the JSON "
      "path of a value that fits no format.");
  m.def(
      "decode_json",
      [](const py::bytes& data, std::size_t max_bytes, std::size_t max_depth, int indent) {
        const std::string_view view = data;
        mes::DecodeOptions options;
        options.max_bytes = max_bytes;
        options.max_depth = max_depth;
        const auto item =
            mes::decode({reinterpret_cast<const std::uint8_t*>(view.data()), view.size()}, options);
        return mes::to_json(item, indent);
      },
      py::arg("data"), py::arg("max_bytes") = mes::DecodeOptions{}.max_bytes,
      py::arg("max_depth") = mes::DecodeOptions{}.max_depth, py::arg("indent") = -1,
      "Tagged JSON text of the one item that fills `data`. Raises ValueError naming the byte "
      "offset and the reason for malformed bytes.");
  m.def(
      "json_to_sml",
      [](const std::string& json, int indent) {
        return mes::to_sml(mes::item_from_json(json), indent);
      },
      py::arg("json"), py::arg("indent") = 2, "SML text of an item given as tagged JSON text.");
  m.def(
      "sml_to_json",
      [](const std::string& sml, const std::string& source) {
        return mes::to_json(mes::parse_sml_item(sml, source));
      },
      py::arg("sml"), py::arg("source") = "<sml>",
      "Tagged JSON text of an item given in SML. Raises ValueError 'source:line:column: …'.");
  m.def(
      "named_json_to_sml",
      [](const std::string& json, int indent) {
        return mes::to_sml(mes::Dictionary::builtin().from_named_json(json), indent);
      },
      py::arg("json"), py::arg("indent") = 2,
      "SML of a message written in the named JSON view (data/secs/messages.yaml).");
  m.def(
      "sml_to_named_json",
      [](const std::string& sml, const std::string& source) {
        return mes::Dictionary::builtin().to_named_json(mes::parse_sml_message(sml, source));
      },
      py::arg("sml"), py::arg("source") = "<sml>",
      "The named JSON view of a message given in SML (`S1F13 W <L>.`).");

  py::class_<Host>(m, "Host",
                   "An active HSMS-SS host on one TCP connection (loopback addresses in tests). "
                   "Use psw.mes.Host, which wraps this class.")
      .def(py::init<const std::string&, std::uint16_t, double, std::uint16_t,
                    const std::map<std::string, double>&>(),
           py::arg("host"), py::arg("port"), py::arg("timeout_s"), py::arg("device_id"),
           py::arg("timers"),
           "Connects within timeout_s (s). RuntimeError naming the address when refused.")
      .def("set_handler", &Host::set_handler, py::arg("handler"),
           "handler(kind, message_json_or_None, system_bytes, text) → reply JSON or None.")
      .def("select", &Host::select, py::arg("timeout_s"))
      .def("request", &Host::request, py::arg("message"), py::arg("timeout_s"),
           "(status, reply named JSON or None, text); status ok, timeout, rejected or closed.")
      .def("poll", &Host::poll, py::arg("wait_s"))
      .def("linktest", &Host::linktest, py::arg("timeout_s"))
      .def("separate", &Host::separate)
      .def("close", &Host::close)
      .def_property_readonly("open", &Host::open)
      .def_property_readonly("state", &Host::state);

  py::class_<Equipment>(m, "Equipment",
                        "A passive GEM equipment (127.0.0.1 unless told another address). Use "
                        "psw.mes.Equipment.")
      .def(py::init<const std::string&, const std::string&, std::uint16_t, std::uint16_t,
                    const std::map<std::string, double>&, const std::string&>(),
           py::arg("model"), py::arg("software_revision"), py::arg("port"), py::arg("device_id"),
           py::arg("timers"), py::arg("host") = "127.0.0.1")
      .def_property_readonly("port", &Equipment::port)
      .def("add_status_variable", &Equipment::add_status_variable, py::arg("svid"), py::arg("name"),
           py::arg("units"), py::arg("read"))
      .def("add_equipment_constant", &Equipment::add_equipment_constant, py::arg("ecid"),
           py::arg("name"), py::arg("units"), py::arg("read"))
      .def("add_variable", &Equipment::add_variable, py::arg("vid"), py::arg("read"))
      .def("add_event", &Equipment::add_event, py::arg("ceid"))
      .def("on_command", &Equipment::on_command, py::arg("rcmd"), py::arg("handler"))
      .def("report_event", &Equipment::report_event, py::arg("ceid"))
      .def("report_alarm", &Equipment::report_alarm, py::arg("alid"), py::arg("set"),
           py::arg("category"), py::arg("text"))
      .def("serve", &Equipment::serve, py::arg("duration_s"))
      .def("stop", &Equipment::stop)
      .def("rearm", &Equipment::rearm)
      .def_property_readonly("comm_state", &Equipment::comm_state)
      .def_property_readonly("control_state", &Equipment::control_state)
      .def_property_readonly("connected", &Equipment::connected);
}

}  // namespace psw::python
