// Byte transports: where a driver's framed bytes go and come back from.
//
// A Transport moves bytes only; framing belongs to the protocol (gcs_framer.hpp). Reads take
// a timeout and come back with a transport error when nothing arrived in time, never block
// beyond it. Implementations:
//
//   PipeTransport  in-process, to a ProtocolServer (a simulated device) in the same process;
//                  the server answers synchronously on write, so a read never waits on real
//                  time: an empty read advances the Clock by the timeout and times out.
//   TcpTransport   a TCP client (TCP_NODELAY; connect, read and write bounded by poll()).
//   serial         termios, raw mode, framing from the URI (serial.hpp)
//   reconnecting   any of them re-opened after a drop with bounded back-off (reconnect.hpp)
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <psw/hal/clock.hpp>
#include <psw/hal/result.hpp>

namespace psw::hal {

class Transport {
 public:
  virtual ~Transport() = default;
  /// Sends every byte or returns a transport error.
  virtual Status write(std::string_view bytes) = 0;
  /// At least one byte, whatever arrived by `timeout_s`; a transport error on timeout or when
  /// the link is closed.
  virtual Result<std::string> read_some(double timeout_s) = 0;
  virtual void close() = 0;
  virtual bool is_open() const = 0;
  /// What this transport is connected to, for messages: "pipe", "tcp://127.0.0.1:50000".
  virtual std::string describe() const = 0;
};

/// A device's byte-level protocol handler: takes the bytes a client sent, at time `now_s`,
/// and returns the bytes it answers (possibly none). It frames its input itself, so bytes may
/// arrive split anywhere.
class ProtocolServer {
 public:
  virtual ~ProtocolServer() = default;
  virtual std::string on_bytes(std::string_view bytes, double now_s) = 0;
};

/// In-process transport to `server`; time is read from `clock`. Both must outlive it.
class PipeTransport final : public Transport {
 public:
  PipeTransport(ProtocolServer& server, Clock& clock) : server_(&server), clock_(&clock) {}
  Status write(std::string_view bytes) override;
  Result<std::string> read_some(double timeout_s) override;
  void close() override { open_ = false; }
  bool is_open() const override { return open_; }
  std::string describe() const override { return "pipe"; }

 private:
  ProtocolServer* server_;
  Clock* clock_;
  std::string inbox_;
  bool open_ = true;
};

/// Opens a TCP connection to host:port (numeric IPv4 address) within `timeout_s`.
/// Returns a transport error naming the address on failure.
Result<std::unique_ptr<Transport>> connect_tcp(const std::string& host, int port, double timeout_s);

}  // namespace psw::hal
