// The termios serial transport (issue #7 "Transports"), tested over a pseudo-terminal pair with
// the simulated devices on the master side: the line settings the URI asks for, and both
// drivers end to end, including the iseg serial profile's command echo. No hardware needed.
#include <string>

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <psw/hal/clock.hpp>
#include <psw/hal/gcs_simulator.hpp>
#include <psw/hal/iseg_simulator.hpp>
#include <psw/hal/serial.hpp>
#include <psw/hal/uri.hpp>

using Catch::Matchers::Contains;
using namespace psw::hal;

namespace {

// The line settings of the tty at `path`, as another opener sees them.
termios line_settings(const std::string& path) {
  termios t{};
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::tcgetattr(fd, &t) == 0);
  ::close(fd);
  return t;
}

}  // namespace

TEST_CASE("serial:// URIs carry baud, framing and the echo profile", "[hal][serial][uri]") {
  // Defaults: 115200 8N1; iseg's serial profile echoes, GCS does not.
  auto iseg = parse_device_uri("serial:///dev/ttyUSB0?baud=115200&protocol=iseg");
  CHECK(iseg.baud == 115200);
  CHECK(iseg.data_bits == 8);
  CHECK(iseg.parity == Parity::none);
  CHECK(iseg.stop_bits == 1);
  CHECK(iseg.echo);
  CHECK_FALSE(parse_device_uri("serial:///dev/ttyS0?protocol=gcs").echo);

  auto framed = parse_device_uri(
      "serial:///dev/ttyS1?protocol=iseg&baud=9600&data_bits=7&parity=odd&stop_bits=2&echo=0");
  CHECK(framed.baud == 9600);
  CHECK(framed.data_bits == 7);
  CHECK(framed.parity == Parity::odd);
  CHECK(framed.stop_bits == 2);
  CHECK_FALSE(framed.echo);

  SECTION("bad serial parameters are refused, naming the parameter") {
    const std::pair<const char*, const char*> cases[] = {
        {"serial:///dev/ttyS0?protocol=iseg&data_bits=9", "data_bits = '9' is not an integer"},
        {"serial:///dev/ttyS0?protocol=iseg&parity=mark", "parity = 'mark' is not one of"},
        {"serial:///dev/ttyS0?protocol=iseg&stop_bits=3", "stop_bits = '3' is not an integer"},
        {"serial:///dev/ttyS0?protocol=iseg&baud=12345", "serial.baud = 12345 is not a standard"},
        {"serial:///dev/ttyS0?protocol=iseg&echo=yes", "echo = 'yes' is not an integer in [0, 1]"},
        {"tcp://127.0.0.1:10001?protocol=iseg&baud=9600", "baud applies to serial:// only"},
    };
    for (const auto& [uri, why] : cases) {
      INFO(uri);
      CHECK_THROWS_WITH(parse_device_uri(uri), Contains(why));
    }
  }
}

TEST_CASE("open_serial sets raw mode, the baud rate and the character framing", "[hal][serial]") {
  // A pty keeps the termios settings like any tty, so another opener reads them back.
  SteadyClock clock;
  IsegSimulator sim;
  PtyServer pty(sim, clock);

  SerialOptions options;
  options.path = pty.slave_path();
  options.baud = 9600;
  options.data_bits = 7;
  options.parity = Parity::even;
  options.stop_bits = 2;
  auto link = open_serial(options);
  REQUIRE(link.ok());
  CHECK(link.value()->describe() == "serial://" + pty.slave_path());

  // What the pty keeps: the baud rate and stop bits (Linux's pty driver forces CS8 and no
  // parity, so those are checked on configure_termios below).
  const termios t = line_settings(pty.slave_path());
  CHECK(::cfgetospeed(&t) == B9600);
  CHECK(::cfgetispeed(&t) == B9600);
  CHECK((t.c_cflag & CSTOPB) != 0);
  // Raw: no echo, no canonical lines, no CR/LF translation either way.
  CHECK((t.c_lflag & (ECHO | ICANON | ISIG)) == 0);
  CHECK((t.c_iflag & (ICRNL | INLCR | IXON)) == 0);
  CHECK((t.c_oflag & OPOST) == 0);

  SECTION("the framing bits follow data_bits, parity and stop_bits") {
    termios f{};
    configure_termios(f, options);
    CHECK((f.c_cflag & CSIZE) == CS7);
    CHECK((f.c_cflag & PARENB) != 0);
    CHECK((f.c_cflag & PARODD) == 0);
    CHECK((f.c_cflag & CSTOPB) != 0);
    configure_termios(f, {"/dev/ttyS0", 115200, 8, Parity::odd, 1});
    CHECK((f.c_cflag & CSIZE) == CS8);
    CHECK((f.c_cflag & (PARENB | PARODD)) == (PARENB | PARODD));
    CHECK((f.c_cflag & CSTOPB) == 0);
    CHECK(::cfgetospeed(&f) == B115200);
  }
  SECTION("a path that is not a terminal is refused with the reason") {
    auto r = open_serial({"/dev/null", 9600, 8, Parity::none, 1});
    CHECK(r.kind() == ErrorKind::transport);
    CHECK_THAT(r.error().message, Contains("serial:///dev/null: not a terminal"));
  }
  SECTION("options are checked before anything is opened") {
    CHECK_THROWS_WITH(open_serial({"ttyUSB0", 9600, 8, Parity::none, 1}),
                      Contains("serial.path = 'ttyUSB0' is not an absolute device path"));
    CHECK_THROWS_WITH(open_serial({"/dev/ttyS0", 9600, 4, Parity::none, 1}),
                      Contains("serial.data_bits = 4"));
  }
}

