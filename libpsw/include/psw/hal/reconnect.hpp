// A transport that re-establishes its link after it drops, with bounded exponential back-off
// timed on a Clock (so tests of the back-off are exact and instant on a simulated clock).
//
// When a write finds the link closed (the peer hung up, a write or read failed and the inner
// transport closed itself), it reconnects before sending:
//
//   attempt 1 at once; after a failure wait w₁ = initial_s, then attempt 2; then
//   wₖ = min(initial_s·factorᵏ⁻¹, max_s), … up to max_attempts attempts in all.
//
// If every attempt fails the write returns a transport error naming the last failure and the
// number of attempts; the next write starts a fresh round. A read never reconnects: a reply
// cannot arrive on a link opened after its command was sent, so a read on a dropped link is a
// transport error at once.
//
// After each successful reconnect the `on_reconnect` callback runs (before the write that
// triggered it proceeds). psw uses it to apply the safety policy (hv_safety.hpp): the HV
// supply's state is re-read and the output assumed on until the supply says otherwise; the
// positioner must be initialize()d again before it moves. The callback must not use the
// transport itself.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <psw/hal/clock.hpp>
#include <psw/hal/transport.hpp>

namespace psw::hal {

struct BackoffOptions {
  double initial_s = 0.1;  ///< first wait between attempts, (0, 60]
  double factor = 2.0;     ///< growth of the wait per attempt, [1, 10]
  double max_s = 2.0;      ///< longest wait, [initial_s, 600]
  int max_attempts = 5;    ///< attempts per reconnect, [1, 1000]
  /// @throws std::invalid_argument naming the field.
  void validate() const;
};

class ReconnectingTransport final : public Transport {
 public:
  using Connector = std::function<Result<std::unique_ptr<Transport>>()>;

  /// `connect` opens a fresh link; `link` is the one already open (may be null: the first
  /// write connects). `clock` must outlive this.
  /// @throws std::invalid_argument when `backoff` fails validate().
  ReconnectingTransport(Connector connect, Clock& clock, BackoffOptions backoff = {},
                        std::unique_ptr<Transport> link = nullptr);

  Status write(std::string_view bytes) override;
  Result<std::string> read_some(double timeout_s) override;
  void close() override;
  bool is_open() const override { return link_ && link_->is_open(); }
  std::string describe() const override;

  void set_on_reconnect(std::function<void()> callback) { on_reconnect_ = std::move(callback); }
  /// Successful reconnects so far.
  int reconnects() const { return reconnects_; }
  /// Every back-off wait taken so far (s), in order.
  const std::vector<double>& waits_s() const { return waits_s_; }

 private:
  Status reconnect();

  Connector connect_;
  Clock* clock_;
  BackoffOptions backoff_;
  std::unique_ptr<Transport> link_;
  std::string last_description_ = "(not connected)";
  std::function<void()> on_reconnect_;
  int reconnects_ = 0;
  std::vector<double> waits_s_;
};

}  // namespace psw::hal
