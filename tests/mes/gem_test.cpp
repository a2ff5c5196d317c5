// GEM basics on the equipment side (SEMI E30): communication and control states, remote
// commands, dynamic event reports, alarms and stream 9 errors. Acknowledge codes are SEMI E5's
// (gem.hpp lists the ones used); message structures as in the dictionary tests.
#include <thread>

#include <catch2/catch.hpp>

#include <psw/mes/dictionary.hpp>
#include <psw/mes/gem.hpp>
#include <psw/mes/hsms_link.hpp>

#include "random_item.hpp"

using psw::mes::Dictionary;
using psw::mes::Item;
using psw::mes::Message;
namespace gem = psw::mes::gem;
namespace hsms = psw::mes::hsms;

namespace {

Message named(const std::string& json) { return Dictionary::builtin().from_named_json(json); }

// The single-byte ACK in a reply body (or in the first member of a list body).
int ack_of(const std::optional<Message>& reply) {
  REQUIRE(reply);
  REQUIRE(reply->body);
  const Item& b =
      reply->body->format() == psw::mes::Format::L ? reply->body->items()[0] : *reply->body;
  return b.bytes()[0];
}

// An equipment with event 1001, variables 1 (a joint id) and 2 (a resistance), START/STOP.
struct Cell {
  gem::Equipment equipment{"PSW", "0.1.0"};
  std::vector<std::string> commands;
  Cell() {
    equipment.add_event(1001);
    equipment.add_variable(1, [] { return Item::ascii("JOINT-7"); });
    equipment.add_variable(2, [] { return Item::f8({2.5e-6}); });
    for (std::string rcmd : {"START", "STOP", "PAUSE", "RESUME"}) {
      equipment.on_command(rcmd, [this, rcmd](const gem::CommandParameters&) {
        commands.push_back(rcmd);
        return std::uint8_t{0};
      });
    }
  }
  void establish() {
    REQUIRE(ack_of(equipment.handle(named(R"({"message":"S1F13","body":{}})"))) == 0);
  }
};

}  // namespace

TEST_CASE("communication starts with S1F13/S1F14; before it, primaries are aborted", "[mes][gem]") {
  Cell cell;
  // E30: not communicating → SxF0 for anything but S1F13.
  const auto early = cell.equipment.handle(named(R"({"message":"S1F1"})"));
  REQUIRE(early);
  CHECK(early->name() == "S1F0");
  cell.establish();
  CHECK(cell.equipment.comm_state() == gem::CommState::communicating);
  const auto s1f2 = cell.equipment.handle(named(R"({"message":"S1F1"})"));
  CHECK(*s1f2->body == Item::list({Item::ascii("PSW"), Item::ascii("0.1.0")}));
}

TEST_CASE("the equipment can start communication itself", "[mes][gem]") {
  Cell cell;
  const Message s1f13 = cell.equipment.establish_communications_request();
  CHECK(s1f13.name() == "S1F13");
  CHECK(s1f13.reply_expected);
  CHECK_FALSE(cell.equipment.on_establish_communications_reply(
      named(R"({"message":"S1F14","body":{"COMMACK":1,"DATA":{}}})")));
  CHECK(cell.equipment.on_establish_communications_reply(
      named(R"({"message":"S1F14","body":{"COMMACK":0,"DATA":{}}})")));
}

TEST_CASE("S1F15/S1F17 move between off-line and on-line", "[mes][gem]") {
  Cell cell;
  cell.establish();
  CHECK(ack_of(cell.equipment.handle(named(R"({"message":"S1F15"})"))) == 0);  // OFLACK 0
  CHECK(cell.equipment.control_state() == gem::ControlState::host_offline);
  CHECK(cell.equipment.handle(named(R"({"message":"S1F1"})"))->name() == "S1F0");
  CHECK(ack_of(cell.equipment.handle(named(R"({"message":"S1F17"})"))) == 0);  // ONLACK 0
  CHECK(ack_of(cell.equipment.handle(named(R"({"message":"S1F17"})"))) == 2);  // already
  CHECK(cell.equipment.control_state() == gem::ControlState::online_remote);
}

