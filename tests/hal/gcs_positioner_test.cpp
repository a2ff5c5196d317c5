// Golden transcripts of the GCS driver: the exact bytes it sends for each command and how it
// reads the reply, against a scripted transport. Command and reply syntax from PI's GCS 2.0
// commands manual (LF framing, "<axis>=<value>" answers, silent set commands, ERR?).
#include <map>

#include <catch2/catch.hpp>

#include <psw/hal/gcs_positioner.hpp>

#include "scripted_transport.hpp"

using Catch::Matchers::Contains;
using namespace psw::hal;
using psw::hal::test::expect_initialize;
using psw::hal::test::ScriptedTransport;

namespace {

struct Rig {
  SimulatedClock clock;
  ScriptedTransport wire{clock};
  GcsPositioner driver{wire, clock};
  Rig() {
    expect_initialize(wire);
    REQUIRE(driver.initialize().ok());
    wire.written.clear();
  }
};

}  // namespace

TEST_CASE("GCS initialize reads identity, axes, limits and servo states", "[hal][gcs]") {
  // Multi-line answers (space + LF continuation) for SAI?, TMN?, TMX?, SVO? of all axes.
  SimulatedClock clock;
  ScriptedTransport wire(clock);
  GcsPositioner driver(wire, clock);
  expect_initialize(wire);
  REQUIRE(driver.initialize().ok());
  CHECK(wire.written == "*IDN?\nSAI?\nTMN?\nTMX?\nSVO?\nCST?\n");
  CHECK(driver.stage("2").value() == "P-733.2CD");
  CHECK(driver.identity() == "Physik Instrumente, E-727, 0, 1.0");
  CHECK(driver.axes() == std::vector<std::string>{"1", "2"});
  CHECK(driver.limits("2").value().max_m == Approx(100e-6).epsilon(1e-15));
  CHECK(wire.finished());
}

TEST_CASE("GCS set commands go out as one line and are checked with ERR?", "[hal][gcs]") {
  // Set commands are silent; ERR? → "0" means accepted. Positions and velocities in µm.
  Rig rig;

  SECTION("MOV") {
    rig.wire.expect("MOV 1 12.5\n", "");
    rig.wire.expect("ERR?\n", "0\n");
    REQUIRE(rig.driver.move_to("1", 12.5e-6).ok());
    CHECK(rig.wire.written == "MOV 1 12.5\nERR?\n");
  }

  SECTION("MVR asks the present target first") {
    rig.wire.expect("MOV? 1\n", "1=40.000000\n");
    rig.wire.expect("MVR 1 -0.25\n", "");
    rig.wire.expect("ERR?\n", "0\n");
    REQUIRE(rig.driver.move_by("1", -0.25e-6).ok());
    CHECK(rig.wire.written == "MOV? 1\nMVR 1 -0.25\nERR?\n");
  }

  SECTION("SVO") {
    rig.wire.expect("SVO 2 1\n", "");
    rig.wire.expect("ERR?\n", "0\n");
    REQUIRE(rig.driver.set_servo("2", true).ok());
    CHECK(rig.wire.written == "SVO 2 1\nERR?\n");
  }

  SECTION("VEL in µm/s") {
    rig.wire.expect("VEL 1 1000\n", "");
    rig.wire.expect("ERR?\n", "0\n");
    REQUIRE(rig.driver.set_velocity("1", 1e-3).ok());
    CHECK(rig.wire.written == "VEL 1 1000\nERR?\n");
  }
  CHECK(rig.wire.finished());
}

TEST_CASE("GCS queries parse '<axis>=<value>' answers", "[hal][gcs]") {
  Rig rig;

  SECTION("POS? in µm → metres") {
    rig.wire.expect("POS? 1\n", "1=12.500000\n");
    auto p = rig.driver.position("1");
    REQUIRE(p.ok());
    CHECK(p.value() == Approx(12.5e-6).epsilon(1e-15));
  }

  SECTION("ONT? and SVO? are 0 or 1") {
    rig.wire.expect("ONT? 1\n", "1=1\n");
    rig.wire.expect("SVO? 2\n", "2=0\n");
    CHECK(rig.driver.on_target("1").value());
    CHECK_FALSE(rig.driver.servo("2").value());
  }

  SECTION("ERR? reads the code") {
    rig.wire.expect("ERR?\n", "7\n");
    CHECK(rig.driver.read_error().value() == 7);
  }
  CHECK(rig.wire.finished());
}

