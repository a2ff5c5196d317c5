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
#include <sys/time.h>
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

TEST_CASE("the listener binds the address it is told, 127.0.0.1 by default", "[mes][hsms][tcp]") {
  CHECK(hsms::Listener().host() == "127.0.0.1");
  // All of 127/8 is loopback on Linux: a listener told 127.0.0.2 is reached there only.
  hsms::Listener listener(0, "127.0.0.2");
  std::string why;
  CHECK_FALSE(hsms::Link::connect("127.0.0.1", listener.port(), 0.5, 0, {}, &why));
  auto host = hsms::Link::connect("127.0.0.2", listener.port(), kWait_s);
  REQUIRE(host);
  CHECK(listener.accept(kWait_s));
  CHECK_THROWS_WITH(hsms::Listener(0, "localhost"),
                    Catch::Contains("'localhost' is not a numeric IPv4 address"));
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

namespace {

// A flooding peer: a blocking TCP client that sends select.req and then linktest.req frames
// with system bytes 2, 3, … in batches, as fast as the socket takes them.
class Flooder {
 public:
  Flooder(std::uint16_t port, int receive_buffer_bytes) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer_bytes > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof receive_buffer_bytes);
    }
    timeval limit{5, 0};  // a send or recv that blocks this long means the link hung
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Flooder() { ::close(fd_); }
  bool connected() const { return connected_; }

  // Sends select.req, then `count` linktest.req; stops early (returning the number sent)
  // when the connection fails.
  std::uint32_t flood(std::uint32_t count) {
    if (!write(hsms::encode_frame(hsms::control_frame(hsms::SType::select_req, 1)))) return 0;
    constexpr std::uint32_t kBatch = 512;
    std::uint32_t sent = 0;
    while (sent < count) {
      std::vector<std::uint8_t> batch;
      for (std::uint32_t i = 0; i < kBatch && sent + i < count; ++i) {
        const auto f =
            hsms::encode_frame(hsms::control_frame(hsms::SType::linktest_req, sent + i + 2));
        batch.insert(batch.end(), f.begin(), f.end());
      }
      if (!write(batch)) return sent;
      sent += static_cast<std::uint32_t>(batch.size() / 14);
    }
    return sent;
  }

  // Reads 14-byte control frames until `count` linktest.rsp arrived or the stream ends;
  // returns the system bytes of each linktest.rsp in arrival order.
  std::vector<std::uint32_t> responses(std::uint32_t count) {
    std::vector<std::uint32_t> systems;
    std::vector<std::uint8_t> buffer;
    std::vector<std::uint8_t> chunk(64 * 1024);
    while (systems.size() < count) {
      const ssize_t n = ::recv(fd_, chunk.data(), chunk.size(), 0);
      if (n <= 0) break;
      buffer.insert(buffer.end(), chunk.begin(), chunk.begin() + n);
      std::size_t at = 0;
      for (; at + 14 <= buffer.size(); at += 14) {
        const std::uint8_t* f = buffer.data() + at;
        if (f[9] == 6) {  // SType 6: linktest.rsp (E37)
          systems.push_back(std::uint32_t(f[10]) << 24 | std::uint32_t(f[11]) << 16 |
                            std::uint32_t(f[12]) << 8 | f[13]);
        }
      }
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(at));
    }
    return systems;
  }

 private:
  bool write(const std::vector<std::uint8_t>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace

// The time bound is CTest's TIMEOUT on mes_tests (tests/CMakeLists.txt); every frame here is
// a fixed 14 bytes (E37: 4-byte length 10, then the header), SType 5 req / 6 rsp.
TEST_CASE("a linktest flood over loopback is answered in full, or closed at the unsent limit",
          "[mes][hsms][tcp]") {
  hsms::Listener listener;
  std::vector<hsms::Event> seen;
  std::thread equipment([&] {
    auto link = listener.accept(kWait_s);
    if (!link) return;
    // Long timers: only the flood decides how this ends.
    const double deadline = hsms::Link::now_s() + 60.0;
    while (link->open() && hsms::Link::now_s() < deadline) {
      for (auto& e : link->poll(0.05)) seen.push_back(e);
    }
  });

  SECTION("a peer that reads its responses gets every linktest.rsp, in order") {
    constexpr std::uint32_t kCount = 100000;
    Flooder peer(listener.port(), 0);
    REQUIRE(peer.connected());
    std::uint32_t sent = 0;
    std::thread writer([&] { sent = peer.flood(kCount); });
    const auto systems = peer.responses(kCount);
    writer.join();
    CHECK(sent == kCount);
    REQUIRE(systems.size() == kCount);
    bool in_order = true;
    for (std::uint32_t i = 0; i < kCount; ++i) in_order = in_order && systems[i] == i + 2;
    CHECK(in_order);
  }  // the peer closes here; the equipment thread sees the disconnect and ends
  SECTION("a peer that never reads: the link closes at kMaxUnsentBytes, saying why") {
    // A small receive buffer so the responses back up into the link quickly.
    Flooder peer(listener.port(), 4096);
    REQUIRE(peer.connected());
    // Enough requests for several times the limit in responses; the flood ends when the
    // link closes (send fails) well before that.
    const std::uint32_t enough = 8 * static_cast<std::uint32_t>(hsms::kMaxUnsentBytes / 14);
    const std::uint32_t sent = peer.flood(enough);
    CHECK(sent < enough);
    equipment.join();
    bool limit_named = false;
    for (const auto& e : seen) {
      if (e.kind == Kind::disconnected &&
          e.text.find("the peer is not reading") != std::string::npos) {
        limit_named = true;
      }
    }
    CHECK(limit_named);
  }
  if (equipment.joinable()) equipment.join();
}
