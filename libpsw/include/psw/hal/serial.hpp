// Serial-line transport (POSIX termios) and a pseudo-terminal device server for tests and the
// twin.
//
// open_serial() opens a tty in raw mode (no echo, no line editing, no CR/LF translation, no
// flow control) at the baud rate and character framing the device URI names:
//
//   serial:///dev/ttyUSB0?protocol=iseg&baud=9600&data_bits=8&parity=none&stop_bits=1
//
// Reads wait with poll() until the deadline, like the TCP transport; a device that vanishes
// (USB adapter pulled) gives a transport error naming the path. Only the standard termios baud
// rates are accepted (50 … 4000000); any other value is refused naming the accepted ones.
//
// PtyServer opens a pseudo-terminal pair (posix_openpt, grantpt, unlockpt) and serves a
// ProtocolServer on the master side from its own thread; a driver opens slave_path() with
// open_serial() exactly as it would open /dev/ttyUSB0, so the serial path is tested end to end
// without hardware.
//
// @note Baud rate and framing have no effect on a pseudo-terminal (bytes pass at memory speed);
//       what a test over a pty proves is the termios setup, the framing of the protocol and the
//       driver's handling of the serial profile (iseg's command echo), not line timing.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <termios.h>

#include <psw/hal/clock.hpp>
#include <psw/hal/result.hpp>
#include <psw/hal/transport.hpp>

namespace psw::hal {

enum class Parity { none, even, odd };

struct SerialOptions {
  std::string path;   ///< device path, absolute ("/dev/ttyUSB0")
  int baud = 115200;  ///< a standard termios rate, 50 … 4000000
  int data_bits = 8;  ///< [5, 8]
  Parity parity = Parity::none;
  int stop_bits = 1;  ///< 1 or 2
  /// @throws std::invalid_argument naming the field, its value and what is accepted.
  void validate() const;
};

/// "none", "even" or "odd".
const char* to_string(Parity parity);
/// "none" | "even" | "odd" (or "N", "E", "O"). @throws std::invalid_argument otherwise.
Parity parse_parity(const std::string& text);

/// Puts `t` in raw mode with the options' baud rate and framing (what open_serial applies).
/// Separate so the framing can be checked where a pty cannot show it: Linux's pty driver
/// forces CS8 and no parity whatever is asked.
/// @throws std::invalid_argument when `options` fails validate().
void configure_termios(termios& t, const SerialOptions& options);

/// Opens and configures the serial device; a transport error naming the path when it cannot.
/// @throws std::invalid_argument when `options` fails validate() (before anything is opened).
Result<std::unique_ptr<Transport>> open_serial(const SerialOptions& options);

class PtyServer {
 public:
  /// Opens a pty pair and serves `server` (time from `clock`) on its master side.
  /// Both must outlive this. @throws std::runtime_error when no pty can be had.
  PtyServer(ProtocolServer& server, Clock& clock);
  ~PtyServer();
  PtyServer(const PtyServer&) = delete;
  PtyServer& operator=(const PtyServer&) = delete;

  /// The slave side's path ("/dev/pts/7"), for open_serial().
  const std::string& slave_path() const { return slave_path_; }
  /// Stops serving and closes the master side (the slave's reader then sees the link gone).
  void stop();

 private:
  void run();

  ProtocolServer* server_;
  Clock* clock_;
  int master_fd_ = -1;
  int slave_keepalive_fd_ = -1;
  std::string slave_path_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace psw::hal