TEST_CASE("S2F41 remote commands go to their handlers, with E5's HCACK", "[mes][gem]") {
  Cell cell;
  cell.establish();
  auto command = [&](const std::string& rcmd) {
    return ack_of(cell.equipment.handle(
        named(R"({"message":"S2F41","body":{"RCMD":")" + rcmd + R"(","CP":[]}})")));
  };
  CHECK(command("START") == 0);
  CHECK(command("PAUSE") == 0);
  CHECK(command("RESUME") == 0);
  CHECK(command("STOP") == 0);
  CHECK(cell.commands == std::vector<std::string>{"START", "PAUSE", "RESUME", "STOP"});
  CHECK(command("EXPLODE") == 1);  // no such command
  cell.equipment.set_local(true);
  CHECK(command("START") == 2);  // ON-LINE LOCAL: cannot perform now
  CHECK(cell.commands.size() == 4);
}

TEST_CASE("reports defined, linked and enabled produce S6F11 with the variables", "[mes][gem]") {
  Cell cell;
  cell.establish();
  // Nothing is sent before the event is linked and enabled.
  CHECK_FALSE(cell.equipment.event_report(1001));
  CHECK(ack_of(cell.equipment.handle(named(
            R"({"message":"S2F33","body":{"DATAID":1,"RPT":[{"RPTID":2001,"VID":[1,2]}]}})"))) ==
        0);
  CHECK(ack_of(cell.equipment.handle(named(
            R"({"message":"S2F33","body":{"DATAID":2,"RPT":[{"RPTID":2001,"VID":[1]}]}})"))) ==
        3);  // RPTID already defined
  CHECK(ack_of(cell.equipment.handle(named(
            R"({"message":"S2F33","body":{"DATAID":3,"RPT":[{"RPTID":2002,"VID":[9]}]}})"))) ==
        4);  // VID unknown
  CHECK(ack_of(cell.equipment.handle(named(
            R"({"message":"S2F35","body":{"DATAID":4,"LINK":[{"CEID":1001,"RPTID":[2001]}]}})"))) ==
        0);
  CHECK(ack_of(cell.equipment.handle(named(
            R"({"message":"S2F35","body":{"DATAID":5,"LINK":[{"CEID":9,"RPTID":[2001]}]}})"))) ==
        4);  // CEID unknown
  CHECK(ack_of(cell.equipment.handle(
            named(R"({"message":"S2F37","body":{"CEED":true,"CEID":[1001]}})"))) == 0);
  const auto report = cell.equipment.event_report(1001);
  REQUIRE(report);
  CHECK(report->name() == "S6F11");
  CHECK(*report->body ==
        Item::list(
            {Item::u4({1}), Item::u4({1001}),
             Item::list({Item::list(
                 {Item::u4({2001}), Item::list({Item::ascii("JOINT-7"), Item::f8({2.5e-6})})})})}));
  CHECK(ack_of(cell.equipment.handle(
            named(R"({"message":"S2F37","body":{"CEED":false,"CEID":[]}})"))) == 0);
  CHECK_FALSE(cell.equipment.event_report(1001));
}

TEST_CASE("alarms are reported as S5F1 unless disabled by S5F3", "[mes][gem]") {
  Cell cell;
  cell.establish();
  const auto alarm = cell.equipment.alarm_report(7, true, 2, "HV arc");
  REQUIRE(alarm);
  // ALCD 0x82: alarm set (bit 8) in category 2.
  CHECK(*alarm->body == Item::list({Item::binary({0x82}), Item::u4({7}), Item::ascii("HV arc")}));
  CHECK(ack_of(cell.equipment.handle(named(R"({"message":"S5F3","body":{"ALED":0,"ALID":7}})"))) ==
        0);
  CHECK_FALSE(cell.equipment.alarm_report(7, true, 2, "HV arc"));
}

