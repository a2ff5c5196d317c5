// Device URIs: one string chooses the instrument, the simulated twin in process, or the twin
// (or an instrument) over TCP, so calling code need not change.
//
//   sim://gcs                                   simulated PI controller, in process
//   sim://iseg                                  simulated iseg HV channel, in process
//   tcp://127.0.0.1:50000?protocol=gcs          GCS over TCP (port defaults: gcs 50000,
//   tcp://127.0.0.1:10001?protocol=iseg         iseg 10001)
//   serial:///dev/ttyUSB0?baud=115200&protocol=iseg
//
// Query parameters: protocol (gcs | iseg; required for tcp and serial), timeout_s (reply
// timeout, (0, 60]), channel (iseg, [0, 15]); serial only: baud (a standard rate, default
// 115200), data_bits ([5, 8], default 8), parity (none | even | odd, default none), stop_bits
// (1 | 2, default 1), echo (0 | 1: the device echoes each command line; default 1 for iseg,
// whose serial profile echoes, 0 for gcs). Unknown parameters are refused.
//
// tcp:// connections reconnect by themselves after the link drops (reconnect.hpp): bounded
// back-off on the connection's clock; after each reconnect the positioner must be
// initialize()d again and the HV supply's state is re-read before anything is switched.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <psw/hal/clock.hpp>
#include <psw/hal/gcs_positioner.hpp>
#include <psw/hal/hv_safety.hpp>
#include <psw/hal/iseg_hv_supply.hpp>
#include <psw/hal/reconnect.hpp>
#include <psw/hal/result.hpp>
#include <psw/hal/serial.hpp>
#include <psw/hal/transport.hpp>

namespace psw::hal {

enum class Protocol { gcs, iseg };

struct DeviceUri {
  std::string scheme;  ///< "sim", "tcp" or "serial"
  Protocol protocol = Protocol::gcs;
  std::string host;              ///< tcp: numeric IPv4
  int port = 0;                  ///< tcp
  std::string path;              ///< serial: device path
  int baud = 115200;             ///< serial
  int data_bits = 8;             ///< serial
  Parity parity = Parity::none;  ///< serial
  int stop_bits = 1;             ///< serial
  bool echo = false;  ///< serial: the device echoes command lines (iseg's serial profile)
  int channel = 0;    ///< iseg channel
  double timeout_s = 0.5;
};

/// @throws std::invalid_argument naming the URI and what is wrong with it.
DeviceUri parse_device_uri(const std::string& uri);

const char* to_string(Protocol protocol);

/// Everything behind one URI: clock, simulator (sim://), transport and driver. The HV supply
/// is handed out wrapped in the safety policy (SafeHvSupply) only.
class Connection {
 public:
  /// The positioner, or nullptr when the protocol is not gcs.
  Positioner* positioner() { return gcs_.get(); }
  /// The HV supply behind the safety policy, or nullptr when the protocol is not iseg.
  SafeHvSupply* hv() { return safe_hv_.get(); }
  Clock& clock() { return *clock_; }
  const DeviceUri& uri() const { return uri_; }
  /// The tcp:// link's reconnecting transport (nullptr for sim:// and serial://).
  ReconnectingTransport* reconnecting() { return reconnecting_; }

 private:
  friend Result<std::unique_ptr<Connection>> connect(const std::string& uri);
  DeviceUri uri_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<ProtocolServer> simulator_;
  std::unique_ptr<Transport> transport_;
  ReconnectingTransport* reconnecting_ = nullptr;
  std::unique_ptr<GcsPositioner> gcs_;
  std::unique_ptr<IsegHvSupply> iseg_;
  std::unique_ptr<SafeHvSupply> safe_hv_;
};

/// Parses `uri` and connects: sim:// on a simulated clock, tcp:// and serial:// on the steady
/// clock. A
/// failed connection is a transport error; a malformed URI throws std::invalid_argument.
Result<std::unique_ptr<Connection>> connect(const std::string& uri);

}  // namespace psw::hal