TEST_CASE("GCS STP is confirmed by ERR? reading 10", "[hal][gcs]") {
  // GCS 2.0: STP stops all axes and sets error 10 ("controller was stopped by command").
  Rig rig;
  rig.wire.expect("STP\n", "");
  rig.wire.expect("ERR?\n", "10\n");
  REQUIRE(rig.driver.stop().ok());
  CHECK(rig.wire.written == "STP\nERR?\n");
}

TEST_CASE("A device error comes back as a device error carrying the GCS code", "[hal][gcs]") {
  // GCS error 7: position out of limits (the controller's own limit check).
  Rig rig;
  rig.wire.expect("MOV 1 50\n", "");
  rig.wire.expect("ERR?\n", "7\n");
  auto s = rig.driver.move_to("1", 50e-6);
  CHECK(s.kind() == ErrorKind::device);
  CHECK(s.error().code == 7);
  CHECK(s.error().message == "GCS error 7 (position out of limits) after 'MOV 1 50'");
}

TEST_CASE("Unsafe moves are refused before any byte is sent", "[hal][gcs][safety]") {
  // DESIGN.md §7: servo off or a target outside [TMN, TMX] → safety error, nothing written.
  Rig rig;

  SECTION("servo off on axis 2") {
    auto s = rig.driver.move_to("2", 10e-6);
    CHECK(s.kind() == ErrorKind::safety);
    CHECK(s.error().message == "MOV on axis 2 refused: servo is off");
  }

  SECTION("target above TMX") {
    auto s = rig.driver.move_to("1", 100.5e-6);
    CHECK(s.kind() == ErrorKind::safety);
    CHECK_THAT(s.error().message, Contains("axis 1 target_m = 0.0001005 is outside [0, 1e-04]"));
  }

  SECTION("NaN target") {
    CHECK(rig.driver.move_to("1", std::nan("")).kind() == ErrorKind::safety);
  }

  SECTION("unknown axis") {
    CHECK_THAT(rig.driver.move_to("Z", 1e-6).error().message,
               Contains("axis 'Z' is not one of the controller's axes (1, 2)"));
  }

  SECTION("a relative move past the limit sends only the target query") {
    rig.wire.expect("MOV? 1\n", "1=99.900000\n");
    auto s = rig.driver.move_by("1", 0.2e-6);
    CHECK(s.kind() == ErrorKind::safety);
    CHECK(rig.wire.written == "MOV? 1\n");
    return;
  }
  CHECK(rig.wire.written.empty());
}

TEST_CASE("Moves before initialize() are refused", "[hal][gcs][safety]") {
  // Without limits and servo states read, no move can be checked, so none is sent.
  SimulatedClock clock;
  ScriptedTransport wire(clock);
  GcsPositioner driver(wire, clock);
  auto s = driver.move_to("1", 1e-6);
  CHECK(s.kind() == ErrorKind::safety);
  CHECK_THAT(s.error().message, Contains("not initialized"));
  CHECK(wire.written.empty());
}

TEST_CASE("Bad replies are protocol errors; silence is a timeout", "[hal][gcs]") {
  Rig rig;

  SECTION("garbage instead of a number") {
    rig.wire.expect("POS? 1\n", "1=abc\n");
    auto p = rig.driver.position("1");
    CHECK(p.kind() == ErrorKind::protocol);
    CHECK(p.error().message == "GCS reply to 'POS? 1' holds 'abc', not a number");
  }

  SECTION("the wrong axis answers") {
    rig.wire.expect("POS? 1\n", "2=1.0\n");
    CHECK_THAT(rig.driver.position("1").error().message,
               Contains("does not answer for axis 1 alone"));
  }

  SECTION("binary bytes") {
    rig.wire.expect("ONT? 1\n", std::string("1=\x80\n"));
    CHECK(rig.driver.on_target("1").kind() == ErrorKind::protocol);
  }

  SECTION("no reply: a transport error after the timeout on the driver's clock") {
    rig.wire.expect("POS? 1\n", "");
    const double t0 = rig.clock.now_s();
    auto p = rig.driver.position("1");
    CHECK(p.kind() == ErrorKind::transport);
    CHECK_THAT(p.error().message, Contains("waiting for the reply to 'POS? 1'"));
    CHECK(rig.clock.now_s() - t0 == Approx(0.5));  // the default reply_timeout_s
  }
}

