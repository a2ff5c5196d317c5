// The emulator `psw twin serve` (issue #7 "The emulator" and the fault matrix): the control
// port over loopback, each injected fault ending with HV off and nothing hung, fixed-rate and
// as-fast-as-possible stepping, and the whole driver suite against the emulator running as a
// separate process, killed and restarted.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <psw/hal/twin_server.hpp>
#include <psw/hal/uri.hpp>

extern char** environ;

using Catch::Matchers::Contains;
using Json = nlohmann::json;
using namespace psw::hal;

namespace {

double wall_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// One JSON line to the control port, its one-line answer back.
class ControlClient {
 public:
  explicit ControlClient(int port) {
    auto link = connect_tcp("127.0.0.1", port, 2.0);
    REQUIRE(link.ok());
    link_ = std::move(link.value());
  }
  Json ask(const std::string& line) {
    REQUIRE(link_->write(line + "\n").ok());
    std::string got;
    while (got.find('\n') == std::string::npos) {
      auto r = link_->read_some(2.0);
      REQUIRE(r.ok());
      got += r.value();
    }
    return Json::parse(got.substr(0, got.find('\n')));
  }

 private:
  std::unique_ptr<Transport> link_;
};

TwinServerOptions loopback_any_port() {
  TwinServerOptions o;
  o.gcs_address = "127.0.0.1:0";
  o.hv_address = "127.0.0.1:0";
  o.control_address = "127.0.0.1:0";
  return o;
}

std::string hv_uri(int port, double timeout_s = 0.3) {
  return "tcp://127.0.0.1:" + std::to_string(port) +
         "?protocol=iseg&timeout_s=" + std::to_string(timeout_s);
}

// The HV supply switched on, ramping to 1000 V at 100 V/s (10 s: still ramping during a test).
void start_ramp(SafeHvSupply& hv) {
  REQUIRE(hv.status().ok());
  REQUIRE(hv.set_ramp_rate(100.0).ok());
  REQUIRE(hv.set_voltage(1000.0).ok());
  REQUIRE(hv.set_output(true).ok());
}

// The emulator's own HV state once `on` reads `expected` (set commands are silent and served
// on another thread, so the control port may see them a little later), waiting at most 2 s.
Json hv_state_when_on_is(ControlClient& control, bool expected) {
  Json hv;
  for (int i = 0; i < 200; ++i) {
    hv = control.ask(R"({"cmd":"state"})")["state"]["hv"];
    if (hv["on"] == expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return hv;
}

// HV is off in the emulator's own state: output off, 0 V.
void require_hv_off(ControlClient& control) {
  const Json hv = hv_state_when_on_is(control, false);
  CHECK(hv["on"] == false);
  CHECK(hv["voltage_V"] == 0.0);
}

}  // namespace

TEST_CASE("The control port answers JSON lines and names what was wrong", "[hal][twin]") {
  TwinServer twin(loopback_any_port());
  ControlClient control(twin.control_port());

  const Json state = control.ask(R"({"cmd":"state"})");
  CHECK(state["ok"] == true);
  CHECK(state["state"]["hv"]["on"] == false);
  CHECK(state["state"]["gcs"]["axes"].size() == 3);  // three_axes() default
  CHECK(state["state"]["hv"]["safety_loop_closed"] == true);

  // Bad requests: a clear error each, and the port keeps serving.
  const std::pair<const char*, const char*> cases[] = {
      {"not json", "not JSON"},
      {R"({"nocmd":1})", "expected an object with a string \"cmd\""},
      {R"({"cmd":"fly"})", "unknown cmd 'fly'"},
      {R"({"cmd":"drop","device":"laser"})", "device = 'laser' is not a served device"},
      {R"({"cmd":"drop","device":"hv","count":-2})", "count = -2 is not an integer in [0"},
      {R"({"cmd":"delay","device":"hv","seconds":"x"})", "seconds = \"x\" is not a number"},
      {R"({"cmd":"interlock"})", "interlock needs \"closed\""},
      {R"({"cmd":"device_error","device":"hv"})", "device_error applies to device 'gcs'"},
  };
  for (const auto& [line, why] : cases) {
    INFO(line);
    const Json r = control.ask(line);
    CHECK(r["ok"] == false);
    CHECK_THAT(r["error"].get<std::string>(), Contains(why));
  }
  CHECK(control.ask(R"({"cmd":"state"})")["ok"] == true);
}

TEST_CASE("Fault matrix over the emulator: every fault ends with HV off, nothing hung",
          "[hal][twin][safety]") {
  TwinServer twin(loopback_any_port());
  ControlClient control(twin.control_port());
  auto c = connect(hv_uri(twin.hv_port()));
  REQUIRE(c.ok());
  SafeHvSupply& hv = *c.value()->hv();
  start_ramp(hv);
  CHECK(hv_state_when_on_is(control, true)["on"] == true);

  // Each fault, then one status read: the policy must latch and command emergency off.
  const double t0 = wall_s();
  std::string expected_kind;
  SECTION("reply timeout (reply dropped)") {
    control.ask(R"({"cmd":"drop","device":"hv","count":1})");
    CHECK(hv.status().kind() == ErrorKind::transport);
  }
  SECTION("reply delayed past the driver's timeout") {
    control.ask(R"({"cmd":"delay","device":"hv","seconds":0.6})");
    CHECK(hv.status().kind() == ErrorKind::transport);
    control.ask(R"({"cmd":"clear_faults"})");
  }
  SECTION("garbage bytes") {
    control.ask(R"({"cmd":"corrupt","device":"hv","count":1})");
    CHECK(hv.status().kind() == ErrorKind::protocol);
  }
  SECTION("link cut mid-reply") {
    control.ask(R"({"cmd":"cut","device":"hv","after_bytes":2})");
    CHECK(hv.status().kind() == ErrorKind::transport);
  }
  SECTION("current trip") {
    control.ask(R"({"cmd":"trip"})");
    auto s = hv.status();
    REQUIRE(s.ok());
    CHECK(s.value().current_trip);
  }
  SECTION("arc") {
    control.ask(R"({"cmd":"arc"})");
    REQUIRE(hv.status().ok());
    CHECK_THAT(hv.latch_reason(), Contains("arc"));
  }
  SECTION("interlock opened during the ramp") {
    control.ask(R"({"cmd":"interlock","closed":false})");
    REQUIRE(hv.status().ok());
    CHECK_THAT(hv.latch_reason(), Contains("safety loop open"));
  }
  // Nothing hung: the slowest path is a 0.3 s timeout plus a 0.6 s delayed reply drained.
  CHECK(wall_s() - t0 < 5.0);
  CHECK(hv.latched());
  CHECK(hv.set_output(true).kind() == ErrorKind::safety);
  require_hv_off(control);
}

TEST_CASE("A forced GCS device error comes back as a device error with its code",
          "[hal][twin][gcs]") {
  TwinServer twin(loopback_any_port());
  ControlClient control(twin.control_port());
  auto c = connect("tcp://127.0.0.1:" + std::to_string(twin.gcs_port()) + "?protocol=gcs");
  REQUIRE(c.ok());
  Positioner& p = *c.value()->positioner();
  REQUIRE(p.initialize().ok());

  // The next ERR? (after SVO) reads the forced code 7 and clears it.
  CHECK(control.ask(R"({"cmd":"device_error","device":"gcs","code":7})")["ok"] == true);
  auto s = p.set_servo("1", true);
  CHECK(s.kind() == ErrorKind::device);
  CHECK(s.error().code == 7);
  CHECK(control.ask(R"({"cmd":"state"})")["state"]["gcs"]["error_code"] == 0);
  CHECK(p.set_servo("1", true).ok());
}

TEST_CASE("The twin steps at a fixed rate against the wall clock, or as fast as it can",
          "[hal][twin]") {
  SECTION("rate 10: ten simulated seconds per wall second") {
    TwinServerOptions o = loopback_any_port();
    o.rate = 10.0;
    TwinServer twin(o);
    const double w0 = wall_s();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // Stopped first: while the stepper runs, the clock moves to a step's time before that
    // step is counted, so time and count read one after the other can differ by a step (seen
    // under the sanitizers). Each step waits for its wall-clock slot, so even the last one
    // taken while stopping is due before the wall time read after stop() returns.
    twin.stop();
    const double wall = wall_s() - w0;
    // t = rate·wall, less at most a few steps of wake-up lateness on a busy host.
    CHECK(twin.time_s() <= 10.0 * wall + 1e-9);
    CHECK(twin.time_s() >= 10.0 * wall * 0.7);
    CHECK(twin.time_s() == Approx(static_cast<double>(twin.steps()) * o.step_s).epsilon(1e-9));
  }
  SECTION("as fast as possible outruns the wall clock") {
    TwinServerOptions o = loopback_any_port();
    o.as_fast_as_possible = true;
    o.gcs_address = "";  // HV only: a cheap model
    TwinServer twin(o);
    const double w0 = wall_s();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(twin.time_s() > 2.0 * (wall_s() - w0));
    // The control port's state is one snapshot: its time is its step count times step_s even
    // while the stepper runs flat out (read separately, the two could differ by a step).
    ControlClient control(twin.control_port());
    for (int i = 0; i < 50; ++i) {
      const Json state = control.ask(R"({"cmd":"state"})")["state"];
      REQUIRE(state["steps"].get<long long>() > 0);
      CHECK(state["time_s"].get<double>() ==
            Approx(static_cast<double>(state["steps"].get<long long>()) * o.step_s).epsilon(1e-12));
    }
  }
  SECTION("the trip timer runs with no client asking") {
    // Limit 1 nA below the leakage current 500 V/1e10 Ω = 50 nA: constant current, then a
    // trip after t_trip = 0.1 s, seen by the stepper alone.
    TwinServerOptions o = loopback_any_port();
    o.rate = 10.0;
    TwinServer twin(o);
    ControlClient control(twin.control_port());
    auto c = connect(hv_uri(twin.hv_port(), 1.0));
    REQUIRE(c.ok());
    SafeHvSupply& hv = *c.value()->hv();
    REQUIRE(hv.status().ok());
    REQUIRE(hv.set_current_limit(1e-9).ok());
    REQUIRE(hv.set_ramp_rate(1000.0).ok());
    REQUIRE(hv.set_voltage(500.0).ok());
    REQUIRE(hv.set_output(true).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // ≈ 3 s simulated
    const Json state = control.ask(R"({"cmd":"state"})")["state"]["hv"];
    CHECK(state["on"] == false);
    CHECK((state["channel_status"].get<unsigned>() >> iseg::kBitCurrentTrip & 1u) == 1u);
  }
  SECTION("bad options are refused naming the field") {
    TwinServerOptions o = loopback_any_port();
    o.rate = 0.0;
    CHECK_THROWS_WITH(TwinServer(o), Contains("twin.rate"));
    o = loopback_any_port();
    o.hv_address = "127.0.0.1";
    CHECK_THROWS_WITH(TwinServer(o), Contains("twin.hv_address = '127.0.0.1' is not HOST:PORT"));
  }
}

namespace {

// `psw twin serve` as a child process; its bound ports read from its first lines.
class TwinProcess {
 public:
  explicit TwinProcess(const std::string& gcs = "127.0.0.1:0",
                       const std::string& hv = "127.0.0.1:0") {
    const std::string exe = std::string(PSW_BINARY_DIR) + "/bin/psw";
    int out[2];
    REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> args = {exe, "twin",      "serve",       "--gcs",      gcs,  "--hv",
                                     hv,  "--control", "127.0.0.1:0", "--duration", "120"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(::posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    FILE* f = ::fdopen(out[0], "r");
    char line[256];
    for (int i = 0; i < 3 && std::fgets(line, sizeof line, f); ++i) {
      int port = 0;
      if (std::sscanf(line, "gcs listening on tcp://127.0.0.1:%d", &port) == 1) gcs_port = port;
      if (std::sscanf(line, "hv listening on tcp://127.0.0.1:%d", &port) == 1) hv_port = port;
    }
    std::fclose(f);
    REQUIRE(gcs_port > 0);
    REQUIRE(hv_port > 0);
  }
  ~TwinProcess() { kill(); }
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int gcs_port = 0;
  int hv_port = 0;

 private:
  pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("The drivers run against psw twin serve as a separate process, killed and restarted",
          "[hal][twin][process][reconnect]") {
  auto twin = std::make_unique<TwinProcess>();
  const int gcs_port = twin->gcs_port, hv_port = twin->hv_port;

  // Positioner: initialize, servo, move, on target within the 10 nm window.
  auto pc = connect("tcp://127.0.0.1:" + std::to_string(gcs_port) + "?protocol=gcs&timeout_s=1");
  REQUIRE(pc.ok());
  Positioner& p = *pc.value()->positioner();
  REQUIRE(p.initialize().ok());
  CHECK(p.identity() == "psw twin, simulated E-727, 0, 1.0");
  REQUIRE(p.set_servo("2", true).ok());
  REQUIRE(p.move_to("2", 20e-6).ok());
  bool there = false;
  for (int i = 0; i < 300 && !there; ++i) {
    there = p.on_target("2").value();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(there);
  CHECK(p.position("2").value() == Approx(20e-6).margin(10e-9));

  // HV: on and ramping.
  auto hc = connect(hv_uri(hv_port, 1.0));
  REQUIRE(hc.ok());
  SafeHvSupply& hv = *hc.value()->hv();
  start_ramp(hv);
  CHECK(hv.status().value().ramping);

  // Kill the emulator: HV latched with emergency off commanded, moves fail.
  twin->kill();
  CHECK_FALSE(hv.status().ok());
  CHECK(hv.latched());
  CHECK_FALSE(p.position("2").ok());

  // Restart it on the same ports: both links come back, the state is re-read, HV stays off
  // and latched, the positioner must be initialized again.
  twin = std::make_unique<TwinProcess>("127.0.0.1:" + std::to_string(gcs_port),
                                       "127.0.0.1:" + std::to_string(hv_port));
  REQUIRE(hv.measured_voltage().ok());
  CHECK(hv.reconnects() >= 1);
  CHECK_FALSE(hv.assumed_on());
  CHECK(hv.latched());
  CHECK(hv.set_output(true).kind() == ErrorKind::safety);
  (void)p.position("2");
  CHECK_THAT(p.move_to("2", 1e-6).error().message, Contains("call initialize() first"));
  REQUIRE(p.initialize().ok());
  CHECK_FALSE(p.servo("2").value());  // the restarted controller powered up with servo off
}
