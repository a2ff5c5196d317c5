// PI GCS 2.0 positioner driver (E-727 class controllers), over any Transport.
//
// Commands used, with the bytes sent (axis "1", positions in µm as the controller's default
// physical unit for piezo stages; psw's API is in metres):
//
//   initialize      *IDN?   SAI?   TMN?   TMX?   SVO?   CST?   (queries of all axes)
//   set_servo       SVO 1 1                       then ERR?
//   servo           SVO? 1          → "1=1"
//   move_to         MOV 1 12.5                    then ERR?
//   move_by         MOV? 1 (present target), MVR 1 0.5, then ERR?
//   set_velocity    VEL 1 1000                    then ERR?
//   position        POS? 1          → "1=12.500000"
//   on_target       ONT? 1          → "1=1"
//   stop            STP, then ERR?, which must read 10 ("controller was stopped by command")
//   moving          #5 (the byte 0x05)  → "3"  hexadecimal bit mask, bit i = i-th axis of SAI?
//   ready           #7 (the byte 0x07)  → 0xB1 LF ready, 0xB0 LF not ready
//
// The formats of #5 and #7 are those PI's own Python library reads (PIPython,
// pidevice/gcs2/gcs2commands.py: IsMoving parses the #5 answer as base 16, bit per axis in
// SAI? order; IsControllerReady compares the #7 answer with 177 and 176). CST? answers
// "<axis>=<stage name>" lines with the usual continuation.
//
// GCS set commands are silent: the driver follows each with ERR?, which reads and clears the
// controller's error code, and reports a non-zero code as a `device` error carrying it. Reply
// parsing is strict: a reply that is not "<axis>=<number>" for the asked axis is a
// `protocol` error quoting it. Each reply must arrive within `reply_timeout_s`, measured on
// the driver's Clock. After a failed exchange (timeout, garbage) the driver drops any bytes
// already waiting before its next command, so a late reply is never taken for the next one.
//
// @note Macro, wave-generator and data-recorder commands are out of scope.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <psw/hal/clock.hpp>
#include <psw/hal/gcs_framer.hpp>
#include <psw/hal/positioner.hpp>
#include <psw/hal/transport.hpp>

namespace psw::hal {

struct GcsPositionerOptions {
  double reply_timeout_s = 0.5;  ///< per reply, (0, 60]
  /// Validates the fields. @throws std::invalid_argument naming the field.
  void validate() const;
};

class GcsPositioner final : public Positioner {
 public:
  /// `transport` and `clock` must outlive the driver.
  /// @throws std::invalid_argument when `options` fails validate().
  GcsPositioner(Transport& transport, Clock& clock, GcsPositionerOptions options = {});

  Status initialize() override;
  const std::string& identity() const override { return identity_; }
  const std::vector<std::string>& axes() const override { return axes_; }

  Status set_servo(const std::string& axis, bool on) override;
  Result<bool> servo(const std::string& axis) override;
  Status move_to(const std::string& axis, double target_m) override;
  Status move_by(const std::string& axis, double delta_m) override;
  Status set_velocity(const std::string& axis, double m_per_s) override;
  Result<double> position(const std::string& axis) override;
  Result<bool> on_target(const std::string& axis) override;
  Status stop() override;
  Result<TravelLimits> limits(const std::string& axis) const override;

  /// The link was re-established: the controller may have restarted, so what initialize()
  /// read is stale. Moves are refused until initialize() succeeds again.
  void on_reconnect();

  /// The stage connected to `axis` (CST?), as read by initialize().
  Result<std::string> stage(const std::string& axis) const;
  /// #5: for each axis, whether it is moving.
  Result<std::map<std::string, bool>> moving();
  /// #7: whether the controller is ready for commands.
  Result<bool> ready();

  /// ERR?: the controller's error code, cleared by reading.
  Result<int> read_error();
  /// Sends a query and returns its reply lines (for the CLI and tests).
  Result<std::vector<std::string>> query(const std::string& command);

 private:
  struct AxisState {
    TravelLimits limits;
    bool servo = false;
    std::string stage;
  };

  Status send(const std::string& command);
  Status send_checked(const std::string& command);
  Result<gcs::Reply> read_reply(const std::string& command);
  Result<std::map<std::string, std::string>> query_axes(const std::string& command);
  Result<double> query_axis_number(const std::string& command, const std::string& axis);
  Status check_axis(const std::string& axis) const;
  Status check_target(const std::string& axis, double target_m, const char* what) const;

  Transport* transport_;
  Clock* clock_;
  GcsPositionerOptions options_;
  gcs::GcsReplyFramer framer_;
  std::string identity_;
  std::vector<std::string> axes_;
  std::map<std::string, AxisState> state_;
  bool initialized_ = false;
  bool resync_ = false;  ///< the last exchange failed: drain stale bytes before the next
};

/// Metres → the GCS number in µm, rounded to 1 pm and written shortest ("12.5").
std::string gcs_micrometres(double value_m);

}  // namespace psw::hal