TEST_CASE("Positions are written in µm rounded to 1 pm", "[hal][gcs]") {
  // 12.5e-6 m is 12.5 µm exactly in decimal; the binary product must not leak digits.
  CHECK(gcs_micrometres(12.5e-6) == "12.5");
  CHECK(gcs_micrometres(1.0000004e-6) == "1");
  CHECK(gcs_micrometres(-0.25e-6) == "-0.25");
  CHECK(gcs_micrometres(-1e-13) == "0");
}

TEST_CASE("A late reply after a timeout is not taken for the next command's", "[hal][gcs]") {
  // POS? times out; its answer then arrives; the next query (ONT?) must read its own reply.
  Rig rig;
  rig.wire.expect("POS? 1\n", "");
  CHECK(rig.driver.position("1").kind() == ErrorKind::transport);
  rig.wire.inject("1=12.500000\n");  // the late POS? reply
  rig.wire.expect("ONT? 1\n", "1=0\n");
  auto ont = rig.driver.on_target("1");
  REQUIRE(ont.ok());
  CHECK_FALSE(ont.value());
}

TEST_CASE("A link cut in the middle of a reply is a transport error", "[hal][gcs]") {
  // Half a reply, then nothing: the partial bytes are dropped, never parsed.
  Rig rig;
  rig.wire.expect("POS? 1\n", "1=12.5");
  auto p = rig.driver.position("1");
  CHECK(p.kind() == ErrorKind::transport);
  rig.wire.expect("POS? 1\n", "1=3.000000\n");
  CHECK(rig.driver.position("1").value() == Approx(3e-6).epsilon(1e-15));
}

TEST_CASE("GCS #5, #7 and CST? golden transcripts", "[hal][gcs]") {
  // #5 and #7 are single bytes without LF; #5's answer is a hexadecimal mask (bit i: i-th axis
  // of SAI?), #7's the byte 0xB1 (ready) or 0xB0 (not ready) and LF — the formats PIPython's
  // gcs2commands.py parses (IsMoving: int(answer, 16); IsControllerReady: 177 / 176).
  Rig rig;
  SECTION("#5: mask 2 is axis 2 moving; 0x3 both") {
    rig.wire.expect("\x05", "2\n");
    rig.wire.expect("\x05", "0x3\n");
    CHECK(rig.driver.moving().value() == std::map<std::string, bool>{{"1", false}, {"2", true}});
    CHECK(rig.driver.moving().value() == std::map<std::string, bool>{{"1", true}, {"2", true}});
    CHECK(rig.wire.written == "\x05\x05");
  }
  SECTION("#5: a bit beyond the axes, or not hex, is a protocol error") {
    rig.wire.expect("\x05", "4\n");
    auto r = rig.driver.moving();
    CHECK(r.kind() == ErrorKind::protocol);
    CHECK_THAT(r.error().message, Contains("is not a hexadecimal mask of the 2 axes: '4'"));
    rig.wire.expect("\x05", "moving\n");
    CHECK(rig.driver.moving().kind() == ErrorKind::protocol);
  }
  SECTION("#7: 0xB1 ready, 0xB0 not ready, anything else a protocol error") {
    rig.wire.expect("\x07", "\xB1\n");
    rig.wire.expect("\x07", "\xB0\n");
    rig.wire.expect("\x07", "OK\n");
    CHECK(rig.driver.ready().value());
    CHECK_FALSE(rig.driver.ready().value());
    auto bad = rig.driver.ready();
    CHECK(bad.kind() == ErrorKind::protocol);
    CHECK_THAT(bad.error().message, Contains("is not 0xB1 or 0xB0 and LF: bytes 4F 4B 0A"));
    CHECK(rig.wire.written == "\x07\x07\x07");
  }
  SECTION("#7 unanswered times out on the driver's clock") {
    rig.wire.expect("\x07", "");
    CHECK(rig.driver.ready().kind() == ErrorKind::transport);
  }
  SECTION("CST? of an axis comes from initialize()") {
    CHECK(rig.driver.stage("1").value() == "P-733.2CD");
    CHECK(rig.driver.stage("7").kind() == ErrorKind::safety);
  }
}
