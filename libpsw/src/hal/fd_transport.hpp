// A Transport over a non-blocking file descriptor, shared by the TCP and serial transports:
// writes bounded by a deadline, reads bounded by the caller's timeout, and the link closed on
// any error or hang-up so that the next call fails fast. Internal to psw::hal.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <psw/hal/transport.hpp>

namespace psw::hal::detail {

/// Seconds → a poll() timeout in ms, rounded up, 0 for a past deadline.
int poll_ms(double timeout_s);
/// The steady clock in seconds.
double steady_now_s();

/// What the descriptor is: a socket (send with MSG_NOSIGNAL, recv) or a tty/pty (write, read).
enum class FdKind { socket, tty };

/// Writes all of `bytes` before `deadline_s` (steady clock); false, with `why`, on an error or
/// at the deadline.
bool write_all(int fd, std::string_view bytes, double deadline_s, std::string& why, FdKind kind);

/// Takes ownership of `fd` (already non-blocking); `address` prefixes every error message.
std::unique_ptr<Transport> make_fd_transport(int fd, std::string address, FdKind kind);

}  // namespace psw::hal::detail
