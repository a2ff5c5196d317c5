#include <psw/core/units.hpp>

#include <utility>

namespace psw {
namespace {

// Suffixes and their SI factors; lookup takes the longest match, so "_J_per_m2" wins over "_m2".
// No bare "_C": it could be read as coulomb or as degrees Celsius, and psw takes kelvin only.
constexpr std::pair<std::string_view, double> kSuffixes[] = {
    // length
    {"_m", 1.0}, {"_mm", 1e-3}, {"_um", 1e-6}, {"_nm", 1e-9}, {"_pm", 1e-12},
    // time
    {"_s", 1.0}, {"_ms", 1e-3}, {"_us", 1e-6}, {"_ns", 1e-9}, {"_ps", 1e-12}, {"_fs", 1e-15},
    {"_min", 60.0}, {"_h", 3600.0},
    // frequency
    {"_Hz", 1.0}, {"_kHz", 1e3}, {"_MHz", 1e6}, {"_GHz", 1e9},
    // temperature, energy, power
    {"_K", 1.0}, {"_J", 1.0}, {"_uJ", 1e-6}, {"_nJ", 1e-9}, {"_eV", 1.602176634e-19},
    {"_W", 1.0}, {"_mW", 1e-3},
    // electrical
    {"_V", 1.0}, {"_kV", 1e3}, {"_mV", 1e-3}, {"_A", 1.0}, {"_mA", 1e-3}, {"_uA", 1e-6},
    {"_nA", 1e-9}, {"_pC", 1e-12}, {"_S_per_m", 1.0}, {"_uS_per_cm", 1e-4}, {"_ohm_m", 1.0},
    {"_uohm_cm", 1e-8}, {"_F_per_m", 1.0},
    // mechanics, fluids
    {"_kg", 1.0}, {"_g", 1e-3}, {"_Pa", 1.0}, {"_kPa", 1e3}, {"_Pa_s", 1.0}, {"_mPa_s", 1e-3},
    {"_N", 1.0}, {"_N_per_m", 1.0}, {"_mN_per_m", 1e-3}, {"_kg_per_m3", 1.0},
    {"_m3", 1.0}, {"_m3_per_s", 1.0}, {"_nL_per_s", 1e-12}, {"_pL_per_s", 1e-15},
    {"_pL", 1e-15}, {"_fL", 1e-18},
    // thermal, optical compounds (already SI)
    {"_J_per_m2", 1.0}, {"_mJ_per_cm2", 10.0}, {"_J_per_m3K", 1.0}, {"_J_per_m3K2", 1.0},
    {"_W_per_mK", 1.0}, {"_W_per_m3K", 1.0}, {"_W_per_m2K", 1.0},
};

}  // namespace

std::optional<double> si_scale_for_key(std::string_view key) {
  std::size_t best_length = 0;
  std::optional<double> best;
  for (const auto& [suffix, scale] : kSuffixes) {
    if (suffix.size() > best_length && key.size() > suffix.size() && key.ends_with(suffix)) {
      best_length = suffix.size();
      best = scale;
    }
  }
  return best;
}

}  // namespace psw
