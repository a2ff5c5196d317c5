// termios serial transport and the pseudo-terminal device server: the only place in psw::hal
// that touches ttys.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <psw/core/error.hpp>
#include <psw/hal/serial.hpp>

#include "fd_transport.hpp"

namespace psw::hal {

namespace {

using detail::poll_ms;
using detail::steady_now_s;

constexpr double kServerPollS = 0.02;  // how often the pty server looks at stopping_
constexpr double kWriteTimeoutS = 5.0;

struct BaudCode {
  int baud;
  speed_t code;
};

// The rates termios names; anything else would need the non-portable termios2 interface.
constexpr BaudCode kBauds[] = {
    {50, B50},           {75, B75},           {110, B110},         {134, B134},
    {150, B150},         {200, B200},         {300, B300},         {600, B600},
    {1200, B1200},       {1800, B1800},       {2400, B2400},       {4800, B4800},
    {9600, B9600},       {19200, B19200},     {38400, B38400},     {57600, B57600},
    {115200, B115200},   {230400, B230400},   {460800, B460800},   {500000, B500000},
    {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
    {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000},
    {3500000, B3500000}, {4000000, B4000000}};

bool baud_code(int baud, speed_t& out) {
  for (const auto& b : kBauds)
    if (b.baud == baud) {
      out = b.code;
      return true;
    }
  return false;
}

std::string accepted_bauds() {
  std::string out;
  for (const auto& b : kBauds) out += (out.empty() ? "" : ", ") + std::to_string(b.baud);
  return out;
}

// Raw mode: bytes in and out untouched, reads return what is there (VMIN = VTIME = 0; we wait
// in poll()).
void make_raw(termios& t) {
  cfmakeraw(&t);
  t.c_cflag |= CLOCAL | CREAD;
  t.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
  t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 0;
}

}  // namespace

const char* to_string(Parity parity) {
  switch (parity) {
    case Parity::even:
      return "even";
    case Parity::odd:
      return "odd";
    default:
      return "none";
  }
}

Parity parse_parity(const std::string& text) {
  if (text == "none" || text == "N") return Parity::none;
  if (text == "even" || text == "E") return Parity::even;
  if (text == "odd" || text == "O") return Parity::odd;
  throw std::invalid_argument("serial.parity = '" + text + "' is not one of none, even, odd");
}

void SerialOptions::validate() const {
  if (path.empty() || path[0] != '/')
    throw std::invalid_argument("serial.path = '" + path + "' is not an absolute device path");
  speed_t code;
  if (!baud_code(baud, code))
    throw std::invalid_argument("serial.baud = " + std::to_string(baud) +
                                " is not a standard rate (" + accepted_bauds() + ")");
  require_in_range("serial.data_bits", data_bits, Range::closed(5, 8));
  if (stop_bits != 1 && stop_bits != 2)
    throw std::invalid_argument("serial.stop_bits = " + std::to_string(stop_bits) +
                                " is not 1 or 2");
}

void configure_termios(termios& t, const SerialOptions& options) {
  options.validate();

  // Raw bytes, then the character framing: data bits, parity, stop bits.
  make_raw(t);
  t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB);
  constexpr tcflag_t kSizes[] = {CS5, CS6, CS7, CS8};
  t.c_cflag |= kSizes[options.data_bits - 5];
  if (options.parity != Parity::none) t.c_cflag |= PARENB;
  if (options.parity == Parity::odd) t.c_cflag |= PARODD;
  if (options.stop_bits == 2) t.c_cflag |= CSTOPB;

  // The baud rate, both directions.
  speed_t code = B0;
  baud_code(options.baud, code);
  ::cfsetispeed(&t, code);
  ::cfsetospeed(&t, code);
}

Result<std::unique_ptr<Transport>> open_serial(const SerialOptions& options) {
  options.validate();
  const std::string address = "serial://" + options.path;

  // Open without becoming its controlling terminal; non-blocking so open never waits on DCD.
  const int fd = ::open(options.path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return make_error(ErrorKind::transport, address + ": " + std::strerror(errno));
  termios t{};
  if (::tcgetattr(fd, &t) < 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return make_error(ErrorKind::transport, address + ": not a terminal: " + why);
  }

  configure_termios(t, options);
  if (::tcsetattr(fd, TCSANOW, &t) < 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return make_error(ErrorKind::transport, address + ": cannot configure the line: " + why);
  }

  // Bytes left from before we opened are not replies to us.
  ::tcflush(fd, TCIOFLUSH);
  return detail::make_fd_transport(fd, address, detail::FdKind::tty);
}

PtyServer::PtyServer(ProtocolServer& server, Clock& clock) : server_(&server), clock_(&clock) {
  // A pty pair: we keep the master; the slave is what a driver opens.
  master_fd_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master_fd_ < 0)
    throw std::runtime_error(std::string("posix_openpt: ") + std::strerror(errno));
  char name[128];
  if (::grantpt(master_fd_) < 0 || ::unlockpt(master_fd_) < 0 ||
      ::ptsname_r(master_fd_, name, sizeof name) != 0) {
    const std::string why = std::strerror(errno);
    ::close(master_fd_);
    throw std::runtime_error("pseudo-terminal setup failed: " + why);
  }
  slave_path_ = name;

  // Hold the slave open in raw mode, so the master reads no EIO before (or between) clients
  // and nothing is echoed back before a client configures the line.
  slave_keepalive_fd_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave_keepalive_fd_ >= 0) {
    termios t{};
    if (::tcgetattr(slave_keepalive_fd_, &t) == 0) {
      make_raw(t);
      ::tcsetattr(slave_keepalive_fd_, TCSANOW, &t);
    }
  }
  ::fcntl(master_fd_, F_SETFL, ::fcntl(master_fd_, F_GETFL, 0) | O_NONBLOCK);
  thread_ = std::thread([this] { run(); });
}

PtyServer::~PtyServer() { stop(); }

void PtyServer::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (master_fd_ >= 0) ::close(master_fd_);
  if (slave_keepalive_fd_ >= 0) ::close(slave_keepalive_fd_);
  master_fd_ = slave_keepalive_fd_ = -1;
}

void PtyServer::run() {
  char buffer[4096];
  while (!stopping_) {
    // Wait briefly for bytes, so stop() is noticed.
    pollfd p{master_fd_, POLLIN, 0};
    if (::poll(&p, 1, poll_ms(kServerPollS)) <= 0 || (p.revents & POLLIN) == 0) {
      // A hang-up with no client on the slave: wait, without spinning, for the next one.
      if (p.revents & (POLLHUP | POLLERR)) ::usleep(20000);
      continue;
    }
    const ssize_t n = ::read(master_fd_, buffer, sizeof buffer);
    if (n <= 0) continue;

    // Hand the bytes to the device; write back what it answers.
    const std::string reply =
        server_->on_bytes(std::string_view(buffer, static_cast<std::size_t>(n)), clock_->now_s());
    std::string why;
    if (!reply.empty())
      detail::write_all(master_fd_, reply, steady_now_s() + kWriteTimeoutS, why,
                        detail::FdKind::tty);
  }
}

}  // namespace psw::hal
