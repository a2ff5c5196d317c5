// A transport that plays a script: each expected write is answered by its canned reply, and
// everything written is kept, so a test can assert the exact bytes a driver sent.
#pragma once

#include <deque>
#include <string>
#include <utility>

#include <psw/hal/clock.hpp>
#include <psw/hal/transport.hpp>

namespace psw::hal::test {

class ScriptedTransport final : public Transport {
 public:
  explicit ScriptedTransport(Clock& clock) : clock_(&clock) {}

  /// After `sent` is written, `reply` becomes readable.
  void expect(std::string sent, std::string reply) {
    script_.emplace_back(std::move(sent), std::move(reply));
  }

  /// Bytes that arrive unasked (a late reply).
  void inject(std::string bytes) { inbox_ += bytes; }

  Status write(std::string_view bytes) override {
    written += bytes;
    if (script_.empty() || script_.front().first != bytes) {
      mismatch = "unexpected write '" + std::string(bytes) + "'";
      return make_error(ErrorKind::transport, mismatch);
    }
    inbox_ += script_.front().second;
    script_.pop_front();
    return done();
  }

  Result<std::string> read_some(double timeout_s) override {
    if (inbox_.empty()) {
      clock_->sleep_for(timeout_s);
      return make_error(ErrorKind::transport, "script: no reply");
    }
    std::string out;
    out.swap(inbox_);
    return out;
  }

  void close() override {}
  bool is_open() const override { return true; }
  std::string describe() const override { return "script"; }
  bool finished() const { return script_.empty() && mismatch.empty(); }

  std::string written;   ///< every byte written, in order
  std::string mismatch;  ///< the first write that did not match the script

 private:
  Clock* clock_;
  std::deque<std::pair<std::string, std::string>> script_;
  std::string inbox_;
};

/// The replies of a two-axis E-727-like controller to initialize(): axes "1" and "2",
/// travel [0, 100] µm, servo on for axis 1 only, a P-733.2CD stage (two axes) on both.
inline void expect_initialize(ScriptedTransport& t) {
  t.expect("*IDN?\n", "Physik Instrumente, E-727, 0, 1.0\n");
  t.expect("SAI?\n", "1 \n2\n");
  t.expect("TMN?\n", "1=0.000000 \n2=0.000000\n");
  t.expect("TMX?\n", "1=100.000000 \n2=100.000000\n");
  t.expect("SVO?\n", "1=1 \n2=0\n");
  t.expect("CST?\n", "1=P-733.2CD \n2=P-733.2CD\n");
}

}  // namespace psw::hal::test
