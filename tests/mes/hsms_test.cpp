// HSMS frames and the HSMS-SS session state machine, driven by a simulated clock.
//
// Byte layouts follow SEMI E37 as summarised in REFERENCES.md (4-byte length, 10-byte header:
// session id, byte 2, byte 3, PType, SType, system bytes). The data-frame vector is the S1F2
// captured and annotated at https://www.cnblogs.com/zhuoss/p/21618696 (device id 1, S1F2,
// system bytes 1). Timer defaults T3 45 s, T5 10 s, T6 5 s, T7 10 s, T8 5 s (REFERENCES.md).
#include <stdexcept>

#include <catch2/catch.hpp>

#include <psw/mes/hsms_frame.hpp>
#include <psw/mes/hsms_session.hpp>

#include "random_item.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using psw::mes::Item;
using psw::mes::Message;
using psw::mes::testing::hex;
namespace hsms = psw::mes::hsms;
using Kind = hsms::Event::Kind;

namespace {

Message s1f1() {
  Message m;
  m.stream = 1;
  m.function = 1;
  m.reply_expected = true;
  return m;
}

Message s1f2() {
  Message m;
  m.stream = 1;
  m.function = 2;
  m.body = Item::list({Item::ascii("MDLN1"), Item::ascii("SOFTREV1")});
  return m;
}

// Moves bytes both ways until neither side has anything to say.
void exchange(hsms::Session& a, hsms::Session& b, double now) {
  for (int round = 0; round < 16; ++round) {
    auto ab = a.take_output();
    auto ba = b.take_output();
    if (ab.empty() && ba.empty()) return;
    b.on_bytes(ab, now);
    a.on_bytes(ba, now);
  }
}

std::vector<Kind> kinds(const std::vector<hsms::Event>& events) {
  std::vector<Kind> out;
  for (const auto& e : events) out.push_back(e.kind);
  return out;
}

// A host (active) and an equipment (passive), connected and selected at t = 0.
struct Pair {
  hsms::Session host{hsms::Mode::active, 0};
  hsms::Session equipment{hsms::Mode::passive, 0};
  Pair() {
    host.on_connected(0);
    equipment.on_connected(0);
    host.select(0);
    exchange(host, equipment, 0);
    host.take_events();
    equipment.take_events();
  }
};

}  // namespace

TEST_CASE("HSMS frames have the SEMI E37 byte layout", "[mes][hsms]") {
  SECTION("select.req: session 0xFFFF, SType 1, system bytes 1") {
    CHECK(hsms::encode_frame(hsms::control_frame(hsms::SType::select_req, 1)) ==
          hex("00 00 00 0A FF FF 00 00 00 01 00 00 00 01"));
  }
  SECTION("S1F1 W header-only: W-bit in byte 2, function in byte 3") {
    CHECK(hsms::encode_frame(hsms::data_frame(s1f1(), 0, 2)) ==
          hex("00 00 00 0A 00 00 81 01 00 00 00 00 00 02"));
  }
  SECTION("a published S1F2 data message") {
    Message m;
    m.stream = 1;
    m.function = 2;
    m.body = Item::list({Item::ascii("MDLN1"), Item::ascii("SOFTREV1"), Item::binary({1}),
                         Item::boolean({true}), Item::u1({1}), Item::u2({2}), Item::u4({4})});
    const auto expected =
        hex("00 00 00 30  00 01 01 02 00 00 00 00 00 01"
            " 01 07 41 05 4D 44 4C 4E 31 41 08 53 4F 46 54 52 45 56 31 21 01 01 25 01 01"
            " A5 01 01 A9 02 00 02 B1 04 00 00 00 04");
    CHECK(hsms::encode_frame(hsms::data_frame(m, 1, 1)) == expected);
    hsms::FrameReader reader;
    reader.feed(expected);
    const auto frame = reader.next();
    REQUIRE(frame);
    CHECK(hsms::message_of(*frame) == m);
    CHECK(frame->header.session_id == 1);
    CHECK_FALSE(reader.next());
  }
}