TEST_CASE("stream 9 errors for unknown messages and illegal data", "[mes][gem]") {
  Cell cell;
  cell.establish();
  Message unknown_stream;
  unknown_stream.stream = 64;
  unknown_stream.function = 1;
  unknown_stream.reply_expected = true;
  const auto s9f3 = cell.equipment.handle(unknown_stream, 0, 0x01020304);
  REQUIRE(s9f3);
  CHECK(s9f3->name() == "S9F3");
  // MHEAD: device 0, W|64, 1, PType 0, SType 0, system bytes 01020304.
  CHECK(*s9f3->body == Item::binary({0x00, 0x00, 0xC0, 0x01, 0, 0, 1, 2, 3, 4}));
  Message unknown_function = unknown_stream;
  unknown_function.stream = 1;
  unknown_function.function = 99;
  CHECK(cell.equipment.handle(unknown_function)->name() == "S9F5");
  Message illegal = named(R"({"message":"S2F41","body":{"RCMD":"START","CP":[]}})");
  illegal.body = Item::u4({1});
  CHECK(cell.equipment.handle(illegal)->name() == "S9F7");
  CHECK(gem::s9_message(9, unknown_stream, 0, 5).name() == "S9F9");
}

TEST_CASE("a host drives GEM equipment over loopback HSMS", "[mes][gem][tcp]") {
  hsms::Listener listener;
  std::vector<std::string> commands;
  bool s6f12_ok = false;
  std::thread equipment_thread([&] {
    auto link = listener.accept(5.0);
    if (!link) return;
    Cell cell;
    link->set_handler([&](hsms::Link& l, const hsms::Event& e) {
      if (e.kind != hsms::Event::Kind::primary_received) return;
      auto reply = cell.equipment.handle(*e.message, 0, e.system_bytes);
      if (reply && e.message->reply_expected) l.reply(*reply, e.system_bytes);
      // After START, report event 1001 to the host.
      if (e.message->stream == 2 && e.message->function == 41) {
        if (auto report = cell.equipment.event_report(1001)) {
          const auto ack = l.request(*report, 5.0);
          s6f12_ok =
              ack.status == hsms::Reply::Status::ok && *ack.message->body == Item::binary({0});
        }
      }
    });
    const double deadline = hsms::Link::now_s() + 5.0;
    while (link->open() && hsms::Link::now_s() < deadline) link->poll(0.05);
    commands = cell.commands;
  });

  auto host = hsms::Link::connect("127.0.0.1", listener.port(), 5.0);
  REQUIRE(host);
  host->set_handler([](hsms::Link& l, const hsms::Event& e) {
    if (e.kind == hsms::Event::Kind::primary_received && e.message->stream == 6) {
      l.reply(named(R"({"message":"S6F12","body":{"ACKC6":0}})"), e.system_bytes);
    }
  });
  REQUIRE(host->select(5.0));
  for (const char* json :
       {R"({"message":"S1F13","body":{}})",
        R"({"message":"S2F33","body":{"DATAID":1,"RPT":[{"RPTID":2001,"VID":[1,2]}]}})",
        R"({"message":"S2F35","body":{"DATAID":2,"LINK":[{"CEID":1001,"RPTID":[2001]}]}})",
        R"({"message":"S2F37","body":{"CEED":true,"CEID":[]}})"}) {
    const auto reply = host->request(named(json), 5.0);
    REQUIRE(reply.status == hsms::Reply::Status::ok);
    CHECK(ack_of(reply.message) == 0);
  }
  const auto started =
      host->request(named(R"({"message":"S2F41","body":{"RCMD":"START","CP":[]}})"), 5.0);
  REQUIRE(started.status == hsms::Reply::Status::ok);
  CHECK(ack_of(started.message) == 0);
  host->poll(0.2);  // serve the S6F11 the equipment sends after START
  host->linktest(5.0);
  host->separate();
  equipment_thread.join();
  CHECK(commands == std::vector<std::string>{"START"});
  CHECK(s6f12_ok);
}

