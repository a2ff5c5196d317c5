// A small TCP server that puts a ProtocolServer (a simulated device) on a socket, so the real
// drivers reach the twin exactly as they reach an instrument.
//
// It binds a numeric IPv4 address (127.0.0.1 by default; port 0 picks a free port), serves one
// client at a time on its own thread, and waits on every socket with poll() and a short
// deadline, so stop() always returns promptly. A client that goes quiet is dropped after
// `idle_timeout_s`.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <psw/hal/clock.hpp>
#include <psw/hal/transport.hpp>

namespace psw::hal {

struct TcpServerOptions {
  std::string host = "127.0.0.1";  ///< numeric IPv4 address to bind
  int port = 0;                    ///< [0, 65535]; 0: an ephemeral port
  double idle_timeout_s = 60.0;    ///< a silent client is dropped after this, (0, 1e6]
};

/// "127.0.0.1:50000" → options (port 0: any free port).
/// @throws std::invalid_argument naming `field` when the text is not HOST:PORT.
TcpServerOptions parse_listen_address(const std::string& field, const std::string& text);

class TcpServer {
 public:
  /// Binds and starts serving `server`, whose time is `clock`'s; both must outlive this.
  /// @throws std::invalid_argument for a bad host or port; std::runtime_error naming the
  ///         address when it cannot bind.
  TcpServer(ProtocolServer& server, Clock& clock, TcpServerOptions options = {});
  ~TcpServer();
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  /// The bound port (the ephemeral one when options.port was 0).
  int port() const { return port_; }
  const std::string& host() const { return options_.host; }
  /// Closes the listening socket and any client; joins the thread.
  void stop();
  /// Clients accepted so far.
  int clients_served() const { return clients_.load(); }
  /// Cuts the present client's link (fault injection): at once when `after_bytes` is 0, else
  /// after sending the first `after_bytes` bytes of the next reply (a link cut mid-reply).
  void cut_link(int after_bytes = 0) { cut_after_.store(after_bytes); }

 private:
  void run();
  void serve_client(int fd);

  ProtocolServer* server_;
  Clock* clock_;
  TcpServerOptions options_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> clients_{0};
  std::atomic<int> cut_after_{-1};  ///< < 0: no cut asked for
  std::thread thread_;
};

}  // namespace psw::hal
