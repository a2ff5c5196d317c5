#include <chrono>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include <psw/core/error.hpp>
#include <psw/hal/twin_server.hpp>

namespace psw::hal {

namespace {

using Json = nlohmann::json;

double wall_now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void wall_sleep(double dt_s) {
  if (dt_s > 0.0) std::this_thread::sleep_for(std::chrono::duration<double>(dt_s));
}

}  // namespace

void TwinClock::sleep_for(double dt_s) {
  // Waits on the twin's time, which the stepper moves; polls the wall clock briefly.
  const double until = now_s() + dt_s;
  while (now_s() < until) wall_sleep(1e-4);
}

// A simulated device as its TCP server sees it: one lock around the model (the stepper, the
// server thread and the control port all reach it) and the reply faults the control port sets.
class TwinServer::Device final : public ProtocolServer {
 public:
  explicit Device(ProtocolServer& model) : model_(&model) {}

  std::string on_bytes(std::string_view bytes, double now_s) override {
    std::string reply;
    double delay = 0.0;
    {
      std::lock_guard<std::mutex> lock(mutex);
      reply = model_->on_bytes(bytes, now_s);
      if (reply.empty()) return reply;

      // Reply faults, in order: dropped, garbled, held back.
      if (drop > 0) {
        --drop;
        return "";
      }
      if (corrupt > 0) {
        --corrupt;
        for (char& c : reply)
          if (c != '\r' && c != '\n') c = static_cast<char>(c ^ 0x80);
      }
      delay = delay_s;
    }
    wall_sleep(delay);
    return reply;
  }

  std::mutex mutex;
  int drop = 0;
  int corrupt = 0;
  double delay_s = 0.0;

 private:
  ProtocolServer* model_;
};

// The control port's protocol: JSON lines in, JSON lines out.
class TwinServer::ControlProtocol final : public ProtocolServer {
 public:
  explicit ControlProtocol(TwinServer& twin) : twin_(&twin) {}

  std::string on_bytes(std::string_view bytes, double) override {
    buffer_.append(bytes);
    std::string out;
    for (auto end = buffer_.find('\n'); end != std::string::npos; end = buffer_.find('\n')) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) out += twin_->control(line) + "\n";
    }
    if (buffer_.size() > kMaxLineBytes) {
      buffer_.clear();
      out += Json{{"ok", false}, {"error", "control line longer than 65536 bytes"}}.dump() + "\n";
    }
    return out;
  }

 private:
  static constexpr std::size_t kMaxLineBytes = 65536;
  TwinServer* twin_;
  std::string buffer_;
};

void TwinServerOptions::validate() const {
  require_in_range("twin.step_s", step_s, Range::open_closed(0, 0.1));
  require_in_range("twin.rate", rate, Range::open_closed(0, 1000));
  for (const auto& [field, text] :
       {std::pair{"twin.gcs_address", gcs_address}, std::pair{"twin.hv_address", hv_address},
        std::pair{"twin.control_address", control_address}})
    if (!text.empty()) (void)parse_listen_address(field, text);
  gcs.validate();
  hv.validate();
}

TwinServer::TwinServer(TwinServerOptions options) : options_(std::move(options)) {
  options_.validate();

  // The models, each behind its lock, each on its own server.
  if (!options_.gcs_address.empty()) {
    gcs_sim_ = std::make_unique<GcsSimulator>(options_.gcs);
    gcs_ = std::make_unique<Device>(*gcs_sim_);
    gcs_server_ = std::make_unique<TcpServer>(*gcs_, clock_,
                                              parse_listen_address("--gcs", options_.gcs_address));
  }
  if (!options_.hv_address.empty()) {
    hv_sim_ = std::make_unique<IsegSimulator>(options_.hv);
    hv_ = std::make_unique<Device>(*hv_sim_);
    hv_server_ = std::make_unique<TcpServer>(*hv_, clock_,
                                             parse_listen_address("--hv", options_.hv_address));
  }
  if (!options_.control_address.empty()) {
    control_protocol_ = std::make_unique<ControlProtocol>(*this);
    auto o = parse_listen_address("--control", options_.control_address);
    o.idle_timeout_s = 1e6;
    control_server_ = std::make_unique<TcpServer>(*control_protocol_, clock_, o);
  }
  stepper_ = std::thread([this] { step_loop(); });
}

TwinServer::~TwinServer() { stop(); }

int TwinServer::gcs_port() const { return gcs_server_ ? gcs_server_->port() : 0; }
int TwinServer::hv_port() const { return hv_server_ ? hv_server_->port() : 0; }
int TwinServer::control_port() const { return control_server_ ? control_server_->port() : 0; }

void TwinServer::stop() {
  stopping_ = true;
  if (stepper_.joinable()) stepper_.join();
  for (auto* s : {control_server_.get(), gcs_server_.get(), hv_server_.get()})
    if (s) s->stop();
}

void TwinServer::step_loop() {
  // Fixed steps of step_s simulated seconds; in real time each waits for its wall-clock slot
  // (t = rate × wall time), as fast as possible it does not wait at all.
  const double start_wall = wall_now_s();
  long long k = 0;
  while (!stopping_) {
    ++k;
    const double t = static_cast<double>(k) * options_.step_s;
    if (!options_.as_fast_as_possible) {
      const double due = start_wall + t / options_.rate;
      wall_sleep(due - wall_now_s());
    }
    clock_.set(t);

    // Step each model to t (an empty batch of bytes only advances the physics).
    for (Device* d : {gcs_.get(), hv_.get()}) {
      if (!d) continue;
      std::lock_guard<std::mutex> lock(d->mutex);
      if (d == gcs_.get()) (void)gcs_sim_->on_bytes("", t);
      if (d == hv_.get()) (void)hv_sim_->on_bytes("", t);
    }
    ++steps_;
  }
}

