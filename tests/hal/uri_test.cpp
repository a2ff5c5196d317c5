// Device URIs (issue #7 "Interfaces"): one string picks simulator, TCP or serial; malformed
// URIs are refused with a message naming the URI and the fault, before anything connects.
#include <catch2/catch.hpp>

#include <psw/hal/gcs_simulator.hpp>
#include <psw/hal/tcp_server.hpp>
#include <psw/hal/uri.hpp>

using Catch::Matchers::Contains;
using namespace psw::hal;

TEST_CASE("Device URIs parse into scheme, protocol, address and options", "[hal][uri]") {
  // Default ports: GCS 50000 (PI), iseg 10001 (iseg SHR/NHR Ethernet).
  auto gcs = parse_device_uri("tcp://127.0.0.1?protocol=gcs");
  CHECK(gcs.port == 50000);
  auto hv = parse_device_uri("tcp://127.0.0.1:10002?protocol=iseg&channel=3&timeout_s=0.25");
  CHECK(hv.protocol == Protocol::iseg);
  CHECK(hv.port == 10002);
  CHECK(hv.channel == 3);
  CHECK(hv.timeout_s == 0.25);
  CHECK(parse_device_uri("tcp://127.0.0.1?protocol=iseg").port == 10001);
  auto serial = parse_device_uri("serial:///dev/ttyUSB0?baud=115200&protocol=iseg");
  CHECK(serial.path == "/dev/ttyUSB0");
  CHECK(serial.baud == 115200);
  CHECK(parse_device_uri("sim://gcs").scheme == "sim");
}

TEST_CASE("Malformed device URIs name what is wrong", "[hal][uri]") {
  const std::pair<const char*, const char*> cases[] = {
      {"gcs", "no scheme"},
      {"udp://127.0.0.1?protocol=gcs", "unknown scheme 'udp'"},
      {"sim://scpi", "unknown protocol 'scpi' (known: gcs, iseg)"},
      {"tcp://127.0.0.1:50000", "tcp:// needs ?protocol=gcs"},
      {"tcp://127.0.0.1:99999?protocol=gcs", "port = '99999' is not an integer in [1, 65535]"},
      {"tcp://127.0.0.1:50000?protocol=gcs&speed=1", "unknown parameter 'speed'"},
      {"tcp://127.0.0.1:5?protocol=gcs&protocol=iseg", "protocol given twice"},
      {"tcp://127.0.0.1:5?protocol=iseg&timeout_s=-1", "timeout_s = '-1' is not a number"},
      {"tcp://127.0.0.1:5?protocol=gcs&channel=1", "channel applies to protocol=iseg only"},
      {"serial://ttyUSB0?protocol=iseg", "serial:// needs a device path"},
  };
  for (const auto& [uri, message] : cases) {
    INFO(uri);
    CHECK_THROWS_WITH(parse_device_uri(uri),
                      Contains(std::string("device URI '") + uri) && Contains(message));
  }
}

TEST_CASE("The same calling code drives the twin in process and over TCP", "[hal][uri][tcp]") {
  // One function, two URIs: identity and travel must agree.
  auto probe = [](const std::string& uri) {
    auto c = connect(uri);
    REQUIRE(c.ok());
    Positioner* p = c.value()->positioner();
    REQUIRE(p != nullptr);
    CHECK(c.value()->hv() == nullptr);
    REQUIRE(p->initialize().ok());
    return p->identity() + " " + std::to_string(p->axes().size());
  };
  SteadyClock clock;
  GcsSimulator sim;
  TcpServer server(sim, clock);
  const std::string expected = "psw twin, simulated E-727, 0, 1.0 3";
  CHECK(probe("sim://gcs") == expected);
  CHECK(probe("tcp://127.0.0.1:" + std::to_string(server.port()) + "?protocol=gcs") == expected);
}

TEST_CASE("sim://iseg hands out the HV supply behind the safety policy", "[hal][uri]") {
  auto c = connect("sim://iseg");
  REQUIRE(c.ok());
  SafeHvSupply* hv = c.value()->hv();
  REQUIRE(hv != nullptr);
  CHECK(hv->set_output(true).kind() == ErrorKind::safety);  // no status read yet
}

TEST_CASE("An unreachable or unsupported device is a transport error", "[hal][uri]") {
  // A serial path that does not exist: the OS's reason, with the path.
  auto serial = connect("serial:///dev/psw-no-such-tty?protocol=gcs");
  CHECK(serial.kind() == ErrorKind::transport);
  CHECK_THAT(serial.error().message,
             Contains("serial:///dev/psw-no-such-tty: No such file or directory"));
}
