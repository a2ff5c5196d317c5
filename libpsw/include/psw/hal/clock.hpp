// Time for the HAL. Every wait a driver or transport makes goes through a Clock, so the same
// code runs against hardware on the steady clock and against the simulated twin on a
// simulated clock, where waiting only moves a counter and tests are exact and instant.
#pragma once

namespace psw::hal {

class Clock {
 public:
  virtual ~Clock() = default;
  /// Seconds since an arbitrary epoch; never decreases.
  virtual double now_s() const = 0;
  /// Waits dt_s (≤ 0: returns at once).
  virtual void sleep_for(double dt_s) = 0;
  /// True when waits are real (a transport may then block in poll()).
  virtual bool is_real_time() const = 0;
};

/// std::chrono::steady_clock.
class SteadyClock final : public Clock {
 public:
  double now_s() const override;
  void sleep_for(double dt_s) override;
  bool is_real_time() const override { return true; }
};

/// A clock that moves only when told: sleep_for(dt) and advance(dt) add dt.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(double start_s = 0.0) : now_s_(start_s) {}
  double now_s() const override { return now_s_; }
  void sleep_for(double dt_s) override { advance(dt_s); }
  bool is_real_time() const override { return false; }
  void advance(double dt_s) {
    if (dt_s > 0.0) now_s_ += dt_s;
  }

 private:
  double now_s_;
};

}  // namespace psw::hal