TEST_CASE("the frame reader splits a stream and refuses hostile lengths", "[mes][hsms]") {
  SECTION("byte by byte and two at once give the same frames") {
    auto bytes = hsms::encode_frame(hsms::data_frame(s1f2(), 7, 42));
    const auto second = hsms::encode_frame(hsms::control_frame(hsms::SType::linktest_req, 43));
    bytes.insert(bytes.end(), second.begin(), second.end());
    hsms::FrameReader reader;
    std::vector<hsms::Frame> frames;
    for (std::uint8_t b : bytes) {
      reader.feed(std::span<const std::uint8_t>(&b, 1));
      while (auto f = reader.next()) frames.push_back(*f);
    }
    REQUIRE(frames.size() == 2);
    CHECK(frames[0].header.system_bytes == 42);
    CHECK(frames[1].header.stype == 5);
    CHECK_FALSE(reader.partial());
  }
  SECTION("a 4 GiB length prefix is refused from its four bytes alone") {
    hsms::FrameReader reader;
    reader.feed(hex("FF FF FF FF"));
    REQUIRE_THROWS_WITH(reader.next(),
                        Equals("HSMS stream at byte 0: message length 4294967295 is outside "
                               "[10, 16777226]"));
  }
  SECTION("a length below the 10-byte header, after one good frame") {
    hsms::FrameReader reader;
    reader.feed(hsms::encode_frame(hsms::control_frame(hsms::SType::linktest_req, 1)));
    reader.feed(hex("00 00 00 09"));
    CHECK(reader.next());
    REQUIRE_THROWS_WITH(reader.next(), Equals("HSMS stream at byte 14: message length 9 is "
                                              "outside [10, 16777226]"));
  }
}

TEST_CASE("select, a data transaction and separate between two sessions", "[mes][hsms]") {
  hsms::Session host(hsms::Mode::active, 0);
  hsms::Session equipment(hsms::Mode::passive, 0);
  host.on_connected(0);
  equipment.on_connected(0);
  CHECK(host.state() == hsms::State::not_selected);

  // Select: the host asks, the equipment answers status 0 (E37 select procedure).
  const auto select_system = host.select(0);
  exchange(host, equipment, 0);
  CHECK(host.state() == hsms::State::selected);
  CHECK(equipment.state() == hsms::State::selected);
  const auto host_events = host.take_events();
  REQUIRE(kinds(host_events) == std::vector{Kind::selected});
  CHECK(host_events[0].system_bytes == select_system);
  CHECK(kinds(equipment.take_events()) == std::vector{Kind::selected});

  // S1F1 W → S1F2 with the same system bytes.
  const auto system = host.send(s1f1(), 1.0);
  CHECK(host.open_transactions() == 1);
  equipment.on_bytes(host.take_output(), 1.0);
  auto received = equipment.take_events();
  REQUIRE(kinds(received) == std::vector{Kind::primary_received});
  CHECK(received[0].system_bytes == system);
  CHECK(*received[0].message == s1f1());
  equipment.reply(s1f2(), received[0].system_bytes);
  host.on_bytes(equipment.take_output(), 1.5);
  auto replies = host.take_events();
  REQUIRE(kinds(replies) == std::vector{Kind::reply_received});
  CHECK(replies[0].system_bytes == system);
  CHECK(*replies[0].message == s1f2());
  CHECK(host.open_transactions() == 0);

  // Separate: the host leaves, the equipment is told and asks for the socket to close.
  host.separate(2.0);
  CHECK(host.close_requested());
  equipment.on_bytes(host.take_output(), 2.0);
  CHECK(kinds(equipment.take_events()) == std::vector{Kind::separated});
  CHECK(equipment.close_requested());
  CHECK(equipment.state() == hsms::State::not_connected);
}

