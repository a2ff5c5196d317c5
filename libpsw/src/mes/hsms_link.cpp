#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <psw/mes/hsms_link.hpp>

namespace psw::mes::hsms {

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// At most this much is read in one round before the answers go out and the timers run, so a
// peer that sends without pause (a linktest flood) cannot keep a round from ending.
constexpr std::size_t kMaxReadPerRound = 16 * kReadChunk;
// How long close() lets a final separate.req drain before the socket goes.
constexpr double kDrainOnClose_s = 0.2;

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

void set_nodelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Milliseconds for poll(): rounded up, clamped to [0, 1 day].
int poll_ms(double seconds) {
  if (!(seconds > 0)) return 0;
  return static_cast<int>(std::ceil(std::min(seconds, 86400.0) * 1000.0));
}

sockaddr_in ipv4(const std::string& host, std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    throw std::invalid_argument("HSMS host '" + host +
                                "' is not a numeric IPv4 address (e.g. 127.0.0.1)");
  }
  return addr;
}

}  // namespace

double Link::now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// ---- Listener -------------------------------------------------------------------------------

Listener::Listener(std::uint16_t port, const std::string& host) : host_(host) {
  sockaddr_in addr = ipv4(host, port);  // checks the address before a socket exists
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    throw std::runtime_error(std::string("HSMS listener: socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 4) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("HSMS listener: cannot listen on " + host + ":" +
                             std::to_string(port) + ": " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  set_nonblocking(fd_);
}

Listener::~Listener() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<Link> Listener::accept(double timeout_s, std::uint16_t device_id,
                                       const Timers& timers) {
  timers.validate();
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, poll_ms(timeout_s)) <= 0) return nullptr;
  const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return nullptr;
  return std::unique_ptr<Link>(new Link(fd, device_id, Mode::passive, timers));
}

// ---- Link -----------------------------------------------------------------------------------

Link::Link(int fd, std::uint16_t device_id, Mode mode, const Timers& timers)
    : fd_(fd), session_(mode, device_id, timers) {
  set_nonblocking(fd_);
  set_nodelay(fd_);
  session_.on_connected(now_s());
}

Link::~Link() { close(); }

std::unique_ptr<Link> Link::connect(const std::string& host, std::uint16_t port, double timeout_s,
                                    std::uint16_t device_id, const Timers& timers,
                                    std::string* why) {
  timers.validate();
  sockaddr_in addr = ipv4(host, port);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw std::runtime_error(std::string("HSMS connect: socket: ") + std::strerror(errno));
  set_nonblocking(fd);

  // Non-blocking connect, bounded by timeout_s.
  auto fail = [&](const std::string& reason) -> std::unique_ptr<Link> {
    if (why) *why = "HSMS connect to " + host + ":" + std::to_string(port) + ": " + reason;
    ::close(fd);
    return nullptr;
  };
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) return fail(std::strerror(errno));
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, poll_ms(timeout_s)) <= 0) return fail("no answer within the timeout");
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) return fail(std::strerror(error));
  }
  return std::unique_ptr<Link>(new Link(fd, device_id, Mode::active, timers));
}

std::unique_ptr<Link> Link::connect_retrying(const std::string& host, std::uint16_t port,
                                             double timeout_s, std::uint16_t device_id,
                                             const Timers& timers, std::string* why,
                                             int* attempts) {
  timers.validate();
  const double deadline = now_s() + timeout_s;
  int tries = 0;
  for (;;) {
    // One attempt, bounded by what is left; then T5 before the next one.
    ++tries;
    if (attempts) *attempts = tries;
    const double left = deadline - now_s();
    auto link = connect(host, port, std::max(left, 0.0), device_id, timers, why);
    if (link) return link;
    const double next = now_s() + timers.t5_s;
    if (next >= deadline) return nullptr;
    ::poll(nullptr, 0, poll_ms(timers.t5_s));
  }
}

void Link::close() { close(""); }

void Link::close(const std::string& why) {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  pending_.clear();
  session_.on_disconnected(now_s(), why);
}

bool Link::flush(double deadline_s) {
  auto more = session_.take_output();
  pending_.insert(pending_.end(), more.begin(), more.end());
  std::size_t sent = 0;
  while (fd_ >= 0 && sent < pending_.size()) {
    const ssize_t n = ::send(fd_, pending_.data() + sent, pending_.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      pollfd p{fd_, POLLOUT, 0};
      const double left = deadline_s - now_s();
      if (left <= 0 || ::poll(&p, 1, poll_ms(left)) <= 0) break;
      continue;
    }
    // The peer is gone.
    pending_.clear();
    close();
    return false;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(sent));
  if (pending_.size() > kMaxUnsentBytes) {
    // A peer that sends but does not read: end it rather than buffer without bound.
    close("the peer is not reading: " + std::to_string(pending_.size()) + " bytes unsent (limit " +
          std::to_string(kMaxUnsentBytes) + ")");
    return false;
  }
  return pending_.empty();
}

