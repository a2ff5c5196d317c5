// Seeded, splittable random-number streams.
//
// A sweep gives point i the stream `root.substream(i)`; the numbers point i sees then depend on
// the seed and on i only, never on which thread or MPI rank ran it or in what order, so one seed
// gives the same results on 1 thread, 2 threads or 2 ranks.
//
// Engine: xoshiro256** (Blackman & Vigna 2018), period 2²⁵⁶ − 1, state seeded by SplitMix64
// (Steele, Lea & Flood 2014). A stream's key is a hash of (seed, stream id) or of (parent key,
// substream index); the key alone fixes the stream, so substream(i) does not depend on how many
// numbers the parent has drawn.
//
// Distributions are implemented here rather than taken from <random>, whose algorithms differ
// between standard libraries: the same seed gives the same numbers with any compiler.
//
// References: D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators",
// ACM TOMS 47 (2021) 36; G. L. Steele, D. Lea, C. H. Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014; D. Lemire, "Fast random integer generation in an interval",
// ACM TOMACS 29 (2019) 3.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace psw {

/// One SplitMix64 step: advances `state` and returns the next output.
constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// xoshiro256**: the raw engine, for callers that manage their own state.
class Xoshiro256ss {
 public:
  using result_type = std::uint64_t;
  /// The state must not be all zero.
  constexpr explicit Xoshiro256ss(const std::array<std::uint64_t, 4>& state) : s_(state) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  constexpr result_type operator()() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  constexpr const std::array<std::uint64_t, 4>& state() const { return s_; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
  }
  std::array<std::uint64_t, 4> s_;
};

/// A reproducible stream of random numbers identified by (seed, stream id).
class RngStream {
 public:
  using result_type = std::uint64_t;

  explicit RngStream(std::uint64_t seed, std::uint64_t stream_id = 0)
      : RngStream(KeyTag{}, combine(mix(seed), stream_id)) {}

  /// Child stream `index`; the same for the same parent key whatever has been drawn.
  RngStream substream(std::uint64_t index) const { return RngStream(KeyTag{}, combine(key_, index)); }

  /// The 64-bit key that fixes this stream.
  std::uint64_t key() const { return key_; }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() { return engine_(); }

  /// Uniform on [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  /// Uniform on [a, b).
  double uniform(double a, double b) { return a + (b - a) * uniform(); }

  /// Uniform integer in [0, n), unbiased (Lemire 2019). n must be > 0.
  std::uint64_t below(std::uint64_t n) {
    __extension__ using U128 = unsigned __int128;  // GCC/Clang; silences -Wpedantic
    U128 m = static_cast<U128>(engine_()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<U128>(engine_()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  /// Standard normal deviate (Marsaglia polar method; the second deviate of each pair is kept).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
      u = uniform(-1.0, 1.0);
      v = uniform(-1.0, 1.0);
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }

  /// Exponential deviate with the given rate (mean 1/rate).
  double exponential(double rate) { return -std::log1p(-uniform()) / rate; }

 private:
  struct KeyTag {};
  RngStream(KeyTag, std::uint64_t key) : key_(key), engine_(expand(key)) {}

  // SplitMix64's output function as a hash of one word.
  static constexpr std::uint64_t mix(std::uint64_t x) {
    std::uint64_t state = x;
    return splitmix64_next(state);
  }
  static constexpr std::uint64_t combine(std::uint64_t key, std::uint64_t index) {
    return mix(key ^ mix(index ^ 0x6a09e667f3bcc909ULL));
  }
  static constexpr std::array<std::uint64_t, 4> expand(std::uint64_t key) {
    std::uint64_t state = key;
    std::array<std::uint64_t, 4> s{};
    for (auto& word : s) word = splitmix64_next(state);
    return s;
  }

  std::uint64_t key_;
  Xoshiro256ss engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace psw