namespace {

// Moves each side's output to the other until both are quiet (a loss-free loopback).
void exchange(hsms::Session& a, hsms::Session& b, double now_s) {
  for (int i = 0; i < 8; ++i) {
    const auto ab = a.take_output();
    const auto ba = b.take_output();
    if (ab.empty() && ba.empty()) return;
    b.on_bytes(ab, now_s);
    a.on_bytes(ba, now_s);
  }
}

// A weld cell's status variables and equipment constants, as the CLI's equipment declares
// them in spirit: HV setpoint (V), stage x (m), process state (text); T3 (s) as a constant.
void declare_cell_variables(gem::Equipment& equipment) {
  equipment.add_status_variable(1, "HvSetpoint", "V", [] { return Item::f8({1200.0}); });
  equipment.add_status_variable(2, "StageX", "m", [] { return Item::f8({2.5e-6}); });
  equipment.add_status_variable(3, "ProcessState", "", [] { return Item::ascii("IDLE"); });
  equipment.add_equipment_constant(10, "T3", "s", [] { return Item::u2({45}); });
}

}  // namespace

TEST_CASE("S1F3/S2F13 answer one value per ID; an unknown ID gets a zero-length item",
          "[mes][gem]") {
  Cell cell;
  declare_cell_variables(cell.equipment);
  cell.establish();
  SECTION("S1F3 <L <U4 1> <U4 99>>: golden S1F4 body bytes") {
    const auto reply = cell.equipment.handle(named(R"({"message":"S1F3","body":{"SVID":[1,99]}})"));
    REQUIRE(reply);
    CHECK(reply->name() == "S1F4");
    // <L [2] <F8 1200> <L [0]>>: L (format 00) with 1 length byte = 01 02; F8 (format 040
    // octal) = 0x81 08 and 1200 = 0x4092C00000000000 in IEEE 754; the unknown SVID 99 is the
    // zero-length list 01 00 (SEMI E5 S1F4, see gem.hpp).
    CHECK(psw::mes::encode(*reply->body) == std::vector<std::uint8_t>{0x01, 0x02, 0x81, 0x08, 0x40,
                                                                      0x92, 0xC0, 0x00, 0x00, 0x00,
                                                                      0x00, 0x00, 0x01, 0x00});
  }
  SECTION("S1F3 with an empty list: every SV, by ascending SVID") {
    const auto reply = cell.equipment.handle(named(R"({"message":"S1F3","body":{"SVID":[]}})"));
    REQUIRE(reply);
    CHECK(*reply->body ==
          Item::list({Item::f8({1200.0}), Item::f8({2.5e-6}), Item::ascii("IDLE")}));
  }
  SECTION("S2F13 <L <U4 10> <A \"X\">>: the constant, then a zero-length item") {
    // A text ECID is a legal E5 format but names nothing here.
    Message m = named(R"({"message":"S2F13","body":{"ECID":[10]}})");
    m.body = Item::list({Item::u4({10}), Item::ascii("X")});
    const auto reply = cell.equipment.handle(m);
    REQUIRE(reply);
    CHECK(reply->name() == "S2F14");
    // <L [2] <U2 45> <L [0]>>: U2 (format 052 octal) = 0xA9, 2 bytes, 45 = 0x002D.
    CHECK(psw::mes::encode(*reply->body) ==
          std::vector<std::uint8_t>{0x01, 0x02, 0xA9, 0x02, 0x00, 0x2D, 0x01, 0x00});
  }
  SECTION("S2F13 with an empty list: every EC") {
    const auto reply = cell.equipment.handle(named(R"({"message":"S2F13","body":{"ECID":[]}})"));
    REQUIRE(reply);
    CHECK(*reply->body == Item::list({Item::u2({45})}));
  }
  SECTION("off-line, S1F3 is aborted with S1F0 like any other request") {
    REQUIRE(ack_of(cell.equipment.handle(named(R"({"message":"S1F15"})"))) == 0);
    const auto reply = cell.equipment.handle(named(R"({"message":"S1F3","body":{"SVID":[]}})"));
    REQUIRE(reply);
    CHECK(reply->name() == "S1F0");
  }
}

