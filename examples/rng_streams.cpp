// Reproducible randomness across threads: give work item i the stream root.substream(i), and
// the numbers no longer depend on which thread ran it or when.
#include <psw/core/rng.hpp>

#include <cstdio>
#include <thread>
#include <vector>

int main() {
  const psw::RngStream root(/*seed=*/2026);
  constexpr int kItems = 8;

  // Placement error of 8 joints, σ = 50 nm, computed on one thread...
  std::vector<double> serial(kItems), threaded(kItems);
  for (int i = 0; i < kItems; ++i) serial[i] = root.substream(i).normal(0.0, 50e-9);

  // ... and on two threads taking items in opposite orders.
  std::thread worker([&] {
    for (int i = 0; i < kItems; i += 2) threaded[i] = root.substream(i).normal(0.0, 50e-9);
  });
  for (int i = kItems - 1; i > 0; i -= 2) threaded[i] = root.substream(i).normal(0.0, 50e-9);
  worker.join();

  for (int i = 0; i < kItems; ++i) std::printf("joint %d: %+7.2f nm\n", i, serial[i] * 1e9);
  std::printf("identical: %s\n", serial == threaded ? "yes" : "no");
  return serial == threaded ? 0 : 1;
}
