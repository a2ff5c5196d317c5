// HSMS-SS over loopback TCP (127.0.0.1 only): psw host against psw equipment, and peers that
// misbehave. Timers are shortened so that the tests take well under a second each; the
// assertions are on outcomes (which event, which reply), never on how long anything took.
#include <atomic>
#include <chrono>
#include <thread>

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <psw/mes/hsms_frame.hpp>
#include <psw/mes/hsms_link.hpp>

#include "random_item.hpp"

using Catch::Matchers::Contains;
using psw::mes::Item;
using psw::mes::Message;
namespace hsms = psw::mes::hsms;
using Kind = hsms::Event::Kind;

namespace {

// Generous bound on every wait: reached only if something is broken, never by a passing test.
constexpr double kWait_s = 5.0;

Message msg(int stream, int function, bool wait, std::optional<Item> body = std::nullopt) {
  Message m;
  m.stream = static_cast<std::uint8_t>(stream);
  m.function = static_cast<std::uint8_t>(function);
  m.reply_expected = wait;
  m.body = std::move(body);
  return m;
}

// Short timers for tests: T7/T8/T3 of 0.2 s turn "never"/"vanished" into an event quickly.
hsms::Timers quick_timers() {
  hsms::Timers t;
  t.t3_s = 0.2;
  t.t6_s = 1.0;
  t.t7_s = 0.2;
  t.t8_s = 0.2;
  return t;
}

// Polls until `done` or the link closes or kWait_s passes; returns every event seen.
template <class Done>
std::vector<hsms::Event> pump(hsms::Link& link, Done done) {
  std::vector<hsms::Event> seen;
  const double deadline = hsms::Link::now_s() + kWait_s;
  while (hsms::Link::now_s() < deadline) {
    for (auto& e : link.poll(0.05)) seen.push_back(e);
    if (done(seen) || !link.open()) break;
  }
  return seen;
}

// A bare TCP client for sending bytes no well-behaved HSMS peer would send.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawClient() { ::close(fd_); }
  void send(const std::vector<std::uint8_t>& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }

 private:
  int fd_ = -1;
};