TEST_CASE("the equipment answers S9F1, S9F7 and S9F9 to HSMS events (simulated clock)",
          "[mes][gem][hsms]") {
  using Kind = hsms::Event::Kind;
  Cell cell;
  hsms::Session equipment(hsms::Mode::passive, 0);
  SECTION("a message for device 5 is not delivered; S9F1 carries its header") {
    hsms::Session host(hsms::Mode::active, 5);
    host.on_connected(0);
    equipment.on_connected(0);
    host.select(0);
    exchange(host, equipment, 0);
    equipment.take_events();
    const std::uint32_t system = host.send(named(R"({"message":"S1F1"})"), 1.0);
    exchange(host, equipment, 1.0);
    const auto events = equipment.take_events();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::unknown_device);
    CHECK(events[0].device_id == 5);
    const auto out = cell.equipment.respond(events[0], 0);
    REQUIRE(out);
    CHECK_FALSE(out->reply_to);
    CHECK(out->message.name() == "S9F1");
    // MHEAD: device 00 05, W|1 = 0x81, F1, PType 0, SType 0, the host's system bytes.
    CHECK(
        *out->message.body ==
        Item::binary({0x00, 0x05, 0x81, 0x01, 0, 0, static_cast<std::uint8_t>(system >> 24),
                      static_cast<std::uint8_t>(system >> 16),
                      static_cast<std::uint8_t>(system >> 8), static_cast<std::uint8_t>(system)}));
  }
  SECTION("a body that is not SECS-II: S9F7 with the header, the connection stays") {
    equipment.on_connected(0);
    hsms::Session host(hsms::Mode::active, 0);
    host.on_connected(0);
    host.select(0);
    exchange(host, equipment, 0);
    equipment.take_events();
    // Length 11, header for S1F1 W with system bytes 9, then 0xFF: format code 077 is none of
    // E5's, so the body cannot be decoded.
    const std::vector<std::uint8_t> bad{0, 0, 0, 11, 0, 0, 0x81, 0x01, 0, 0, 0, 0, 0, 9, 0xFF};
    equipment.on_bytes(bad, 1.0);
    const auto events = equipment.take_events();
    REQUIRE(events.size() == 1);
    REQUIRE(events[0].kind == Kind::illegal_data);
    const auto out = cell.equipment.respond(events[0], 0);
    REQUIRE(out);
    CHECK(out->message.name() == "S9F7");
    CHECK(*out->message.body == Item::binary({0, 0, 0x81, 0x01, 0, 0, 0, 0, 0, 9}));
    CHECK(equipment.state() == hsms::State::selected);
  }
  SECTION("T3 expires on the equipment's S6F11: S9F9 with its header goes to the host") {
    hsms::Session host(hsms::Mode::active, 0);
    host.on_connected(0);
    equipment.on_connected(0);
    host.select(0);
    exchange(host, equipment, 0);
    host.take_events();
    equipment.take_events();
    cell.establish();
    cell.equipment.handle(named(R"({"message":"S2F37","body":{"CEED":true,"CEID":[]}})"));
    const auto report = cell.equipment.event_report(1001);
    REQUIRE(report);
    const std::uint32_t system = equipment.send(*report, 1.0);
    exchange(host, equipment, 1.0);  // the host receives it and never answers

    // T3 = 45 s (the default): nothing just before, the timeout at 46 s.
    equipment.on_time(45.9);
    CHECK(equipment.take_events().empty());
    equipment.on_time(46.0);
    const auto events = equipment.take_events();
    REQUIRE(events.size() == 1);
    REQUIRE(events[0].kind == Kind::reply_timeout);
    const auto out = cell.equipment.respond(events[0], 0);
    REQUIRE(out);
    CHECK(out->message.name() == "S9F9");
    CHECK_FALSE(out->message.reply_expected);
    equipment.send(out->message, 46.0);
    host.take_events();
    exchange(host, equipment, 46.0);
    const auto at_host = host.take_events();
    REQUIRE(at_host.size() == 1);
    REQUIRE(at_host[0].kind == Kind::primary_received);
    // SHEAD: device 0, W|6 = 0x86, F11 = 0x0B, PType/SType 0, the S6F11's system bytes.
    CHECK(
        *at_host[0].message->body ==
        Item::binary({0, 0, 0x86, 0x0B, 0, 0, static_cast<std::uint8_t>(system >> 24),
                      static_cast<std::uint8_t>(system >> 16),
                      static_cast<std::uint8_t>(system >> 8), static_cast<std::uint8_t>(system)}));
    CHECK(Dictionary::builtin().to_named_json(*at_host[0].message).find("SHEAD") !=
          std::string::npos);
  }
}

