// Reconnect with bounded back-off, and the safety policy after a reconnect (issue #7 "Safety
// policy"): the emulator killed and restarted on the same port; state re-read; HV assumed on
// until the supply says otherwise and never switched on again by itself.
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include <psw/hal/gcs_simulator.hpp>
#include <psw/hal/iseg_simulator.hpp>
#include <psw/hal/reconnect.hpp>
#include <psw/hal/tcp_server.hpp>
#include <psw/hal/uri.hpp>

using Catch::Matchers::Contains;
using namespace psw::hal;

namespace {

// A server answering "ok\n" to anything, for link-level tests.
class OkServer final : public ProtocolServer {
 public:
  std::string on_bytes(std::string_view, double) override { return "ok\n"; }
};

}  // namespace

TEST_CASE("Reconnect backs off geometrically, capped, on the transport's clock",
          "[hal][reconnect]") {
  // Waits wₖ = min(initial·factorᵏ⁻¹, max): 0.1, 0.2, 0.4, then the cap 0.5.
  SimulatedClock clock;
  OkServer server;
  int calls = 0;
  int fail_first = 3;
  int callbacks = 0;
  ReconnectingTransport link(
      [&]() -> Result<std::unique_ptr<Transport>> {
        ++calls;
        if (calls <= fail_first)
          return make_error(ErrorKind::transport, "refused #" + std::to_string(calls));
        return std::unique_ptr<Transport>(std::make_unique<PipeTransport>(server, clock));
      },
      clock, BackoffOptions{0.1, 2.0, 0.5, 5});
  link.set_on_reconnect([&] { ++callbacks; });

  SECTION("a read on a link never opened fails at once and does not connect") {
    CHECK(link.read_some(1.0).kind() == ErrorKind::transport);
    CHECK(calls == 0);
    CHECK(clock.now_s() == 0.0);
  }

  SECTION("three failures, then the fourth attempt connects") {
    REQUIRE(link.write("x").ok());
    CHECK(calls == 4);
    CHECK(link.waits_s() == std::vector<double>{0.1, 0.2, 0.4});
    CHECK(clock.now_s() == Approx(0.7).epsilon(1e-12));  // Σ waits, nothing else waited
    CHECK(link.reconnects() == 1);
    CHECK(callbacks == 1);
    CHECK(link.read_some(1.0).value() == "ok\n");
  }

  SECTION("every attempt failing is a transport error after max_attempts, bounded in time") {
    fail_first = 1000;
    auto s = link.write("x");
    CHECK(s.kind() == ErrorKind::transport);
    CHECK_THAT(s.error().message, Contains("5 reconnect attempts failed, the last: refused #5"));
    CHECK(link.waits_s() == std::vector<double>{0.1, 0.2, 0.4, 0.5});
    CHECK(clock.now_s() == Approx(1.2).epsilon(1e-12));
    CHECK(callbacks == 0);
  }

  SECTION("bad back-off options are refused naming the field") {
    CHECK_THROWS_WITH(
        ReconnectingTransport(
            [] { return Result<std::unique_ptr<Transport>>(make_error(ErrorKind::transport, "")); },
            clock, BackoffOptions{0.5, 2.0, 0.1, 5}),
        Contains("backoff.max_s"));
  }
}

TEST_CASE("HV emulator killed and restarted: HV latched off, state re-read, never re-enabled",
          "[hal][reconnect][safety][iseg]") {
  SteadyClock clock;
  auto sim = std::make_unique<IsegSimulator>();
  auto server = std::make_unique<TcpServer>(*sim, clock);
  const int port = server->port();

  auto c = connect("tcp://127.0.0.1:" + std::to_string(port) + "?protocol=iseg&timeout_s=1");
  REQUIRE(c.ok());
  SafeHvSupply& hv = *c.value()->hv();
  REQUIRE(hv.status().ok());
  REQUIRE(hv.set_ramp_rate(1000.0).ok());
  REQUIRE(hv.set_voltage(500.0).ok());
  REQUIRE(hv.set_output(true).ok());
  CHECK(hv.status().value().on);  // answered after the silent ON, on the same stream

  // Kill the emulator: the next read fails, the policy commands emergency off and latches.
  server.reset();
  sim.reset();
  auto lost = hv.status();
  CHECK(lost.kind() == ErrorKind::transport);
  CHECK(hv.latched());
  CHECK(hv.safe_state_count() >= 1);
  CHECK_THAT(hv.latch_reason(), Contains("emergency off not confirmed"));

  // Restart on the same port: the link comes back on the next command, the state is re-read.
  sim = std::make_unique<IsegSimulator>();
  server = std::make_unique<TcpServer>(*sim, clock, TcpServerOptions{"127.0.0.1", port, 60.0});
  auto back = hv.measured_voltage();
  REQUIRE(back.ok());
  CHECK(c.value()->reconnecting()->reconnects() >= 1);
  CHECK(hv.reconnects() >= 1);
  CHECK_FALSE(hv.assumed_on());  // the re-read status said off
  CHECK(hv.latched());           // a reconnect never clears the latch

  // Nothing switches HV on by itself: on is refused, and after the operator's acknowledge()
  // the restarted supply is still off.
  auto on = hv.set_output(true);
  CHECK(on.kind() == ErrorKind::safety);
  CHECK_THAT(on.error().message, Contains("latched after a fault"));
  REQUIRE(hv.acknowledge().ok());
  CHECK_FALSE(sim->on());
  CHECK(sim->voltage_V() == 0.0);
}

TEST_CASE("Positioner emulator restarted: moves refused until initialize() re-reads it",
          "[hal][reconnect][gcs]") {
  SteadyClock clock;
  auto sim = std::make_unique<GcsSimulator>();
  auto server = std::make_unique<TcpServer>(*sim, clock);
  const int port = server->port();
  auto c = connect("tcp://127.0.0.1:" + std::to_string(port) + "?protocol=gcs&timeout_s=1");
  REQUIRE(c.ok());
  Positioner& p = *c.value()->positioner();
  REQUIRE(p.initialize().ok());
  REQUIRE(p.set_servo("1", true).ok());

  server.reset();
  sim.reset();
  CHECK(p.position("1").kind() == ErrorKind::transport);

  sim = std::make_unique<GcsSimulator>();
  server = std::make_unique<TcpServer>(*sim, clock, TcpServerOptions{"127.0.0.1", port, 60.0});
  // The first command reconnects; what initialize() read before is stale (servo was on).
  (void)p.position("1");
  auto move = p.move_to("1", 1e-6);
  CHECK(move.kind() == ErrorKind::safety);
  CHECK_THAT(move.error().message, Contains("reconnected"));
  // Re-read: the restarted controller has servo off, so the move is refused before sending.
  REQUIRE(p.initialize().ok());
  auto again = p.move_to("1", 1e-6);
  CHECK(again.kind() == ErrorKind::safety);
  CHECK_THAT(again.error().message, Contains("servo is off"));
}