std::string TwinServer::control(const std::string& line) {
  auto fail = [](const std::string& why) { return Json{{"ok", false}, {"error", why}}.dump(); };
  Json request;
  try {
    request = Json::parse(line);
  } catch (const Json::exception& e) {
    return fail(std::string("not JSON: ") + e.what());
  }
  if (!request.is_object() || !request.contains("cmd") || !request["cmd"].is_string())
    return fail("expected an object with a string \"cmd\"");
  const std::string cmd = request["cmd"];

  // Typed fields, each checked with the field and the accepted values in the message.
  auto integer = [&](const char* key, long lo, long hi, long fallback) -> long {
    if (!request.contains(key)) return fallback;
    const Json& v = request[key];
    if (!v.is_number_integer() || v.get<long>() < lo || v.get<long>() > hi)
      throw std::invalid_argument(std::string(key) + " = " + v.dump() + " is not an integer in [" +
                                  std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v.get<long>();
  };
  auto device = [&]() -> std::pair<Device*, TcpServer*> {
    const std::string name = request.value("device", "");
    Device* d = name == "gcs" ? gcs_.get() : name == "hv" ? hv_.get() : nullptr;
    TcpServer* s = name == "gcs" ? gcs_server_.get() : name == "hv" ? hv_server_.get() : nullptr;
    if (!d) throw std::invalid_argument("device = '" + name + "' is not a served device (gcs, hv)");
    return {d, s};
  };
  auto need_hv = [&]() {
    if (!hv_) throw std::invalid_argument(cmd + ": no HV supply is served");
  };

  try {
    Json out{{"ok", true}};
    if (cmd == "state") {
      // One read of the step count gives both figures, so they agree while the stepper runs
      // (the clock is set before the devices step, so it can lead the count by one step).
      const long long k = steps();
      Json state{{"time_s", static_cast<double>(k) * options_.step_s}, {"steps", k}};
      if (gcs_) {
        std::lock_guard<std::mutex> lock(gcs_->mutex);
        Json axes = Json::array();
        for (std::size_t i = 0; i < gcs_sim_->axis_count(); ++i) {
          const auto& a = gcs_sim_->axis(i);
          axes.push_back({{"position_m", a.sensor_m()},
                          {"target_m", a.target_m()},
                          {"servo", a.servo_on()},
                          {"on_target", a.on_target()}});
        }
        state["gcs"] = {{"error_code", gcs_sim_->error_code()},
                        {"stopped", gcs_sim_->stopped()},
                        {"axes", axes}};
      }
      if (hv_) {
        std::lock_guard<std::mutex> lock(hv_->mutex);
        state["hv"] = {{"voltage_V", hv_sim_->voltage_V()},
                       {"current_A", hv_sim_->current_A()},
                       {"setpoint_V", hv_sim_->setpoint_V()},
                       {"on", hv_sim_->on()},
                       {"channel_status", hv_sim_->channel_status()},
                       {"module_status", hv_sim_->module_status()},
                       {"safety_loop_closed", hv_sim_->safety_loop_closed()},
                       {"arcs", hv_sim_->arcs()}};
      }
      out["state"] = state;
    } else if (cmd == "drop" || cmd == "corrupt") {
      auto [d, s] = device();
      const int n = static_cast<int>(integer("count", 0, 1000000, 1));
      std::lock_guard<std::mutex> lock(d->mutex);
      (cmd == "drop" ? d->drop : d->corrupt) = n;
    } else if (cmd == "delay") {
      auto [d, s] = device();
      const Json seconds = request.value("seconds", Json(0.0));
      if (!seconds.is_number() || seconds.get<double>() < 0.0 || seconds.get<double>() > 60.0)
        throw std::invalid_argument("seconds = " + seconds.dump() + " is not a number in [0, 60]");
      std::lock_guard<std::mutex> lock(d->mutex);
      d->delay_s = seconds.get<double>();
    } else if (cmd == "cut") {
      auto [d, s] = device();
      s->cut_link(static_cast<int>(integer("after_bytes", 0, 65536, 0)));
    } else if (cmd == "device_error") {
      if (!gcs_) throw std::invalid_argument("device_error: no positioner is served");
      if (request.value("device", "gcs") != "gcs")
        throw std::invalid_argument("device_error applies to device 'gcs' (GCS error codes)");
      const int code = static_cast<int>(integer("code", 1, 100000, 1));
      std::lock_guard<std::mutex> lock(gcs_->mutex);
      gcs_sim_->force_error(code);
    } else if (cmd == "trip" || cmd == "arc") {
      need_hv();
      std::lock_guard<std::mutex> lock(hv_->mutex);
      if (cmd == "trip") hv_sim_->force_trip();
      if (cmd == "arc") hv_sim_->force_arc();
    } else if (cmd == "interlock") {
      need_hv();
      if (!request.contains("closed") || !request["closed"].is_boolean())
        throw std::invalid_argument("interlock needs \"closed\": true or false");
      std::lock_guard<std::mutex> lock(hv_->mutex);
      hv_sim_->set_safety_loop_closed(request["closed"].get<bool>());
    } else if (cmd == "clear_faults") {
      for (Device* d : {gcs_.get(), hv_.get()}) {
        if (!d) continue;
        std::lock_guard<std::mutex> lock(d->mutex);
        d->drop = d->corrupt = 0;
        d->delay_s = 0.0;
      }
    } else {
      return fail("unknown cmd '" + cmd +
                  "' (known: state, drop, corrupt, delay, cut, device_error, trip, arc, "
                  "interlock, clear_faults)");
    }
    return out.dump();
  } catch (const std::invalid_argument& e) {
    return fail(cmd + ": " + e.what());
  }
}

}  // namespace psw::hal