TEST_CASE("the host acknowledges S5F1/S6F11/S10F1 and aborts other requests", "[mes][gem]") {
  // ACKC5/ACKC6/ACKC10 0 = accepted (SEMI E5); function 0 aborts a transaction.
  const auto s6 = gem::host_acknowledge(
      named(R"({"message":"S6F11","body":{"DATAID":1,"CEID":1001,"RPT":[]}})"));
  REQUIRE(s6);
  CHECK(s6->name() == "S6F12");
  CHECK(*s6->body == Item::binary({0}));
  const auto s2 = gem::host_acknowledge(named(R"({"message":"S1F1"})"));
  REQUIRE(s2);
  CHECK(s2->name() == "S1F0");
  Message no_wait;
  no_wait.stream = 5;
  no_wait.function = 1;
  CHECK_FALSE(gem::host_acknowledge(no_wait));
}

TEST_CASE("over loopback, a host that never answers S6F11 gets S9F9 when T3 expires",
          "[mes][gem][tcp]") {
  hsms::Listener listener;
  hsms::Timers timers;
  timers.t3_s = 0.2;  // short, so that T3 expires during the test
  hsms::Reply report_outcome;
  std::thread equipment_thread([&] {
    auto link = listener.accept(5.0, 0, timers);
    if (!link) return;
    Cell cell;
    link->set_handler([&](hsms::Link& l, const hsms::Event& e) {
      auto out = cell.equipment.respond(e, 0);
      if (!out) return;
      if (out->reply_to) {
        l.reply(out->message, *out->reply_to);
      } else {
        l.request(out->message, 0);
      }
    });
    const double deadline = hsms::Link::now_s() + 5.0;
    bool reported = false;
    while (link->open() && hsms::Link::now_s() < deadline) {
      link->poll(0.02);
      // Once the host has enabled events, report 1001 and wait (T3 bounds the wait).
      if (!reported) {
        if (auto report = cell.equipment.event_report(1001)) {
          report_outcome = link->request(*report, 5.0);
          reported = true;
        }
      }
    }
  });

  auto host = hsms::Link::connect("127.0.0.1", listener.port(), 5.0);
  REQUIRE(host);
  std::vector<Message> primaries;  // received and deliberately not answered
  host->set_handler([&](hsms::Link&, const hsms::Event& e) {
    if (e.kind == hsms::Event::Kind::primary_received) primaries.push_back(*e.message);
  });
  REQUIRE(host->select(5.0));
  REQUIRE(host->request(named(R"({"message":"S1F13","body":{}})"), 5.0).status ==
          hsms::Reply::Status::ok);
  REQUIRE(
      host->request(named(R"({"message":"S2F37","body":{"CEED":true,"CEID":[]}})"), 5.0).status ==
      hsms::Reply::Status::ok);
  const double deadline = hsms::Link::now_s() + 5.0;
  while (primaries.size() < 2 && host->open() && hsms::Link::now_s() < deadline) {
    host->poll(0.05);
  }
  host->separate();
  equipment_thread.join();
  CHECK(report_outcome.status == hsms::Reply::Status::timeout);
  REQUIRE(primaries.size() == 2);
  CHECK(primaries[0].name() == "S6F11");
  CHECK(primaries[1].name() == "S9F9");
  // SHEAD names the unanswered S6F11: device 0, W|6 = 0x86, function 11 = 0x0B.
  const auto& shead = primaries[1].body->bytes();
  REQUIRE(shead.size() == 10);
  CHECK(shead[0] == 0);
  CHECK(shead[1] == 0);
  CHECK(shead[2] == 0x86);
  CHECK(shead[3] == 0x0B);
}
