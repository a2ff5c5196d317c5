// The instrument emulator behind `psw twin serve`: the simulated GCS positioner and iseg HV
// supply on their real protocols over TCP, a JSON-lines control port that injects faults and
// reads internal state, and a thread that steps the physics at a fixed rate.
//
// Time. The twin keeps its own simulated time t. A stepper thread advances it in steps of
// `step_s` and steps both devices to it, so a trip timer or a ramp runs whether or not a client
// is asking:
//   real time (default)   t follows the wall clock times `rate` (rate 1: real time; 10: ten
//                         simulated seconds per wall second); steps wake every step_s/rate of
//                         wall time
//   as fast as possible   t advances by step_s per iteration with no waiting (the physics
//                         steps-per-second figure is then the host's throughput)
// Replies are computed at the twin's t (the devices step to it before answering).
//
// Control port: one JSON object per line in, one per line out ({"ok":true,…} or
// {"ok":false,"error":"…"}). `device` is "gcs" or "hv".
//
//   {"cmd":"state"}                                    state of both devices and the clock
//   {"cmd":"drop","device":D,"count":N}                swallow the next N replies
//   {"cmd":"corrupt","device":D,"count":N}             garble the next N replies (bytes other
//                                                      than CR/LF get their top bit flipped)
//   {"cmd":"delay","device":D,"seconds":S}             hold every reply S s of wall time (0: off)
//   {"cmd":"cut","device":D,"after_bytes":N}           close the link now (N = 0) or after N
//                                                      bytes of the next reply
//   {"cmd":"device_error","device":"gcs","code":C}     set the controller's error code (ERR?)
//   {"cmd":"trip"}  {"cmd":"arc"}                      HV current trip / arc now
//   {"cmd":"interlock","closed":false|true}            open or close the safety loop
//   {"cmd":"clear_faults"}                             forget pending drop/corrupt/delay
//
// Every server binds the address it is given (loopback by default) and waits with poll() and
// short deadlines; stop() returns promptly.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <psw/hal/clock.hpp>
#include <psw/hal/gcs_simulator.hpp>
#include <psw/hal/iseg_simulator.hpp>
#include <psw/hal/tcp_server.hpp>

namespace psw::hal {

struct TwinServerOptions {
  std::string gcs_address = "127.0.0.1:50000";      ///< HOST:PORT; "" serves no positioner
  std::string hv_address = "127.0.0.1:10001";       ///< HOST:PORT; "" serves no HV supply
  std::string control_address = "127.0.0.1:10000";  ///< HOST:PORT; "" no control port
  double step_s = 1e-3;                             ///< physics step, (0, 0.1]
  double rate = 1.0;                 ///< simulated s per wall s in real time, (0, 1000]
  bool as_fast_as_possible = false;  ///< step without waiting on the wall clock
  GcsSimulatorOptions gcs = GcsSimulatorOptions::three_axes();
  IsegSimulatorOptions hv;
  /// @throws std::invalid_argument naming the field.
  void validate() const;
};

/// A thread-safe clock that reads the twin's simulated time (set by the stepper).
class TwinClock final : public Clock {
 public:
  double now_s() const override { return now_s_.load(); }
  void sleep_for(double dt_s) override;  ///< waits until the twin's time has moved by dt_s
  bool is_real_time() const override { return true; }
  void set(double t_s) { now_s_.store(t_s); }

 private:
  std::atomic<double> now_s_{0.0};
};

class TwinServer {
 public:
  /// Binds every address and starts serving and stepping.
  /// @throws std::invalid_argument for bad options; std::runtime_error naming an address that
  ///         cannot be bound.
  explicit TwinServer(TwinServerOptions options);
  ~TwinServer();
  TwinServer(const TwinServer&) = delete;
  TwinServer& operator=(const TwinServer&) = delete;

  /// Bound ports (0 when that server is not running).
  int gcs_port() const;
  int hv_port() const;
  int control_port() const;
  /// The twin's simulated time (s) and physics steps taken.
  double time_s() const { return clock_.now_s(); }
  long long steps() const { return steps_.load(); }

  /// Runs one control command (a JSON object as text) and returns the one-line JSON answer;
  /// what the control port does with each line.
  std::string control(const std::string& line);

  void stop();

 private:
  class Device;
  class ControlProtocol;
  void step_loop();

  TwinServerOptions options_;
  TwinClock clock_;
  std::unique_ptr<GcsSimulator> gcs_sim_;
  std::unique_ptr<IsegSimulator> hv_sim_;
  std::unique_ptr<Device> gcs_;
  std::unique_ptr<Device> hv_;
  std::unique_ptr<ControlProtocol> control_protocol_;
  std::unique_ptr<TcpServer> gcs_server_, hv_server_, control_server_;
  std::atomic<bool> stopping_{false};
  std::atomic<long long> steps_{0};
  std::thread stepper_;
};

}  // namespace psw::hal
