#include "fd_transport.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <psw/core/error.hpp>

namespace psw::hal::detail {

int poll_ms(double timeout_s) {
  if (timeout_s <= 0.0) return 0;
  const double ms = timeout_s * 1e3;
  return ms > 1e9 ? 1000000000 : static_cast<int>(ms + 0.999);
}

double steady_now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

bool write_all(int fd, std::string_view bytes, double deadline_s, std::string& why, FdKind kind) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = kind == FdKind::socket
                          ? ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL)
                          : ::write(fd, bytes.data() + sent, bytes.size() - sent);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      why = std::strerror(errno);
      return false;
    }
    pollfd p{fd, POLLOUT, 0};
    const double left = deadline_s - steady_now_s();
    if (left <= 0.0 || ::poll(&p, 1, poll_ms(left)) <= 0) {
      why = "write timed out";
      return false;
    }
  }
  return true;
}

namespace {

constexpr double kWriteTimeoutS = 5.0;

class FdTransport final : public Transport {
 public:
  FdTransport(int fd, std::string address, FdKind kind)
      : fd_(fd), address_(std::move(address)), kind_(kind) {}
  ~FdTransport() override { close(); }
  FdTransport(const FdTransport&) = delete;
  FdTransport& operator=(const FdTransport&) = delete;

  Status write(std::string_view bytes) override {
    if (fd_ < 0) return make_error(ErrorKind::transport, address_ + ": write on a closed link");
    std::string why;
    if (!write_all(fd_, bytes, steady_now_s() + kWriteTimeoutS, why, kind_)) {
      close();
      return make_error(ErrorKind::transport, address_ + ": " + why);
    }
    return done();
  }

  Result<std::string> read_some(double timeout_s) override {
    if (fd_ < 0) return make_error(ErrorKind::transport, address_ + ": read on a closed link");
    // Wait for bytes with poll(), bounded by the deadline; a hang-up without data means the
    // peer or the device is gone.
    const double deadline = steady_now_s() + timeout_s;
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, poll_ms(deadline - steady_now_s()));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        return make_error(ErrorKind::transport,
                          address_ + ": no reply within " + format_number(timeout_s) + " s");
      }
      if ((p.revents & POLLIN) == 0) {
        close();
        return make_error(ErrorKind::transport, address_ + ": " + gone());
      }
      break;
    }
    char buffer[4096];
    const ssize_t n = kind_ == FdKind::socket ? ::recv(fd_, buffer, sizeof buffer, 0)
                                              : ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) {
      const std::string why = n == 0 ? gone() : std::strerror(errno);
      close();
      return make_error(ErrorKind::transport, address_ + ": " + why);
    }
    return std::string(buffer, static_cast<std::size_t>(n));
  }

  void close() override {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool is_open() const override { return fd_ >= 0; }
  std::string describe() const override { return address_; }

 private:
  std::string gone() const {
    return kind_ == FdKind::socket ? "connection closed by peer" : "device hung up";
  }

  int fd_;
  std::string address_;
  FdKind kind_;
};

}  // namespace

std::unique_ptr<Transport> make_fd_transport(int fd, std::string address, FdKind kind) {
  return std::make_unique<FdTransport>(fd, std::move(address), kind);
}

}  // namespace psw::hal::detail
