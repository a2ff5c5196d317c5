// HSMS-SS over TCP: a Session (hsms_session.hpp) driven by a socket and the steady clock.
//
// Passive (equipment): `Listener listener(port)` binds 127.0.0.1 only, `listener.accept(…)`
// returns a Link. Active (host): `Link::connect("127.0.0.1", port, …)`. Every wait is bounded:
// each call takes a timeout in seconds and the HSMS timers run underneath, so no call can hang
// on a silent or vanished peer.
//
// Expected outcomes come back as values: a refused connection is an empty optional with a
// reason, a reply timeout is a Reply with status timeout, a closed link is status closed.
// Unsolicited messages and other events go to the handler given to set_handler (called from
// inside poll(), on the caller's thread).
//
// Limits that keep a misbehaving peer from exhausting memory or starving the timers: one
// round reads at most 1 MiB before it answers and runs the timers; a link whose unsent output
// passes kMaxUnsentBytes (a peer that sends but never reads) is closed, with the reason in the
// disconnected event. A peer flooding linktest.req while reading its responses gets every one
// answered, in order.
//
// @note One thread per Link: a Link is not safe to use from two threads at once.
// The listener binds 127.0.0.1 unless told another address (the project's rule: loopback
// unless told otherwise); `psw mes equipment --listen 0.0.0.0:5000` is how a fab host on
// another machine reaches it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <psw/mes/hsms_session.hpp>

namespace psw::mes::hsms {

class Link;

/// A passive endpoint, on 127.0.0.1 unless told another IPv4 address.
class Listener {
 public:
  /// Binds `host`:`port` (0: the system picks a free port, see port()); `host` is a numeric
  /// IPv4 address, 0.0.0.0 for every interface.
  /// @throws std::invalid_argument for a host that is not a numeric IPv4 address;
  ///         std::runtime_error naming the address when it cannot be bound.
  explicit Listener(std::uint16_t port = 0, const std::string& host = "127.0.0.1");
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  std::uint16_t port() const { return port_; }
  const std::string& host() const { return host_; }

  /// Waits up to `timeout_s` for a host to connect; the Link's session starts NOT SELECTED
  /// (T7 running). Empty when nobody connected in time.
  std::unique_ptr<Link> accept(double timeout_s, std::uint16_t device_id = 0,
                               const Timers& timers = {});

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::string host_;
};

/// Unsent output above which a Link closes its connection (see the file comment).
inline constexpr std::size_t kMaxUnsentBytes = 4u << 20;

/// The outcome of a request that waits for its reply.
struct Reply {
  enum class Status { ok, timeout, rejected, closed };
  Status status = Status::closed;
  std::optional<Message> message;  ///< the reply, when status is ok
  std::string text;                ///< why, otherwise
};

/// One TCP connection carrying one HSMS-SS session.
class Link {
 public:
  /// Connects to `host`:`port` within `timeout_s`. Empty, with `why` set, when the peer
  /// refuses or does not answer in time (an expected outcome).
  /// @throws std::invalid_argument for a host that is not a numeric IPv4 address.
  static std::unique_ptr<Link> connect(const std::string& host, std::uint16_t port,
                                       double timeout_s, std::uint16_t device_id = 0,
                                       const Timers& timers = {}, std::string* why = nullptr);

  /// Active mode with reconnection: attempts connect() until one succeeds or `timeout_s`
  /// passes, waiting T5 (`timers.t5_s`) between attempts as SEMI E37 asks. A host that lost
  /// its link calls this again. Empty, with `why` naming the last failure, when none
  /// succeeded; `attempts` (optional) receives the number of attempts made.
  static std::unique_ptr<Link> connect_retrying(const std::string& host, std::uint16_t port,
                                                double timeout_s, std::uint16_t device_id = 0,
                                                const Timers& timers = {},
                                                std::string* why = nullptr,
                                                int* attempts = nullptr);

  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  Session& session() { return session_; }
  bool open() const { return fd_ >= 0; }

  /// Called with every event that a waiting call (select, request, …) does not consume.
  void set_handler(std::function<void(Link&, const Event&)> handler) {
    handler_ = std::move(handler);
  }

  /// Writes what the session has to send, waits up to `max_wait_s` (or the next HSMS
  /// deadline, if sooner) for bytes, feeds them in, fires due timers, and closes the socket
  /// when the session asks. @returns the events of this round (also passed to the handler).
  std::vector<Event> poll(double max_wait_s);

  /// Sends select.req and waits for the outcome (T6 bounds it).
  /// @returns true when selected.
  bool select(double timeout_s);

  /// Sends a primary and, with the W-bit, waits for its reply (T3 and `timeout_s` bound it).
  /// Without the W-bit returns status ok and no message once sent. A T3 expiry is both this
  /// call's outcome and an event for the handler (an equipment answers it with S9F9).
  Reply request(const Message& message, double timeout_s);

  /// Sends a reply to the primary with `system_bytes`.
  void reply(const Message& message, std::uint32_t system_bytes);

  /// Sends linktest.req and waits for its response. @returns true when answered.
  bool linktest(double timeout_s);

  /// Sends separate.req and closes.
  void separate();

  /// Closes the socket (the session sees a disconnect).
  void close();

  /// Seconds on the steady clock (the session's time base).
  static double now_s();

 private:
  Link(int fd, std::uint16_t device_id, Mode mode, const Timers& timers);
  friend class Listener;

  bool flush(double deadline_s);
  void close(const std::string& why);
  /// poll() without the handler: the waiting calls pick their own events out first.
  std::vector<Event> round(double max_wait_s);

  int fd_;
  Session session_;
  std::function<void(Link&, const Event&)> handler_;
  std::vector<std::uint8_t> pending_;
};

}  // namespace psw::mes::hsms
