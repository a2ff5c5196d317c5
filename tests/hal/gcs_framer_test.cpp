#include <string>

#include <catch2/catch.hpp>

#include <psw/hal/gcs_framer.hpp>

using Catch::Matchers::Contains;
using namespace psw::hal;
using namespace psw::hal::gcs;

TEST_CASE("GCS commands are framed as one line ending in LF", "[hal][gcs]") {
  // PI GCS 2.0 syntax: a command line is terminated by LF (0x0A), nothing else added.
  CHECK(frame_command("MOV 1 12.5") == std::string("MOV 1 12.5\x0A"));
  CHECK(frame_command("ERR?") == "ERR?\n");
  CHECK_THROWS_WITH(frame_command("MOV 1 1\nSTP"), Contains("contains a line break"));
}

TEST_CASE("A GCS reply ends at the first LF not preceded by a space", "[hal][gcs]") {
  // PI GCS 2.0: every line of a multi-line answer but the last ends in space + LF.
  GcsReplyFramer framer;

  SECTION("single line") {
    framer.feed("1=12.500000\n");
    auto reply = framer.next();
    REQUIRE(reply);
    REQUIRE(reply->ok());
    CHECK(reply->value().lines == std::vector<std::string>{"1=12.500000"});
    CHECK_FALSE(framer.next());
  }

  SECTION("three lines, fed a byte at a time") {
    const std::string bytes = "1=0.000000 \n2=0.000000 \n3=100.000000\n";
    for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
      framer.feed(bytes.substr(i, 1));
      CHECK_FALSE(framer.next());  // no reply until the final LF
    }
    framer.feed("\n");
    auto reply = framer.next();
    REQUIRE(reply);
    CHECK(reply->value().lines ==
          std::vector<std::string>{"1=0.000000", "2=0.000000", "3=100.000000"});
  }

  SECTION("two replies in one read come out one by one") {
    framer.feed("0\n1=1\n2=");
    CHECK(framer.next()->value().lines == std::vector<std::string>{"0"});
    CHECK(framer.next()->value().lines == std::vector<std::string>{"1=1"});
    CHECK_FALSE(framer.next());
    CHECK(framer.buffered() == 2);  // "2=" waits for the rest
  }
}

TEST_CASE("Bytes that cannot be a GCS reply are a protocol error", "[hal][gcs]") {
  // GCS replies are printable ASCII and LF; anything else means a garbled link.
  GcsReplyFramer framer;

  SECTION("a control byte") {
    framer.feed(std::string("1=\x01\xFF\n", 5));
    auto reply = framer.next();
    REQUIRE(reply);
    CHECK(reply->kind() == ErrorKind::protocol);
    CHECK_THAT(reply->error().message, Contains("byte 0x01 at offset 2"));
    // The framer stays failed until reset.
    framer.feed("0\n");
    CHECK(framer.next()->kind() == ErrorKind::protocol);
    framer.reset();
    framer.feed("0\n");
    CHECK(framer.next()->value().lines == std::vector<std::string>{"0"});
  }

  SECTION("an endless line") {
    framer.feed(std::string(kMaxReplyBytes + 1, 'A'));
    auto reply = framer.next();
    REQUIRE(reply);
    CHECK(reply->kind() == ErrorKind::protocol);
    CHECK_THAT(reply->error().message, Contains("longer than 65536 bytes"));
    CHECK(framer.buffered() == 0);
  }
}

TEST_CASE("The controller side splits commands at LF and honours #24 at once", "[hal][gcs]") {
  // GCS 2.0: #24 (0x18) is the single-byte stop, valid without LF and inside a line.
  GcsCommandFramer framer;
  framer.feed("MOV 1 ");
  framer.feed(std::string(1, kStopByte));
  framer.feed("5\r\nPOS? 1\n");
  CHECK(framer.next() == "#24");
  CHECK(framer.next() == "MOV 1 5");  // CR before LF dropped
  CHECK(framer.next() == "POS? 1");
  CHECK_FALSE(framer.next());
}