TEST_CASE("each HSMS timer expires with the right outcome on a simulated clock", "[mes][hsms]") {
  SECTION("T3: an unanswered W-bit primary times out, the connection stays") {
    Pair p;
    const auto system = p.host.send(s1f1(), 100.0);
    p.host.on_time(144.999);
    CHECK(p.host.take_events().empty());
    CHECK(p.host.next_deadline() == Approx(145.0));
    p.host.on_time(145.0);
    const auto events = p.host.take_events();
    REQUIRE(kinds(events) == std::vector{Kind::reply_timeout});
    CHECK(events[0].system_bytes == system);
    CHECK(p.host.state() == hsms::State::selected);
    CHECK_FALSE(p.host.close_requested());
    // A reply arriving after T3 no longer matches a transaction.
    p.equipment.take_events();
    p.equipment.reply(s1f2(), system);
    p.host.on_bytes(p.equipment.take_output(), 146.0);
    CHECK(kinds(p.host.take_events()) == std::vector{Kind::unexpected_reply});
  }
  SECTION("T5: no new connection attempt until T5 after the last one ended") {
    Pair p;
    p.host.on_disconnected(50.0);
    CHECK(kinds(p.host.take_events()) == std::vector{Kind::disconnected});
    CHECK_FALSE(p.host.may_connect(59.999));
    CHECK(p.host.may_connect(60.0));
  }
  SECTION("T6: a select.req with no select.rsp ends the connection") {
    hsms::Session host(hsms::Mode::active, 0);
    host.on_connected(0);
    const auto system = host.select(1.0);
    host.on_time(5.999);
    CHECK(host.take_events().empty());
    host.on_time(6.0);
    const auto events = host.take_events();
    REQUIRE(kinds(events) == std::vector{Kind::control_timeout});
    CHECK(events[0].system_bytes == system);
    CHECK(events[0].text == "T6: no select.rsp in 5 s");
    CHECK(host.close_requested());
  }
  SECTION("T7: a passive entity never selected ends the connection") {
    hsms::Session equipment(hsms::Mode::passive, 0);
    equipment.on_connected(3.0);
    equipment.on_time(12.999);
    CHECK(equipment.take_events().empty());
    equipment.on_time(13.0);
    REQUIRE(kinds(equipment.take_events()) == std::vector{Kind::not_selected_timeout});
    CHECK(equipment.close_requested());
  }
  SECTION("T8: a message that stops arriving mid-way ends the connection") {
    Pair p;
    const auto frame = hsms::encode_frame(hsms::data_frame(s1f2(), 0, 9));
    const std::span<const std::uint8_t> all(frame);
    p.equipment.on_bytes(all.first(7), 10.0);
    p.equipment.on_time(14.999);
    CHECK(p.equipment.take_events().empty());
    p.equipment.on_bytes(all.subspan(7, 5), 14.0);  // more bytes restart T8
    p.equipment.on_time(18.999);
    CHECK(p.equipment.take_events().empty());
    p.equipment.on_time(19.0);
    REQUIRE(kinds(p.equipment.take_events()) == std::vector{Kind::inter_character_timeout});
    CHECK(p.equipment.close_requested());
  }
  SECTION("periodic linktest while selected") {
    hsms::Timers timers;
    timers.linktest_s = 30.0;
    hsms::Session host(hsms::Mode::active, 0, timers);
    hsms::Session equipment(hsms::Mode::passive, 0);
    host.on_connected(0);
    equipment.on_connected(0);
    host.select(0);
    exchange(host, equipment, 0);
    host.take_events();
    host.on_time(29.0);
    CHECK(host.take_output().empty());
    host.on_time(30.0);
    const auto out = host.take_output();
    REQUIRE(out.size() == 14);
    CHECK(out[9] == 5);  // SType linktest.req
    equipment.on_bytes(out, 30.0);
    host.on_bytes(equipment.take_output(), 30.0);
    CHECK(kinds(host.take_events()) == std::vector{Kind::linktest_ok});
  }
}