std::vector<Event> Link::poll(double max_wait_s) {
  auto events = round(max_wait_s);
  if (handler_) {
    for (const Event& e : events) handler_(*this, e);
  }
  return events;
}

std::vector<Event> Link::round(double max_wait_s) {
  if (fd_ < 0) return session_.take_events();
  const double start = now_s();
  flush(start + max_wait_s);

  // Wait for bytes, at most until the next HSMS deadline.
  if (fd_ >= 0) {
    const double wait = std::min(max_wait_s, session_.next_deadline() - start);
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, poll_ms(wait)) > 0) {
      std::vector<std::uint8_t> buffer(kReadChunk);
      for (std::size_t read = 0; read < kMaxReadPerRound; read += kReadChunk) {
        const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
        if (n > 0) {
          session_.on_bytes(std::span(buffer.data(), static_cast<std::size_t>(n)), now_s());
          if (session_.close_requested()) break;
          continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n < 0 && errno == EINTR) continue;
        close();  // orderly shutdown (0) or an error: the peer is gone
        break;
      }
    }
  }

  // Timers, answers to what arrived, and a close if the session wants one.
  if (fd_ >= 0) {
    session_.on_time(now_s());
    flush(now_s() + kDrainOnClose_s);
    if (session_.close_requested()) {
      ::close(fd_);
      fd_ = -1;
      pending_.clear();
    }
  }
  return session_.take_events();
}

bool Link::select(double timeout_s) {
  if (fd_ < 0) return false;
  const double deadline = now_s() + timeout_s;
  const std::uint32_t system = session_.select(now_s());
  std::optional<bool> outcome;
  while (!outcome && fd_ >= 0 && now_s() < deadline) {
    // Every event of the round is seen: the one we wait for, the rest to the handler.
    for (const Event& e : round(deadline - now_s())) {
      if (!outcome && e.system_bytes == system &&
          (e.kind == Event::Kind::selected || e.kind == Event::Kind::select_refused)) {
        outcome = e.kind == Event::Kind::selected;
      } else if (handler_) {
        handler_(*this, e);
      }
    }
  }
  return outcome.value_or(false);
}

Reply Link::request(const Message& message, double timeout_s) {
  Reply result;
  if (fd_ < 0 || session_.state() != State::selected) {
    result.text = "HSMS request " + message.name() + ": not selected (state " +
                  state_name(session_.state()) + ")";
    return result;
  }
  const double deadline = now_s() + timeout_s;
  const std::uint32_t system = session_.send(message, now_s());
  if (!message.reply_expected) {
    flush(deadline);
    result.status = fd_ >= 0 ? Reply::Status::ok : Reply::Status::closed;
    return result;
  }
  for (;;) {
    bool done = false;
    for (const Event& e : round(deadline - now_s())) {
      const bool ours = !done && e.system_bytes == system;
      if (ours && e.kind == Event::Kind::reply_received) {
        result.status = Reply::Status::ok;
        result.message = e.message;
        done = true;
      } else if (ours && e.kind == Event::Kind::reply_timeout) {
        result.status = Reply::Status::timeout;
        result.text = e.text;
        done = true;
        if (handler_) handler_(*this, e);  // the equipment answers a T3 expiry with S9F9
      } else if (ours && e.kind == Event::Kind::rejected) {
        result.status = Reply::Status::rejected;
        result.text = e.text;
        done = true;
      } else if (handler_) {
        handler_(*this, e);  // everything else, including what came in the same read
      }
    }
    if (done) return result;
    if (fd_ < 0) {
      result.status = Reply::Status::closed;
      result.text = "HSMS request " + message.name() + ": the connection closed";
      return result;
    }
    if (now_s() >= deadline) {
      result.status = Reply::Status::timeout;
      result.text = "HSMS request " + message.name() + ": no reply within the caller's timeout";
      return result;
    }
  }
}

void Link::reply(const Message& message, std::uint32_t system_bytes) {
  if (fd_ < 0) return;
  session_.reply(message, system_bytes);
  flush(now_s() + kDrainOnClose_s);
}

bool Link::linktest(double timeout_s) {
  if (fd_ < 0) return false;
  const double deadline = now_s() + timeout_s;
  const std::uint32_t system = session_.linktest(now_s());
  bool answered = false;
  while (!answered && fd_ >= 0 && now_s() < deadline) {
    for (const Event& e : round(deadline - now_s())) {
      if (!answered && e.system_bytes == system && e.kind == Event::Kind::linktest_ok) {
        answered = true;
      } else if (handler_) {
        handler_(*this, e);
      }
    }
  }
  return answered;
}

void Link::separate() {
  if (fd_ < 0) return;
  session_.separate(now_s());
  flush(now_s() + kDrainOnClose_s);
  ::close(fd_);
  fd_ = -1;
  pending_.clear();
}

}  // namespace psw::mes::hsms
