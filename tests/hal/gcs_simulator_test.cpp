// The GCS driver against the simulated controller: the same test set in process (pipe,
// simulated clock) and over loopback TCP (a TcpServer on an ephemeral port, steady clock).
// Expected behaviour from PI's GCS 2.0 manual (syntax, error codes) and DESIGN.md §7.
#include <cmath>
#include <map>

#include <catch2/catch.hpp>

#include <psw/hal/gcs_positioner.hpp>
#include <psw/hal/gcs_simulator.hpp>
#include <psw/hal/tcp_server.hpp>

using Catch::Matchers::Contains;
using namespace psw::hal;

namespace {

// Polls ONT? every millisecond of the given clock until on target, at most `limit_s`.
bool wait_on_target(GcsPositioner& driver, Clock& clock, const std::string& axis, double limit_s) {
  const double end = clock.now_s() + limit_s;
  while (clock.now_s() < end) {
    auto ont = driver.on_target(axis);
    if (!ont) return false;
    if (ont.value()) return true;
    clock.sleep_for(1e-3);
  }
  return false;
}

// The driver's test set; `raw` is the driver's own transport, used to inject a bare STP.
void driver_test_set(Transport& raw, Clock& clock) {
  GcsPositioner driver(raw, clock, {2.0});

  // Identity, three axes, 100 µm travel (default_gcs_axis), servo off at power-on.
  REQUIRE(driver.initialize().ok());
  CHECK(driver.identity() == "psw twin, simulated E-727, 0, 1.0");
  CHECK(driver.axes() == std::vector<std::string>{"1", "2", "3"});
  CHECK(driver.limits("3").value().max_m == 100e-6);
  CHECK_FALSE(driver.servo("1").value());
  CHECK(driver.stage("2").value() == "PSW-TWIN-100UM");  // CST?
  CHECK(driver.ready().value());                         // #7: always ready
  const std::map<std::string, bool> at_rest{{"1", false}, {"2", false}, {"3", false}};
  CHECK(driver.moving().value() == at_rest);  // #5: servo off, nothing moves

  // Servo off: refused by the driver before sending.
  CHECK(driver.move_to("1", 10e-6).kind() == ErrorKind::safety);

  // Servo on, absolute move, settle: POS? within the 10 nm on-target window.
  REQUIRE(driver.set_servo("1", true).ok());
  CHECK(driver.servo("1").value());
  REQUIRE(driver.set_velocity("1", 0.01).ok());
  REQUIRE(driver.move_to("1", 10e-6).ok());
  REQUIRE(wait_on_target(driver, clock, "1", 1.0));
  CHECK(std::abs(driver.position("1").value() - 10e-6) <= 10e-9);
  CHECK(driver.moving().value() == at_rest);  // on target is not moving

  // Relative move from the target.
  REQUIRE(driver.move_by("1", -2.5e-6).ok());
  REQUIRE(wait_on_target(driver, clock, "1", 1.0));
  CHECK(std::abs(driver.position("1").value() - 7.5e-6) <= 10e-9);

  // The driver's limit check stops an over-travel move.
  CHECK(driver.move_to("1", 100.001e-6).kind() == ErrorKind::safety);

  // STP lock-out: a bare STP, then a MOV comes back as device error 10 and clears it...
  REQUIRE(raw.write("STP\n").ok());
  auto locked = driver.move_to("1", 20e-6);
  CHECK(locked.kind() == ErrorKind::device);
  CHECK(locked.error().code == 10);
  CHECK(locked.error().message ==
        "GCS error 10 (controller was stopped by command) after 'MOV 1 20'");
  // ...so the next one is accepted.
  REQUIRE(driver.move_to("1", 20e-6).ok());
  REQUIRE(wait_on_target(driver, clock, "1", 1.0));

  // Stop through the driver: ERR? reads 10, the stop succeeds, the error is cleared.
  REQUIRE(driver.stop().ok());
  CHECK(driver.read_error().value() == 0);

  // A controller-side error: VEL outside (0, 10] m/s is refused by the driver, but the
  // controller's own check is reached with a raw command (GCS error 17).
  REQUIRE(raw.write("VEL 1 0\n").ok());
  CHECK(driver.read_error().value() == 17);
  // An unknown command (GCS error 2).
  REQUIRE(raw.write("FOO 1\n").ok());
  CHECK(driver.read_error().value() == 2);
}

}  // namespace

