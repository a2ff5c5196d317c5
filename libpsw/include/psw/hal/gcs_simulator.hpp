// A simulated PI GCS 2.0 controller (E-727 class) on psw::stage axes, speaking the protocol
// byte for byte as a ProtocolServer, so the real GcsPositioner drives it unmodified — in
// process over a PipeTransport, or over TCP through a TcpServer.
//
// Commands understood (axis identifiers "1", "2", …; positions µm, velocities µm/s):
//
//   *IDN?  SAI?  ERR?  POS? [ax…]  MOV? [ax…]  ONT? [ax…]  SVO? [ax…]  TMN? [ax…]  TMX? [ax…]
//   CST? [ax…]
//   MOV ax v [ax v…]  MVR ax d [ax d…]  SVO ax 0|1 [ax s…]  VEL ax v [ax v…]  STP  #24 (0x18)
//   #5 (0x05)  #7 (0x07)
//
// CST? answers "<ax>=<stage name>". #5 answers the moving axes as a hexadecimal bit mask, bit
// i for the i-th axis of SAI? ("0": none moving, "5": first and third); an axis is moving while
// its servo is on and it is not on target. #7 answers the byte 0xB1 (ready) and LF: the
// simulated controller is always ready. (Formats as PI's own Python library, PIPython's
// gcs2commands.py, reads them: IsMoving parses #5 as base-16, IsControllerReady compares #7
// with 177 and 176.)
//
// Replies: "<ax>=<value>" lines, every line but the last ending in space + LF. Set commands
// answer nothing. Errors follow GCS: the controller keeps an error code, read and cleared by
// ERR?; the first error since the last ERR? is kept. Codes used: 1 parameter syntax, 2 unknown
// command, 5 move with servo off, 7 position out of limits, 10 stopped by command, 15 invalid
// axis, 17 parameter out of range. A query naming an unknown axis sets 15 and answers nothing.
// MOV and MVR with several axes are checked whole before any axis moves.
//
// STP (and #24) halts every axis where its reference is, sets error 10 and locks motion out:
// MOV and MVR are refused (error 10 again) until ERR? has been read — so a stop cannot be
// overridden by a command already queued behind it.
//
// Time: before each batch of bytes the axes are stepped to the caller's `now_s` (the pipe's or
// server's Clock); the first call only sets the epoch. A gap longer than `max_catch_up_s` is
// stepped for `max_catch_up_s` only (an idle twin is at rest; this bounds the work per call).
//
// @note Power-on state: servo off on every axis, targets 0, error 0. Velocity is the axis'
//       reference slew limit (psw::stage's VEL). Macros are not simulated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <psw/hal/gcs_framer.hpp>
#include <psw/hal/transport.hpp>
#include <psw/stage/axis.hpp>

namespace psw::hal {

struct GcsSimulatorOptions {
  /// One stage axis per controller axis; the GCS identifiers are "1", "2", … in this order.
  std::vector<stage::AxisParams> axes;
  std::string identity = "psw twin, simulated E-727, 0, 1.0";
  std::string stage_name = "PSW-TWIN-100UM";  ///< CST? of every axis, one word
  double max_catch_up_s = 1.0;                ///< (0, 3600]
  std::uint64_t seed = 1;                     ///< sensor-noise streams

  /// Three axes of default_gcs_axis().
  static GcsSimulatorOptions three_axes();
  /// @throws std::invalid_argument naming the field (axes[i].… for an axis).
  void validate() const;
};

/// A 100 µm closed-loop axis, 2.4 kHz first resonance, 20 kHz servo, quiet sensor: the
/// simulator's default.
stage::AxisParams default_gcs_axis(const std::string& name);

class GcsSimulator final : public ProtocolServer {
 public:
  /// @throws std::invalid_argument when `options` fails validate().
  explicit GcsSimulator(GcsSimulatorOptions options = GcsSimulatorOptions::three_axes());

  std::string on_bytes(std::string_view bytes, double now_s) override;

  /// The stage axis behind GCS axis `index` (0-based), for tests and the control port.
  const stage::Axis& axis(std::size_t index) const { return axes_.at(index); }
  std::size_t axis_count() const { return axes_.size(); }
  int error_code() const { return error_; }
  /// Sets the controller's error code as a failed command would (fault injection); ERR? then
  /// reports and clears it.
  void force_error(int code) { set_error(code); }
  bool stopped() const { return stopped_; }
  /// Simulated time of the axes (s since the first call).
  double time_s() const { return time_s_; }

 private:
  void advance_to(double now_s);
  std::string execute(const std::string& line);
  std::string query(const std::string& name, const std::vector<std::string>& args);
  void set_pairs(const std::string& name, const std::vector<std::string>& args);
  int axis_index(const std::string& id) const;
  void set_error(int code);

  GcsSimulatorOptions options_;
  std::vector<stage::Axis> axes_;
  std::vector<std::string> ids_;
  gcs::GcsCommandFramer framer_;
  int error_ = 0;
  bool stopped_ = false;
  bool started_ = false;
  double last_now_s_ = 0.0;
  double time_s_ = 0.0;
};

}  // namespace psw::hal
