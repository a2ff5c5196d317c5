// psw's high-voltage safety policy, in one place: a wrapper around any HvSupply.
//
//   1. Any fault sends the output to its safe state: a transport, protocol or device error
//      from the supply, or a status that reports a trip, an arc, an inhibit, an emergency off
//      or an open safety loop, makes the wrapper send emergency off (best effort: if the link
//      is gone, the message says so) and latch.
//   2. Nothing re-enables HV by itself: while latched, set_output(true) is refused with a
//      `safety` error; only acknowledge() — an operator's explicit act — clears the latch, and
//      only when the supply then reports no fault. The output stays off after it.
//   3. Until a status has been read (after construction, i.e. after every (re)connect), the
//      output is assumed on, and switching on is refused. After on_reconnect() the wrapper
//      re-reads the status itself, at the end of the call during which the link came back
//      (and before any later command), so a supply that was faulted while the link was down
//      is sent to its safe state at once. A reconnect never clears the latch.
//
// Setpoints the driver refused before sending (its own `safety` errors) are not faults: nothing
// reached the supply.
#pragma once

#include <string>

#include <psw/hal/hv_supply.hpp>

namespace psw::hal {

class SafeHvSupply final : public HvSupply {
 public:
  /// `inner` must outlive the wrapper.
  explicit SafeHvSupply(HvSupply& inner) : inner_(&inner) {}

  Result<std::string> identify() override;
  Status set_voltage(double voltage_V) override;
  Status set_current_limit(double current_A) override;
  Status set_ramp_rate(double V_per_s) override;
  /// On: refused while latched or before a status read; off: always passed through.
  Status set_output(bool on) override;
  Status emergency_off() override;
  Status clear_emergency() override;
  Result<double> measured_voltage() override;
  Result<double> measured_current() override;
  /// Reads the status; a faulted one latches and sends emergency off.
  Result<HvStatus> status() override;
  Status clear_events() override;

  /// The link to the supply was re-established (the supply may have restarted): its state is
  /// unknown, the output is assumed on and the status is re-read before the next command.
  /// Safe to call from a transport's reconnect callback: it only marks the state.
  void on_reconnect();
  int reconnects() const { return reconnects_; }

  /// Clears events and the emergency off on the supply, re-reads its status, and releases the
  /// latch when no fault remains. Never switches the output on.
  Status acknowledge();

  bool latched() const { return latched_; }
  /// Why the latch was set (empty when not latched).
  const std::string& latch_reason() const { return reason_; }
  /// True until a status read reported the output off.
  bool assumed_on() const { return assumed_on_; }
  /// How many times the safe state was commanded.
  int safe_state_count() const { return safe_state_count_; }

 private:
  template <class T>
  Result<T> watch(Result<T> result, const char* what);
  void go_safe(const std::string& reason);
  void reread_if_reconnected();

  HvSupply* inner_;
  bool latched_ = false;
  bool assumed_on_ = true;
  bool status_read_ = false;
  int safe_state_count_ = 0;
  int reconnects_ = 0;
  bool reread_pending_ = false;
  std::string reason_;
};

}  // namespace psw::hal