bool has(const std::vector<hsms::Event>& events, Kind kind) {
  for (const auto& e : events) {
    if (e.kind == kind) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("psw host and psw equipment talk HSMS-SS over loopback", "[mes][hsms][tcp]") {
  hsms::Listener listener;
  std::atomic<bool> equipment_done{false};
  std::vector<Kind> equipment_events;

  // Equipment: answers S1F13 with S1F14, S1F1 with S1F2, S6F11 with S6F12, until separated.
  std::thread equipment([&] {
    auto link = listener.accept(kWait_s);
    if (!link) return;
    link->set_handler([&](hsms::Link& l, const hsms::Event& e) {
      equipment_events.push_back(e.kind);
      if (e.kind != Kind::primary_received) return;
      const Message& m = *e.message;
      if (m.stream == 1 && m.function == 13) {
        l.reply(msg(1, 14, false,
                    Item::list({Item::binary({0}),
                                Item::list({Item::ascii("PSW"), Item::ascii("0.1.0")})})),
                e.system_bytes);
      } else if (m.stream == 1 && m.function == 1) {
        l.reply(msg(1, 2, false, Item::list({Item::ascii("PSW"), Item::ascii("0.1.0")})),
                e.system_bytes);
      } else if (m.stream == 6 && m.function == 11) {
        l.reply(msg(6, 12, false, Item::binary({0})), e.system_bytes);
      }
    });
    const double deadline = hsms::Link::now_s() + kWait_s;
    while (link->open() && hsms::Link::now_s() < deadline) link->poll(0.05);
    equipment_done = true;
  });

  std::string why;
  auto host = hsms::Link::connect("127.0.0.1", listener.port(), kWait_s, 0, {}, &why);
  REQUIRE(host);
  REQUIRE(host->select(kWait_s));
  CHECK(host->session().state() == hsms::State::selected);

  // S1F13/14: establish communications; COMMACK 0 (E30: accepted).
  auto s1f14 = host->request(msg(1, 13, true, Item::list({})), kWait_s);
  REQUIRE(s1f14.status == hsms::Reply::Status::ok);
  CHECK(s1f14.message->function == 14);
  CHECK(s1f14.message->body->items()[0] == Item::binary({0}));

  // S1F1/2: are you there.
  auto s1f2 = host->request(msg(1, 1, true), kWait_s);
  REQUIRE(s1f2.status == hsms::Reply::Status::ok);
  CHECK(*s1f2.message->body == Item::list({Item::ascii("PSW"), Item::ascii("0.1.0")}));

  CHECK(host->linktest(kWait_s));

  // S6F11 with nested lists: DATAID, CEID, reports of (RPTID, variables).
  const Item report = Item::list(
      {Item::u4({1}), Item::u4({1001}),
       Item::list({Item::list(
           {Item::u4({2001}), Item::list({Item::ascii("JOINT-7"), Item::f8({2.5e-6})})})})});
  auto s6f12 = host->request(msg(6, 11, true, report), kWait_s);
  REQUIRE(s6f12.status == hsms::Reply::Status::ok);
  CHECK(*s6f12.message->body == Item::binary({0}));  // ACKC6 0: accepted

  host->separate();
  equipment.join();
  CHECK(equipment_done);
  CHECK(equipment_events.front() == Kind::selected);
  CHECK(equipment_events.back() == Kind::separated);
}

TEST_CASE("misbehaving peers end in an outcome, never a hang", "[mes][hsms][tcp]") {
  SECTION("a host that connects and never selects meets T7") {
    hsms::Listener listener;
    auto host = hsms::Link::connect("127.0.0.1", listener.port(), kWait_s);
    REQUIRE(host);
    auto equipment = listener.accept(kWait_s, 0, quick_timers());
    REQUIRE(equipment);
    const auto events = pump(*equipment, [](auto&) { return false; });
    CHECK(has(events, Kind::not_selected_timeout));
    CHECK_FALSE(equipment->open());
  }
  SECTION("a host that stops mid-message meets T8") {
    hsms::Listener listener;
    RawClient raw(listener.port());
    auto equipment = listener.accept(kWait_s, 0, quick_timers());
    REQUIRE(equipment);
    // select.req (system bytes 1), then the first 7 bytes of an S1F1 W frame, then silence.
    raw.send(hsms::encode_frame(hsms::control_frame(hsms::SType::select_req, 1)));
    pump(*equipment, [](auto& seen) { return has(seen, Kind::selected); });
    REQUIRE(equipment->session().state() == hsms::State::selected);
    raw.send({0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x81});
    const auto events = pump(*equipment, [](auto&) { return false; });
    CHECK(has(events, Kind::inter_character_timeout));
    CHECK_FALSE(equipment->open());
  }
  SECTION("a 4 GiB length prefix closes the connection with a protocol error") {
    hsms::Listener listener;
    RawClient raw(listener.port());
    auto equipment = listener.accept(kWait_s, 0, quick_timers());
    REQUIRE(equipment);
    raw.send({0xFF, 0xFF, 0xFF, 0xFF, 0x00});
    const auto events = pump(*equipment, [](auto&) { return false; });
    CHECK(has(events, Kind::protocol_error));
    CHECK_FALSE(equipment->open());
  }
  SECTION("a host that vanishes: the equipment sees the disconnect") {
    hsms::Listener listener;
    auto host = hsms::Link::connect("127.0.0.1", listener.port(), kWait_s);
    REQUIRE(host);
    auto equipment = listener.accept(kWait_s);
    REQUIRE(equipment);
    host->close();
    const auto events = pump(*equipment, [](auto&) { return false; });
    CHECK(has(events, Kind::disconnected));
  }
  SECTION("an equipment that never replies: T3 comes back as a timeout status") {
    hsms::Listener listener;
    std::thread silent([&] {
      auto link = listener.accept(kWait_s);
      if (!link) return;
      // Selects, then ignores every primary until the host leaves.
      const double deadline = hsms::Link::now_s() + kWait_s;
      while (link->open() && hsms::Link::now_s() < deadline) link->poll(0.05);
    });
    auto host = hsms::Link::connect("127.0.0.1", listener.port(), kWait_s, 0, quick_timers());
    REQUIRE(host);
    REQUIRE(host->select(kWait_s));
    const auto reply = host->request(msg(1, 1, true), kWait_s);
    CHECK(reply.status == hsms::Reply::Status::timeout);
    CHECK_THAT(reply.text, Contains("T3: no reply to S1F1 in 0.2 s"));
    CHECK(host->session().state() == hsms::State::selected);
    host->separate();
    silent.join();
  }
  SECTION("nobody listening: connect returns empty with the reason") {
    std::uint16_t port = 0;
    {
      hsms::Listener probe;  // a port that was free a moment ago, now closed again
      port = probe.port();
    }
    std::string why;
    auto host = hsms::Link::connect("127.0.0.1", port, kWait_s, 0, {}, &why);
    CHECK_FALSE(host);
    CHECK_THAT(why, Contains("Connection refused"));
  }
}

TEST_CASE("an active host reconnects after T5 until the equipment is there", "[mes][hsms][tcp]") {
  std::uint16_t port = 0;
  {
    hsms::Listener probe;  // find a free port, then leave it closed for a while
    port = probe.port();
  }
  hsms::Timers timers;
  timers.t5_s = 0.05;
  std::atomic<bool> served{false};
  std::thread equipment([&] {
    // Starts listening a little later, so the host's first attempts are refused.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    hsms::Listener listener(port);
    auto link = listener.accept(kWait_s);
    if (!link) return;
    pump(*link, [](auto& seen) { return has(seen, Kind::selected); });
    served = true;
    pump(*link, [](auto&) { return false; });
  });
  std::string why;
  int attempts = 0;
  auto host = hsms::Link::connect_retrying("127.0.0.1", port, kWait_s, 0, timers, &why, &attempts);
  REQUIRE(host);  // usually after refused attempts; attempts is not asserted (scheduling)
  CHECK(host->select(kWait_s));
  host->separate();
  equipment.join();
  CHECK(served);

  // Nobody ever listening: the retries end at the caller's timeout with the last reason.
  auto none = hsms::Link::connect_retrying("127.0.0.1", port, 1.0, 0, timers, &why, &attempts);
  CHECK_FALSE(none);
  CHECK(attempts > 1);
  CHECK_THAT(why, Contains("Connection refused"));
}