TEST_CASE("messages that cannot be accepted are rejected with E37's reason codes", "[mes][hsms]") {
  SECTION("reason 4: a data message before select") {
    hsms::Session equipment(hsms::Mode::passive, 0);
    equipment.on_connected(0);
    equipment.on_bytes(hsms::encode_frame(hsms::data_frame(s1f1(), 0, 77)), 0);
    // reject.req: session echoed, byte 2 = rejected SType (0), byte 3 = reason 4, system 77.
    CHECK(equipment.take_output() == hex("00 00 00 0A 00 00 00 04 00 07 00 00 00 4D"));
  }
  SECTION("reason 1: an SType HSMS does not define") {
    Pair p;
    p.equipment.on_bytes(hex("00 00 00 0A FF FF 00 00 00 08 00 00 00 05"), 0);
    CHECK(p.equipment.take_output() == hex("00 00 00 0A FF FF 08 01 00 07 00 00 00 05"));
  }
  SECTION("reason 2: a PType other than SECS-II") {
    Pair p;
    p.equipment.on_bytes(hex("00 00 00 0A FF FF 00 00 03 05 00 00 00 06"), 0);
    CHECK(p.equipment.take_output() == hex("00 00 00 0A FF FF 03 02 00 07 00 00 00 06"));
  }
  SECTION("reason 3: a linktest.rsp nobody asked for") {
    Pair p;
    p.equipment.on_bytes(hex("00 00 00 0A FF FF 00 00 00 06 00 00 00 63"), 0);
    CHECK(p.equipment.take_output() == hex("00 00 00 0A FF FF 06 03 00 07 00 00 00 63"));
  }
  SECTION("a second select.req on a selected session answers status 1, already active") {
    Pair p;
    p.equipment.on_bytes(hsms::encode_frame(hsms::control_frame(hsms::SType::select_req, 8)), 0);
    CHECK(p.equipment.take_output() == hex("00 00 00 0A FF FF 00 01 00 02 00 00 00 08"));
    CHECK(p.equipment.state() == hsms::State::selected);
  }
  SECTION("the rejected side hears the reason") {
    hsms::Session host(hsms::Mode::active, 0);
    host.on_connected(0);
    host.on_bytes(hex("00 00 00 0A 00 00 00 04 00 07 00 00 00 4D"), 0);
    const auto events = host.take_events();
    REQUIRE(kinds(events) == std::vector{Kind::rejected});
    CHECK(events[0].code == 4);
    CHECK(events[0].text == "peer rejected our data, reason 4");
  }
}

TEST_CASE("malformed and abusive input from the peer", "[mes][hsms]") {
  SECTION("a hostile length ends the connection with a protocol error") {
    Pair p;
    p.equipment.on_bytes(hex("FF FF FF FF 00"), 5.0);
    const auto events = p.equipment.take_events();
    REQUIRE(kinds(events) == std::vector{Kind::protocol_error});
    CHECK_THAT(events[0].text, Contains("message length 4294967295 is outside"));
    CHECK(p.equipment.close_requested());
  }
  SECTION("a bad SECS-II body is illegal data; the session goes on") {
    Pair p;
    hsms::Frame f = hsms::data_frame(s1f1(), 0, 12);
    f.body = hex("B1 03 00 00 01");  // U4 of 3 bytes
    p.equipment.on_bytes(hsms::encode_frame(f), 1.0);
    const auto events = p.equipment.take_events();
    REQUIRE(kinds(events) == std::vector{Kind::illegal_data});
    CHECK_THAT(events[0].text, Contains("U4 length 3 is not a multiple"));
    CHECK(events[0].message->name() == "S1F1");
    CHECK(p.equipment.state() == hsms::State::selected);
  }
  SECTION("a flood of linktests is answered one for one") {
    Pair p;
    std::vector<std::uint8_t> flood;
    for (std::uint32_t i = 1; i <= 1000; ++i) {
      const auto f = hsms::encode_frame(hsms::control_frame(hsms::SType::linktest_req, i));
      flood.insert(flood.end(), f.begin(), f.end());
    }
    p.equipment.on_bytes(flood, 1.0);
    const auto out = p.equipment.take_output();
    CHECK(out.size() == 1000 * 14);
    hsms::FrameReader reader;
    reader.feed(out);
    std::uint32_t expected = 1;
    while (auto f = reader.next()) {
      CHECK(f->header.stype == 6);
      CHECK(f->header.system_bytes == expected++);
    }
    CHECK(expected == 1001);
    CHECK(p.equipment.state() == hsms::State::selected);
  }
}

TEST_CASE("session misuse and bad timers are reported, not ignored", "[mes][hsms]") {
  hsms::Timers timers;
  timers.t3_s = 0;
  REQUIRE_THROWS_WITH(hsms::Session(hsms::Mode::active, 0, timers),
                      Equals("hsms.t3_s = 0 is outside (0, inf)"));
  hsms::Session host(hsms::Mode::active, 0);
  REQUIRE_THROWS_WITH(host.send(s1f1(), 0),
                      Equals("HSMS data message S1F1 needs state SELECTED, not NOT CONNECTED"));
  host.on_connected(0);
  host.select(0);
  REQUIRE_THROWS_WITH(host.linktest(0),
                      Equals("HSMS linktest.req: a control transaction is already open"));
}
