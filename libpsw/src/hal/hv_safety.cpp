#include <psw/hal/hv_safety.hpp>

namespace psw::hal {

namespace {

std::string describe_fault(const HvStatus& s) {
  std::string out;
  auto add = [&](bool flag, const char* name) {
    if (flag) out += (out.empty() ? "" : ", ") + std::string(name);
  };
  add(s.current_trip, "current trip");
  add(s.arc, "arc");
  add(s.external_inhibit, "external inhibit");
  add(s.emergency_off, "emergency off");
  add(!s.safety_loop_closed, "safety loop open");
  return out;
}

}  // namespace

void SafeHvSupply::go_safe(const std::string& reason) {
  // Emergency off first; the latch holds whatever the supply answers.
  ++safe_state_count_;
  const Status off = inner_->emergency_off();
  if (!latched_) reason_ = reason;
  if (!off) reason_ += "; emergency off not confirmed: " + off.error().message;
  latched_ = true;
}

void SafeHvSupply::on_reconnect() {
  ++reconnects_;
  status_read_ = false;
  assumed_on_ = true;
  reread_pending_ = true;
}

void SafeHvSupply::reread_if_reconnected() {
  // The state after a reconnect is unknown until read; a faulted one latches in status().
  if (!reread_pending_) return;
  reread_pending_ = false;
  (void)status();
}

template <class T>
Result<T> SafeHvSupply::watch(Result<T> result, const char* what) {
  if (!result.ok() && result.kind() != ErrorKind::safety)
    go_safe(std::string(what) + ": " + to_string(result.kind()) +
            " error: " + result.error().message);
  reread_if_reconnected();
  return result;
}

Result<std::string> SafeHvSupply::identify() { return watch(inner_->identify(), "identify"); }

Status SafeHvSupply::set_voltage(double voltage_V) {
  reread_if_reconnected();
  return watch(inner_->set_voltage(voltage_V), "set_voltage");
}

Status SafeHvSupply::set_current_limit(double current_A) {
  reread_if_reconnected();
  return watch(inner_->set_current_limit(current_A), "set_current_limit");
}

Status SafeHvSupply::set_ramp_rate(double V_per_s) {
  reread_if_reconnected();
  return watch(inner_->set_ramp_rate(V_per_s), "set_ramp_rate");
}

Status SafeHvSupply::set_output(bool on) {
  reread_if_reconnected();
  if (on && latched_)
    return make_error(ErrorKind::safety, "HV on refused: latched after a fault (" + reason_ +
                                             "); acknowledge() after fixing the cause");
  if (on && !status_read_)
    return make_error(ErrorKind::safety,
                      "HV on refused: the supply's state has not been read since connecting");
  return watch(inner_->set_output(on), "set_output");
}

Status SafeHvSupply::emergency_off() {
  ++safe_state_count_;
  return watch(inner_->emergency_off(), "emergency_off");
}

Status SafeHvSupply::clear_emergency() {
  return watch(inner_->clear_emergency(), "clear_emergency");
}

Result<double> SafeHvSupply::measured_voltage() {
  return watch(inner_->measured_voltage(), "measured_voltage");
}

Result<double> SafeHvSupply::measured_current() {
  return watch(inner_->measured_current(), "measured_current");
}

Result<HvStatus> SafeHvSupply::status() {
  reread_pending_ = false;  // this call is the re-read
  auto s = watch(inner_->status(), "status");
  if (!s) return s;

  // The state is known now; a reported fault sends HV to its safe state.
  status_read_ = true;
  assumed_on_ = s.value().on;
  if (s.value().faulted() && !s.value().emergency_off) go_safe(describe_fault(s.value()));
  if (s.value().emergency_off && !latched_) {
    latched_ = true;
    reason_ = "emergency off";
  }
  return s;
}

Status SafeHvSupply::clear_events() { return watch(inner_->clear_events(), "clear_events"); }

Status SafeHvSupply::acknowledge() {
  // The operator's act: clear the supply's latches, then look again.
  if (auto s = inner_->clear_events(); !s) return watch(s, "acknowledge");
  if (auto s = inner_->clear_emergency(); !s) return watch(s, "acknowledge");
  auto st = inner_->status();
  if (!st) return watch(Status(st.error()), "acknowledge");
  status_read_ = true;
  assumed_on_ = st.value().on;
  if (st.value().faulted())
    return make_error(ErrorKind::safety,
                      "fault still present after acknowledge: " + describe_fault(st.value()));
  latched_ = false;
  reason_.clear();
  return done();
}

}  // namespace psw::hal
