#include <algorithm>
#include <cmath>
#include <cstdio>

#include <psw/core/error.hpp>
#include <psw/hal/hil_runner.hpp>

namespace psw::hal {

void HilOptions::validate() const {
  require_in_range("hil.period_s", period_s, Range::open_closed(0, 10));
  require_in_range("hil.cycles", static_cast<double>(cycles), Range::closed(1, 1e8));
  require_in_range("hil.bin_s", bin_s, Range::open_closed(0, 1));
  require_in_range("hil.bins", bins, Range::closed(1, 100000));
}

double nearest_rank_percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0.0;
  std::sort(samples.begin(), samples.end());
  const auto n = static_cast<double>(samples.size());
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(p * n)));
  return samples[std::min(rank, samples.size()) - 1];
}

std::string HilReport::summary() const {
  char text[256];
  std::snprintf(text, sizeof text, "cycles=%lld overruns=%lld p50_us=%.3f p99_us=%.3f max_us=%.3f",
                static_cast<long long>(cycles), static_cast<long long>(overruns), p50_s * 1e6,
                p99_s * 1e6, max_s * 1e6);
  return text;
}

HilReport run_fixed_rate(Clock& clock, const HilOptions& options,
                         const std::function<void(std::int64_t, double)>& body) {
  options.validate();
  HilReport report;
  report.bin_s = options.bin_s;
  report.histogram.assign(static_cast<std::size_t>(options.bins), 0);
  std::vector<double> lateness;
  lateness.reserve(static_cast<std::size_t>(options.cycles));

  const double t0 = clock.now_s();
  for (std::int64_t k = 0; k < options.cycles; ++k) {
    // Sleep to the cycle's slot on the fixed grid t_k = t₀ + k·T.
    const double due = t0 + static_cast<double>(k) * options.period_s;
    clock.sleep_for(due - clock.now_s());

    // Lateness of the wake-up, into the samples and the histogram.
    const double woke = clock.now_s();
    const double late = std::max(0.0, woke - due);
    lateness.push_back(late);
    const auto bin = static_cast<std::size_t>(std::floor(late / options.bin_s));
    ++report.histogram[std::min(bin, report.histogram.size() - 1)];

    // The body; ending past the next slot is an overrun.
    body(k, woke);
    if (clock.now_s() > due + options.period_s) ++report.overruns;
  }

  report.cycles = options.cycles;
  report.p50_s = nearest_rank_percentile(lateness, 0.50);
  report.p99_s = nearest_rank_percentile(lateness, 0.99);
  report.max_s = *std::max_element(lateness.begin(), lateness.end());
  return report;
}

}  // namespace psw::hal
