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