TEST_CASE("GCS driver test set against the simulated controller, in process", "[hal][twin]") {
  SimulatedClock clock;
  GcsSimulator sim;
  PipeTransport pipe(sim, clock);
  driver_test_set(pipe, clock);
  CHECK(sim.time_s() > 0.0);  // the physics advanced with the simulated clock only
}

TEST_CASE("GCS driver test set against the simulated controller over loopback TCP",
          "[hal][twin][tcp]") {
  SteadyClock clock;
  GcsSimulator sim;
  TcpServer server(sim, clock, {"127.0.0.1", 0, 10.0});
  auto link = connect_tcp("127.0.0.1", server.port(), 2.0);
  REQUIRE(link.ok());
  driver_test_set(*link.value(), clock);
  CHECK(server.clients_served() == 1);
}

TEST_CASE("The simulated controller answers byte for byte as GCS 2.0", "[hal][twin]") {
  // Golden bytes: the same replies the scripted transport plays in gcs_positioner_test.
  SimulatedClock clock;
  GcsSimulator sim;
  auto send = [&](const std::string& bytes) { return sim.on_bytes(bytes, clock.now_s()); };

  CHECK(send("SAI?\n") == "1 \n2 \n3\n");
  CHECK(send("TMX? 1 2\n") == "1=100.000000 \n2=100.000000\n");
  CHECK(send("SVO?\n") == "1=0 \n2=0 \n3=0\n");
  CHECK(send("SVO 2 1\n").empty());    // set commands are silent
  CHECK(send("MOV 1 5\n").empty());    // servo off on axis 1 → error 5
  CHECK(send("MOV 2 101\n").empty());  // beyond TMX → error 7, but 5 came first
  CHECK(send("ERR?\n") == "5\n");      // the first error is kept...
  CHECK(send("ERR?\n") == "0\n");      // ...and ERR? cleared it
  CHECK(send("POS? 9\n").empty());     // unknown axis: no answer, error 15
  CHECK(send("ERR?\n") == "15\n");
  CHECK(send("MOV 2 3 1 4\n").empty());  // axis 1 servo off: neither axis moves
  CHECK(send("MOV? 2\n") == "2=0.000000\n");
  CHECK(send("ERR?\n") == "5\n");
  CHECK(send(std::string(1, '\x18')).empty());  // #24
  CHECK(sim.stopped());
  CHECK(send("ERR?\n") == "10\n");
  CHECK_FALSE(sim.stopped());

  // Bytes split anywhere give the same answer.
  CHECK(send("MOV").empty());
  CHECK(send("? 2").empty());
  CHECK(send("\n") == "2=0.000000\n");

  // CST? like every axis query; #7 the byte 0xB1 and LF; #5 a hexadecimal mask: axis 2 (bit 1)
  // moves right after MOV, on the simulated clock nothing has settled yet.
  CHECK(send("CST? 1 3\n") == "1=PSW-TWIN-100UM \n3=PSW-TWIN-100UM\n");
  CHECK(send(std::string(1, '\x07')) == "\xB1\n");
  clock.advance(0.1);  // axis 2's servo came on above; let it settle
  CHECK(send(std::string(1, '\x05')) == "0\n");
  CHECK(send("MOV 2 50\n").empty());
  CHECK(send(std::string(1, '\x05')) == "2\n");
  clock.advance(0.1);  // 50 µm at the 10 mm/s slew: 5 ms, then a 2 ms settle
  CHECK(send(std::string(1, '\x05')) == "0\n");
}

TEST_CASE("Bad simulator options name the field", "[hal][twin]") {
  GcsSimulatorOptions none;
  CHECK_THROWS_WITH(GcsSimulator(none), Contains("gcs_simulator.axes holds 0 axes"));
  auto bad = GcsSimulatorOptions::three_axes();
  bad.axes[1].travel_m = -1.0;
  CHECK_THROWS_WITH(GcsSimulator(bad), Contains("gcs_simulator.axes[1]: "));
}
