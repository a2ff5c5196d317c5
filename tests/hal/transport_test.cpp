#include <string>

#include <catch2/catch.hpp>

#include <psw/hal/clock.hpp>
#include <psw/hal/tcp_server.hpp>
#include <psw/hal/transport.hpp>

using Catch::Matchers::Contains;
using namespace psw::hal;

namespace {

// Answers every byte string with "<bytes>|<now_s>" so tests see what arrived and when.
class EchoServer final : public ProtocolServer {
 public:
  std::string on_bytes(std::string_view bytes, double now_s) override {
    received += bytes;
    return std::string(bytes) + "|" + std::to_string(static_cast<int>(now_s)) + "\n";
  }
  std::string received;
};

// Reads until `expected_size` bytes arrived or a read fails.
std::string read_n(Transport& t, std::size_t expected_size) {
  std::string got;
  while (got.size() < expected_size) {
    auto r = t.read_some(2.0);
    if (!r) break;
    got += r.value();
  }
  return got;
}

}  // namespace

TEST_CASE("The simulated clock moves only when told", "[hal][clock]") {
  // Its whole contract: now = start + Σ positive waits.
  SimulatedClock clock(10.0);
  clock.sleep_for(0.25);
  clock.advance(-1.0);  // ignored: time never goes back
  clock.advance(0.5);
  CHECK(clock.now_s() == 10.75);
  CHECK_FALSE(clock.is_real_time());
}

TEST_CASE("A pipe hands bytes to the in-process server and its reply back", "[hal][pipe]") {
  // The server answers synchronously on write, stamped with the clock's time.
  SimulatedClock clock(3.0);
  EchoServer server;
  PipeTransport pipe(server, clock);

  REQUIRE(pipe.write("abc").ok());
  auto r = pipe.read_some(0.1);
  REQUIRE(r.ok());
  CHECK(r.value() == "abc|3\n");

  SECTION("an empty read times out on the simulated clock, instantly") {
    auto empty = pipe.read_some(0.5);
    CHECK(empty.kind() == ErrorKind::transport);
    CHECK_THAT(empty.error().message, Contains("no reply within 0.5"));
    CHECK(clock.now_s() == 3.5);
  }

  SECTION("a closed pipe refuses both directions") {
    pipe.close();
    CHECK_THAT(pipe.write("x").error().message, Contains("closed"));
    CHECK(pipe.read_some(0.1).kind() == ErrorKind::transport);
    CHECK(server.received == "abc");
  }
}

TEST_CASE("TCP on loopback carries bytes both ways and times out cleanly", "[hal][tcp]") {
  // An ephemeral port on 127.0.0.1; every wait is bounded.
  SimulatedClock clock(7.0);
  EchoServer server;
  TcpServer tcp(server, clock);
  REQUIRE(tcp.port() > 0);

  auto link = connect_tcp("127.0.0.1", tcp.port(), 2.0);
  REQUIRE(link.ok());
  Transport& t = *link.value();
  CHECK(t.describe() == "tcp://127.0.0.1:" + std::to_string(tcp.port()));

  REQUIRE(t.write("POS? 1\n").ok());
  CHECK(read_n(t, 10) == "POS? 1\n|7\n");

  SECTION("a read with nothing to come times out") {
    auto r = t.read_some(0.05);
    CHECK(r.kind() == ErrorKind::transport);
    CHECK_THAT(r.error().message, Contains("no reply within 0.05 s"));
  }

  SECTION("a server that goes away closes the link") {
    tcp.stop();
    auto r = t.read_some(2.0);
    CHECK(r.kind() == ErrorKind::transport);
    CHECK_THAT(r.error().message, Contains("closed by peer"));
    CHECK_FALSE(t.is_open());
  }
}

TEST_CASE("Bad TCP addresses are refused with the address in the message", "[hal][tcp]") {
  // Only numeric IPv4 with a port in [1, 65535] is accepted; nothing is resolved.
  auto bad = connect_tcp("localhost", 50000, 0.1);
  CHECK(bad.kind() == ErrorKind::transport);
  CHECK_THAT(bad.error().message, Contains("tcp://localhost:50000: not a numeric IPv4"));
  CHECK_THAT(connect_tcp("127.0.0.1", 70000, 0.1).error().message, Contains("[1, 65535]"));

  SimulatedClock clock;
  EchoServer server;
  CHECK_THROWS_WITH(TcpServer(server, clock, {"0.0.0.x", 0, 1.0}),
                    Contains("tcp_server.host = '0.0.0.x'"));
}

TEST_CASE("Connecting to a closed loopback port fails, not hangs", "[hal][tcp]") {
  // Bind an ephemeral port, release it, then connect: the kernel refuses at once.
  int port = 0;
  {
    SimulatedClock clock;
    EchoServer server;
    TcpServer tcp(server, clock);
    port = tcp.port();
  }
  auto r = connect_tcp("127.0.0.1", port, 1.0);
  CHECK(r.kind() == ErrorKind::transport);
  CHECK_THAT(r.error().message, Contains("connect failed"));
}
