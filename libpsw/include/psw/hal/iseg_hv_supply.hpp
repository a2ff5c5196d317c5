// iseg SHR/NHR high-voltage supply driver (SCPI dialect), over any Transport.
//
// Framing: commands and replies end in CR LF. Over TCP (port 10001) the module answers queries
// only; over its serial port it first echoes every command line, which the driver checks and
// drops when `echo` is set. Bytes sent for channel 0:
//
//   set_voltage        :VOLT 1500,(@0)              set_current_limit  :CURR 2e-06,(@0)
//   set_ramp_rate      :CONF:RAMP:VOLT:UP 100  and  :CONF:RAMP:VOLT:DOWN 100
//   set_output         :VOLT ON,(@0)  /  :VOLT OFF,(@0)
//   emergency_off      :VOLT EMCY OFF,(@0)          clear_emergency    :VOLT EMCY CLR,(@0)
//   clear_events       :EV CLEAR,(@0)
//   measured_voltage   :MEAS:VOLT? (@0)   → "1.50000E3V"   (values carry their unit)
//   measured_current   :MEAS:CURR? (@0)   → "2.00000E-6A"
//   status             :READ:CHAN:STAT? (@0), :READ:CHAN:EV:STAT? (@0) and :READ:MOD:STAT?
//                      → decimal bit fields
//   identify           *IDN?
//
// Bits used, as iseg's "SCPI protocol common instruction set" (2020) numbers them: channel
// status 3 on, 4 voltage ramp, 5 emergency off, 6 constant current, 7 constant voltage,
// 12 external inhibit, 13 current trip; the channel status has no arc bit (bit 1 is reserved),
// so arcs are read from the channel event status: 1 arc, 9 arc error. Module status: bit 10
// safety loop good.
//
// Setpoints outside [0, max] are refused with a `safety` error before any byte is sent.
//
// @note Set commands are silent; the driver does not query after each one whether the module
//       accepted it (iseg flags a rejected command in the channel status's Is Input Error bit,
//       bit 2, which HvStatus does not carry). Read back setpoints where it matters.
#pragma once

#include <cstdint>
#include <string>

#include <psw/hal/clock.hpp>
#include <psw/hal/hv_supply.hpp>
#include <psw/hal/transport.hpp>

namespace psw::hal {

namespace iseg {
inline constexpr int kDefaultTcpPort = 10001;
// Channel status (:READ:CHAN:STAT?).
inline constexpr int kBitOn = 3, kBitRamping = 4, kBitEmergency = 5, kBitConstantCurrent = 6,
                     kBitConstantVoltage = 7, kBitInhibit = 12, kBitCurrentTrip = 13;
// Channel event status (:READ:CHAN:EV:STAT?): latched until :EV CLEAR.
inline constexpr int kEventBitArc = 1, kEventBitArcError = 9, kEventBitCurrentTrip = 13;
// Module status (:READ:MOD:STAT?).
inline constexpr int kModuleBitSafetyLoop = 10;

/// Channel, channel-event and module status words → HvStatus.
HvStatus decode_status(std::uint32_t channel_word, std::uint32_t event_word,
                       std::uint32_t module_word);
/// "1.50000E3V" with unit "V" → 1500. False when the text is not a number followed by `unit`.
bool parse_value(const std::string& text, const std::string& unit, double& out);
}  // namespace iseg

struct IsegOptions {
  int channel = 0;                ///< [0, 15]
  double max_voltage_V = 6000.0;  ///< setpoint limit, (0, 1e5]
  double max_current_A = 4e-3;    ///< current-limit limit, (0, 1]
  double max_ramp_V_per_s = 1e3;  ///< (0, 1e5]
  double reply_timeout_s = 0.5;   ///< (0, 60]
  bool echo = false;              ///< serial profile: every command line is echoed first
  /// @throws std::invalid_argument naming the field.
  void validate() const;
};

class IsegHvSupply final : public HvSupply {
 public:
  /// @throws std::invalid_argument when `options` fails validate().
  IsegHvSupply(Transport& transport, Clock& clock, IsegOptions options = {});

  Result<std::string> identify() override;
  Status set_voltage(double voltage_V) override;
  Status set_current_limit(double current_A) override;
  Status set_ramp_rate(double V_per_s) override;
  Status set_output(bool on) override;
  Status emergency_off() override;
  Status clear_emergency() override;
  Result<double> measured_voltage() override;
  Result<double> measured_current() override;
  Result<HvStatus> status() override;
  Status clear_events() override;

 private:
  Status send(const std::string& command);
  Result<std::string> ask(const std::string& command);
  Result<std::string> read_line(const std::string& command);
  Result<std::uint32_t> ask_word(const std::string& command);
  Status check_setpoint(const char* field, double value, double max) const;
  std::string channel_list() const;

  Transport* transport_;
  Clock* clock_;
  IsegOptions options_;
  std::string buffer_;
  bool resync_ = false;  ///< the last exchange failed: drain stale bytes before the next
};

}  // namespace psw::hal
