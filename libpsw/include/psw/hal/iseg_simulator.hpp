// A simulated iseg SHR/NHR high-voltage channel speaking the SCPI dialect of
// iseg_hv_supply.hpp byte for byte, as a ProtocolServer.
//
// Output model, advanced to each call's `now_s` in steps of at most 1 ms:
//
//   V̇ = ±r  towards V_set while on (and towards 0 when switched off)   (ramp limiter, r V/s)
//   I  = I_leak + I_spray = V/R_leak + (V ≥ V_onset ? I_spray : 0)      (emitter as a load)
//        or, when spray_current_at is set, V/R_leak + spray_current_at(V) (the cone-jet load of
//        emitter_load.hpp)
//   I > I_lim           → constant current: I = I_lim; held for t_trip → current trip
//   arcs                → a Poisson process of rate λ while V ≥ V_onset; each cuts the output
//   safety loop opened  → output cut at once; on refused until it is closed again
//
// A trip, an arc or an emergency off cuts the output to 0 V at once and switches the channel
// off; trip and arc stay latched in the status until `:EV CLEAR`, emergency off until
// `:VOLT EMCY CLR`. `:VOLT ON` is ignored while any of them is latched or the loop is open.
//
// The emitter's spray current is the constant spray_current_A above onset by default; the
// cone-jet model of psw::electrospray is plugged in with cone_jet_hv_options()
// (emitter_load.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <psw/core/rng.hpp>
#include <psw/hal/transport.hpp>

namespace psw::hal {

struct IsegSimulatorOptions {
  int channel = 0;                 ///< [0, 15]
  double max_voltage_V = 6000.0;   ///< (0, 1e5]
  double onset_V = 1500.0;         ///< V_onset, [0, max_voltage_V]
  double spray_current_A = 50e-9;  ///< I_spray, [0, 1]
  /// I_spray(V) in A; when set, replaces spray_current_A and onset_V in the load (arcs then
  /// arrive while it is > 0).
  std::function<double(double voltage_V)> spray_current_at;
  double leak_resistance_ohm = 1e10;  ///< R_leak, (0, 1e15]
  double trip_time_s = 0.1;           ///< t_trip, [0, 100]
  double arc_rate_per_s = 0.0;        ///< λ, [0, 1e3]
  bool echo = false;                  ///< serial profile: echo every command line
  std::uint64_t seed = 1;
  std::string identity = "psw twin,simulated SHR,0,1.0";
  /// @throws std::invalid_argument naming the field.
  void validate() const;
};

class IsegSimulator final : public ProtocolServer {
 public:
  explicit IsegSimulator(IsegSimulatorOptions options = {});

  std::string on_bytes(std::string_view bytes, double now_s) override;

  /// Advances the model by dt_s (what on_bytes does up to now_s).
  void step(double dt_s);

  // ---- fault injection and state, for tests and the control port ---------------------------
  void set_safety_loop_closed(bool closed);
  /// An arc now (as if drawn by the Poisson process).
  void force_arc();
  /// A current trip now (as if the limit had been held for t_trip): output cut, trip latched.
  void force_trip();
  bool safety_loop_closed() const { return loop_closed_; }
  double setpoint_V() const { return setpoint_V_; }
  double voltage_V() const { return voltage_V_; }
  double current_A() const { return current_A_; }
  bool on() const { return on_; }
  std::uint32_t channel_status() const;
  std::uint32_t module_status() const;
  int arcs() const { return arcs_; }

 private:
  std::string execute(const std::string& line);
  void cut_output();

  IsegSimulatorOptions options_;
  RngStream rng_;
  std::string buffer_;
  bool started_ = false;
  double last_now_s_ = 0.0;

  double setpoint_V_ = 0.0;
  double current_limit_A_ = 1e-5;
  double ramp_up_V_per_s_ = 100.0;
  double ramp_down_V_per_s_ = 100.0;
  bool on_ = false;
  double voltage_V_ = 0.0;
  double current_A_ = 0.0;
  bool constant_current_ = false;
  double over_limit_s_ = 0.0;
  bool emergency_ = false;
  bool trip_ = false;
  bool arc_ = false;
  bool loop_closed_ = true;
  int arcs_ = 0;
};

}  // namespace psw::hal