TEST_CASE("The iseg driver runs over a pty in the serial profile, echo and all",
          "[hal][serial][iseg]") {
  // The simulator echoes each line first, as iseg's serial port does; the driver checks and
  // drops the echo, so replies are what the TCP profile would give.
  SteadyClock clock;
  IsegSimulatorOptions sim_options;
  sim_options.echo = true;
  IsegSimulator sim(sim_options);
  PtyServer pty(sim, clock);

  auto c = connect("serial://" + pty.slave_path() + "?protocol=iseg&baud=9600&timeout_s=2");
  REQUIRE(c.ok());
  SafeHvSupply& hv = *c.value()->hv();
  CHECK(hv.identify().value() == "psw twin,simulated SHR,0,1.0");
  REQUIRE(hv.status().ok());
  CHECK_FALSE(hv.assumed_on());

  // A fast ramp to 300 V at 1000 V/s: 0.3 s; wait for it on the steady clock.
  REQUIRE(hv.set_ramp_rate(1000.0).ok());
  REQUIRE(hv.set_voltage(300.0).ok());
  REQUIRE(hv.set_output(true).ok());
  for (int i = 0; i < 200 && hv.status().value().ramping; ++i) clock.sleep_for(0.01);
  // The measured voltage is the setpoint once the ramp is done (ramp limiter, no load drop).
  CHECK(hv.measured_voltage().value() == 300.0);
  CHECK(sim.on());
  CHECK_FALSE(hv.latched());

  SECTION("the device going away mid-session ends with HV off commanded and latched") {
    pty.stop();
    auto s = hv.status();
    CHECK(s.kind() == ErrorKind::transport);
    CHECK(hv.latched());
    CHECK(hv.safe_state_count() >= 1);
    CHECK(hv.set_output(true).kind() == ErrorKind::safety);
  }
}

TEST_CASE("A driver in the wrong echo profile fails with a protocol error, not garbage",
          "[hal][serial][iseg]") {
  // The device echoes but the URI says echo=0: the echo is taken for the reply and refused.
  SteadyClock clock;
  IsegSimulatorOptions sim_options;
  sim_options.echo = true;
  IsegSimulator sim(sim_options);
  PtyServer pty(sim, clock);
  auto c = connect("serial://" + pty.slave_path() + "?protocol=iseg&echo=0&timeout_s=2");
  REQUIRE(c.ok());
  auto v = c.value()->hv()->measured_voltage();
  CHECK(v.kind() == ErrorKind::protocol);
  CHECK_THAT(v.error().message, Contains("is not a voltage: ':MEAS:VOLT? (@0)'"));
}

TEST_CASE("The GCS driver moves an axis over a pty", "[hal][serial][gcs]") {
  // GCS has no echo; same driver, same calls as over TCP.
  SteadyClock clock;
  GcsSimulator sim;
  PtyServer pty(sim, clock);
  auto c = connect("serial://" + pty.slave_path() + "?protocol=gcs&baud=115200&timeout_s=2");
  REQUIRE(c.ok());
  Positioner& p = *c.value()->positioner();
  REQUIRE(p.initialize().ok());
  CHECK(p.axes() == std::vector<std::string>{"1", "2", "3"});
  REQUIRE(p.set_servo("1", true).ok());
  REQUIRE(p.move_to("1", 5e-6).ok());
  bool there = false;
  for (int i = 0; i < 200 && !there; ++i) {
    there = p.on_target("1").value();
    clock.sleep_for(0.01);
  }
  CHECK(there);
  // On target means within the servo window of the target (10 nm, default_gcs_axis).
  CHECK(p.position("1").value() == Approx(5e-6).margin(10e-9));
}
