// The hardware-in-the-loop runner (issue #7): lateness figures exact on the simulated clock
// where the test itself injects the lateness, and a short real-time smoke run.
#include <cstdint>
#include <numeric>

#include <catch2/catch.hpp>

#include <psw/hal/hil_runner.hpp>

using Catch::Matchers::Contains;
using namespace psw::hal;

namespace {

// A simulated clock whose k-th sleep oversleeps by late_s[k]: the wake-up lateness the runner
// must report, exactly.
class LateClock final : public Clock {
 public:
  explicit LateClock(std::vector<double> late_s) : late_s_(std::move(late_s)) {}
  double now_s() const override { return inner_.now_s(); }
  void sleep_for(double dt_s) override {
    const double extra = k_ < late_s_.size() ? late_s_[k_] : 0.0;
    ++k_;
    inner_.advance(std::max(dt_s, 0.0) + extra);
  }
  bool is_real_time() const override { return false; }
  SimulatedClock inner_;

 private:
  std::vector<double> late_s_;
  std::size_t k_ = 0;
};

}  // namespace

TEST_CASE("HIL lateness figures are exact on a simulated clock", "[hal][hil]") {
  // 100 cycles at 1 ms; cycle k oversleeps by k + ½ µs (k = 0 … 99; the half keeps every
  // value off a 10 µs bin edge). Nearest rank: p50 = the 50th smallest = 49.5 µs, p99 = the
  // 99th = 98.5 µs, max = 99.5 µs.
  std::vector<double> late(100);
  for (std::size_t k = 0; k < late.size(); ++k) late[k] = (static_cast<double>(k) + 0.5) * 1e-6;
  LateClock clock(late);
  HilOptions o;
  o.period_s = 1e-3;
  o.cycles = 100;
  o.bin_s = 10e-6;
  o.bins = 20;
  std::int64_t calls = 0;
  const HilReport r = run_fixed_rate(clock, o, [&](std::int64_t k, double t) {
    CHECK(k == calls++);
    CHECK(t == Approx(static_cast<double>(k) * 1e-3 + late[k]).margin(1e-12));
  });

  CHECK(r.cycles == 100);
  CHECK(calls == 100);
  CHECK(r.p50_s == Approx(49.5e-6).margin(1e-12));
  CHECK(r.p99_s == Approx(98.5e-6).margin(1e-12));
  CHECK(r.max_s == Approx(99.5e-6).margin(1e-12));
  CHECK(r.overruns == 0);  // 99.5 µs late + an instant body < 1 ms
  // Ten samples per 10 µs bin (0.5–9.5, 10.5–19.5, …); bins 10–19 empty.
  for (int b = 0; b < 10; ++b) CHECK(r.histogram[static_cast<std::size_t>(b)] == 10);
  CHECK(std::accumulate(r.histogram.begin(), r.histogram.end(), std::int64_t{0}) == 100);
  CHECK_THAT(r.summary(), Contains("cycles=100 overruns=0 p50_us=49.500 p99_us=98.500"));
}

TEST_CASE("A body that runs past the next slot is an overrun, and the grid does not shift",
          "[hal][hil]") {
  // Period 1 ms; cycle 3's body takes 2.5 ms: it ends at 5.5 ms, past slots 4 and 5 → cycles 4
  // and 5 wake late (1.5 ms and 0.5 ms). Overruns: cycle 3 (ends 5.5 > slot 4 at 4 ms) and
  // cycle 4 (woke at 5.5 > slot 5 at 5 ms); cycle 5 ends at 5.5 < 6 and is back on the grid.
  SimulatedClock clock;
  HilOptions o;
  o.period_s = 1e-3;
  o.cycles = 8;
  o.bin_s = 0.4e-3;  // bin edges away from the lateness values (no rounding at an edge)
  o.bins = 4;
  std::vector<double> woke;
  const HilReport r = run_fixed_rate(clock, o, [&](std::int64_t k, double t) {
    woke.push_back(t);
    if (k == 3) clock.advance(2.5e-3);
  });
  CHECK(r.overruns == 2);
  CHECK(woke[4] == Approx(5.5e-3).margin(1e-12));
  CHECK(woke[5] == Approx(5.5e-3).margin(1e-12));
  CHECK(woke[6] == Approx(6e-3).margin(1e-12));
  CHECK(r.max_s == Approx(1.5e-3).margin(1e-12));
  // Lateness {0,0,0,0,1.5,0.5,0,0} ms: p50 0, p99 = max; bins of 0.4 ms: six in bin 0, one in
  // bin 1 (0.5 ms), one in bin 3 (1.5 ms).
  CHECK(r.p50_s == 0.0);
  CHECK(r.p99_s == Approx(1.5e-3).margin(1e-12));
  CHECK(r.histogram == std::vector<std::int64_t>{6, 1, 0, 1});
}

TEST_CASE("HIL real-time smoke run on the steady clock", "[hal][hil]") {
  // 50 cycles of 1 ms: every cycle runs, figures are ordered; the values are the host's own
  // scheduling latency and are reported, not asserted.
  SteadyClock clock;
  HilOptions o;
  o.period_s = 1e-3;
  o.cycles = 50;
  const double t0 = clock.now_s();
  const HilReport r = run_fixed_rate(clock, o, [](std::int64_t, double) {});
  CHECK(clock.now_s() - t0 >= 49e-3);  // the grid's last slot is at 49 ms
  CHECK(r.cycles == 50);
  CHECK(0.0 <= r.p50_s);
  CHECK(r.p50_s <= r.p99_s);
  CHECK(r.p99_s <= r.max_s);
  WARN("real-time smoke: " << r.summary());
}

TEST_CASE("HIL options are checked, naming the field", "[hal][hil]") {
  SimulatedClock clock;
  HilOptions o;
  o.period_s = 0.0;
  CHECK_THROWS_WITH(run_fixed_rate(clock, o, [](std::int64_t, double) {}),
                    Contains("hil.period_s"));
  CHECK(nearest_rank_percentile({}, 0.5) == 0.0);
  CHECK(nearest_rank_percentile({3.0, 1.0, 2.0}, 0.5) == 2.0);  // ⌈1.5⌉ = 2nd smallest
}
