// A closed-loop multi-axis positioner (a piezo nanopositioning stage and its controller), as
// the rest of psw sees it: SI units, results with an error kind, no protocol in sight.
//
// Implementations: GcsPositioner (PI's GCS 2.0, gcs_positioner.hpp), over any Transport, so
// the same calling code drives a real E-727, the simulated controller in-process, or the twin
// over TCP.
//
// Safety (DESIGN.md §7): a move is refused with a `safety` error, before any motion command
// is sent, while the axis' servo is off or when the target lies outside the travel limits.
#pragma once

#include <string>
#include <vector>

#include <psw/hal/result.hpp>

namespace psw::hal {

struct TravelLimits {
  double min_m = 0.0;
  double max_m = 0.0;
};

class Positioner {
 public:
  virtual ~Positioner() = default;

  /// Reads the identity, the axes, their travel limits and servo states; call once after
  /// connecting (and after a reconnect). Moves are refused until it has succeeded.
  virtual Status initialize() = 0;
  /// The controller's identity string (*IDN?), as read by initialize().
  virtual const std::string& identity() const = 0;
  /// Axis identifiers ("1", "2", "3" on an E-727), as read by initialize().
  virtual const std::vector<std::string>& axes() const = 0;

  virtual Status set_servo(const std::string& axis, bool on) = 0;
  virtual Result<bool> servo(const std::string& axis) = 0;
  /// Absolute move to `target_m`.
  virtual Status move_to(const std::string& axis, double target_m) = 0;
  /// Relative move by `delta_m` from the present target.
  virtual Status move_by(const std::string& axis, double delta_m) = 0;
  /// The reference's velocity limit (m/s), > 0.
  virtual Status set_velocity(const std::string& axis, double m_per_s) = 0;
  /// Measured position (m).
  virtual Result<double> position(const std::string& axis) = 0;
  virtual Result<bool> on_target(const std::string& axis) = 0;
  /// Stops every axis at once.
  virtual Status stop() = 0;
  /// Travel limits as read by initialize().
  virtual Result<TravelLimits> limits(const std::string& axis) const = 0;
};

}  // namespace psw::hal
