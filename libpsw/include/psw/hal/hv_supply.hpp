// A high-voltage supply channel (the electrospray emitter's supply), as psw sees it: SI units,
// results with an error kind, no protocol in sight.
//
// Implementations: IsegHvSupply (iseg SHR/NHR SCPI, iseg_hv_supply.hpp) over any Transport,
// and SafeHvSupply (hv_safety.hpp), which wraps any HvSupply with psw's safety policy.
#pragma once

#include <string>

#include <psw/hal/result.hpp>

namespace psw::hal {

/// A channel's state: live conditions and latched events (trip, arc), as the supply reports.
struct HvStatus {
  bool on = false;                 ///< output switched on
  bool ramping = false;            ///< voltage moving towards the setpoint
  bool emergency_off = false;      ///< emergency off latched (cleared by clear_emergency)
  bool constant_current = false;   ///< the current limit is regulating
  bool constant_voltage = false;   ///< the voltage setpoint is regulating
  bool current_trip = false;       ///< the current limit was held too long; output cut
  bool arc = false;                ///< an arc was detected; output cut
  bool external_inhibit = false;   ///< inhibit input active (output held off)
  bool safety_loop_closed = true;  ///< the module's safety loop (interlock) is closed

  /// True when any condition requires the output to be off: trip, arc, inhibit, emergency
  /// off or an open safety loop.
  bool faulted() const {
    return current_trip || arc || external_inhibit || emergency_off || !safety_loop_closed;
  }
};

class HvSupply {
 public:
  virtual ~HvSupply() = default;

  virtual Result<std::string> identify() = 0;
  /// Voltage setpoint (V); the output ramps to it at the ramp rate while on.
  virtual Status set_voltage(double voltage_V) = 0;
  /// Current limit (A).
  virtual Status set_current_limit(double current_A) = 0;
  /// Ramp rate of the voltage, up and down (V/s).
  virtual Status set_ramp_rate(double V_per_s) = 0;
  /// Output on or off (off ramps down at the ramp rate).
  virtual Status set_output(bool on) = 0;
  /// Output off at once, latched until clear_emergency().
  virtual Status emergency_off() = 0;
  virtual Status clear_emergency() = 0;
  virtual Result<double> measured_voltage() = 0;
  virtual Result<double> measured_current() = 0;
  virtual Result<HvStatus> status() = 0;
  /// Clears latched events (trip, arc).
  virtual Status clear_events() = 0;
};

}  // namespace psw::hal
