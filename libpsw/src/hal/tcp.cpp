// TCP client transport and server: the only place in psw::hal that touches sockets.
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <psw/core/error.hpp>
#include <psw/hal/tcp_server.hpp>
#include <psw/hal/transport.hpp>

#include "fd_transport.hpp"

namespace psw::hal {

namespace {

using detail::poll_ms;
using detail::steady_now_s;

constexpr double kServerPollS = 0.02;  // how often the server thread looks at stopping_

std::string address_text(const std::string& host, int port) {
  return "tcp://" + host + ":" + std::to_string(port);
}

bool parse_ipv4(const std::string& host, int port, sockaddr_in& out) {
  std::memset(&out, 0, sizeof out);
  out.sin_family = AF_INET;
  out.sin_port = htons(static_cast<std::uint16_t>(port));
  return inet_pton(AF_INET, host.c_str(), &out.sin_addr) == 1;
}

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

}  // namespace

Result<std::unique_ptr<Transport>> connect_tcp(const std::string& host, int port,
                                               double timeout_s) {
  const std::string address = address_text(host, port);
  sockaddr_in addr;
  if (port < 1 || port > 65535 || !parse_ipv4(host, port, addr))
    return make_error(ErrorKind::transport,
                      address + ": not a numeric IPv4 address with a port in [1, 65535]");

  // Non-blocking connect, completed (or not) within the timeout.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(ErrorKind::transport, address + ": " + std::strerror(errno));
  set_nonblocking(fd);
  int r = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  if (r < 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    r = ::poll(&p, 1, poll_ms(timeout_s));
    if (r <= 0) {
      ::close(fd);
      return make_error(ErrorKind::transport,
                        address + ": connect timed out after " + format_number(timeout_s) + " s");
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    r = err == 0 ? 0 : -1;
    errno = err;
  }
  if (r < 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return make_error(ErrorKind::transport, address + ": connect failed: " + why);
  }

  // Small request/response messages: send each at once.
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return detail::make_fd_transport(fd, address, detail::FdKind::socket);
}

TcpServer::TcpServer(ProtocolServer& server, Clock& clock, TcpServerOptions options)
    : server_(&server), clock_(&clock), options_(std::move(options)) {
  require_in_range("tcp_server.port", options_.port, Range::closed(0, 65535));
  require_in_range("tcp_server.idle_timeout_s", options_.idle_timeout_s,
                   Range::open_closed(0, 1e6));
  sockaddr_in addr;
  if (!parse_ipv4(options_.host, options_.port, addr))
    throw std::invalid_argument("tcp_server.host = '" + options_.host +
                                "' is not a numeric IPv4 address");

  // Bind and listen; the port may be ephemeral.
  const std::string address = address_text(options_.host, options_.port);
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error(address + ": socket: " + std::strerror(errno));
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0 ||
      ::listen(listen_fd_, 4) < 0) {
    const std::string why = std::strerror(errno);
    ::close(listen_fd_);
    throw std::runtime_error(address + ": cannot listen: " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  set_nonblocking(listen_fd_);
  thread_ = std::thread([this] { run(); });
}

TcpServer::~TcpServer() { stop(); }

void TcpServer::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void TcpServer::run() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, poll_ms(kServerPollS)) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++clients_;
    serve_client(fd);
    ::close(fd);
  }
}

void TcpServer::serve_client(int fd) {
  set_nonblocking(fd);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  double last_heard = steady_now_s();
  char buffer[4096];
  cut_after_ = -1;
  while (!stopping_) {
    // A cut asked for now closes the link at once.
    if (cut_after_.load() == 0) {
      cut_after_ = -1;
      return;
    }

    // Wait briefly for bytes, so stop() and the idle limit are noticed.
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, poll_ms(kServerPollS));
    if (r <= 0) {
      if (steady_now_s() - last_heard > options_.idle_timeout_s) return;
      continue;
    }
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return;
    last_heard = steady_now_s();

    // Hand the bytes to the device; send back what it answers.
    const std::string reply =
        server_->on_bytes(std::string_view(buffer, static_cast<std::size_t>(n)), clock_->now_s());
    std::string why;
    const int cut = cut_after_.load();
    if (cut > 0 && !reply.empty()) {
      // A cut mid-reply: part of the answer, then the link goes.
      cut_after_ = -1;
      detail::write_all(fd, std::string_view(reply).substr(0, static_cast<std::size_t>(cut)),
                        steady_now_s() + 5.0, why, detail::FdKind::socket);
      return;
    }
    if (!reply.empty() &&
        !detail::write_all(fd, reply, steady_now_s() + 5.0, why, detail::FdKind::socket))
      return;
  }
}

TcpServerOptions parse_listen_address(const std::string& field, const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw std::invalid_argument(field + " = '" + text + "' is not HOST:PORT");
  TcpServerOptions o;
  o.host = text.substr(0, colon);
  char* end = nullptr;
  const std::string port = text.substr(colon + 1);
  const long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || end != port.c_str() + port.size() || p < 0 || p > 65535)
    throw std::invalid_argument(field + " = '" + text + "': port not in [0, 65535]");
  o.port = static_cast<int>(p);
  return o;
}

}  // namespace psw::hal
