// Synthetic RDL defect images with ground truth, for tests and for training a reference model.
//
// Each sample is a field of parallel copper lines (width and space 1–10 µm, horizontal,
// vertical or diagonal) with vias or pads on some lines and exactly one defect:
//
//   open        a cut across a line, of a given length along it (a linear discontinuity)
//   bridge      metal across the space joining two lines (a short)
//   particle    an irregular metal-bright particle in a space
//   void        an elliptical void or pinhole inside a line
//   mouse_bite  a half-elliptical bite out of a line edge
//   residue     a faint irregular film in a space
//
// The picture is rendered by supersampling (4 × 4 per pixel) the analytic geometry, then
// blurred, lit with an illumination gradient and given optical- or SEM-like noise. The ground
// truth (DefectGeometry, see repair_rules.hpp for its definitions) is computed from the analytic
// shapes, not from pixels; the mask marks the pixels whose centres the defect changed. The
// label is apply_rules(truth, options.rules), the same rules the explanations apply.
//
// Reproducibility: sample `index` of seed `seed` draws from RngStream(seed).substream(index)
// only, so it is the same whichever other samples are made, in whatever order or thread.
//
// @note The shapes are idealised: straight line edges without roughness, circular vias, one
//       defect per image. Real optical and SEM images have more varied contrast; a model
//       trained on these images alone is a reference, not a production classifier.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <psw/inference/image.hpp>
#include <psw/inference/repair_rules.hpp>

namespace psw::inference {

enum class Modality {
  optical,  ///< bright copper on dark dielectric, Gaussian noise, smooth illumination gradient
  sem,      ///< secondary-electron-like: bright edges, signal-dependent (shot) noise, scan lines
  mixed,    ///< each sample optical or SEM with equal probability
};

/// "optical", "sem", "mixed".
std::string_view to_string(Modality m);
/// @throws std::invalid_argument naming the accepted names.
Modality modality_from_string(std::string_view name);

/// The kinds a sample's defect is drawn from, in the order of SynthOptions::kind_weights.
inline constexpr std::array<DefectKind, 6> kSynthKinds{DefectKind::open,       DefectKind::bridge,
                                                       DefectKind::particle,   DefectKind::void_,
                                                       DefectKind::mouse_bite, DefectKind::residue};

struct SynthOptions {
  std::uint64_t seed = 1;
  int width_px = 128;   ///< [16, 4096]
  int height_px = 128;  ///< [16, 4096]
  /// The pixel size is chosen per sample so that the field holds about 2.5 line pitches and at
  /// least 12 µm, then clamped to [pixel_size_min_m, pixel_size_max_m]; set both equal for a
  /// fixed pixel size.
  double pixel_size_min_m = 0.05e-6;
  double pixel_size_max_m = 0.4e-6;
  /// Line width and space, drawn log-uniformly from these ranges.
  double line_width_min_m = 1e-6;
  double line_width_max_m = 10e-6;
  double line_space_min_m = 1e-6;
  double line_space_max_m = 10e-6;
  /// Fraction of samples with diagonal (45° or 135°) lines; the rest are horizontal or vertical.
  double diagonal_fraction = 0.2;
  Modality modality = Modality::optical;
  int bit_depth = 8;    ///< 8 or 16
  bool colour = false;  ///< RGB (copper-tinted) instead of grey
  /// Strength multipliers, 0 turns an effect off, 1 is the default mix, up to 5.
  double noise = 1.0;
  double blur = 1.0;
  double illumination = 1.0;
  /// Relative weights of kSynthKinds (open, bridge, particle, void, mouse_bite, residue); at
  /// least one positive.
  std::array<double, 6> kind_weights{1, 1, 1, 1, 1, 1};
  /// Probability that a missing-metal defect gets a via on its line within 2 µm of it (so the
  /// via clearance rule matters), and that the image has vias elsewhere.
  double near_via_probability = 0.35;
  double via_probability = 0.6;
  /// The rules that label each sample.
  RepairRules rules;

  /// Throws std::invalid_argument naming every violated field, its value and its range.
  void validate() const;
};

/// A via or pad: a disc of metal centred on a line.
struct Via {
  double centre_x_m = 0.0;
  double centre_y_m = 0.0;
  double radius_m = 0.0;
};

/// The layout a sample was drawn on, in image coordinates (x right, y down, metres).
struct SynthLayout {
  /// Line direction, degrees counter-clockwise from +x with y up: 0, 45, 90 or 135.
  double angle_deg = 0.0;
  double line_width_m = 0.0;
  double line_space_m = 0.0;
  /// Signed distances of the visible lines' centres from the image centre, along the across
  /// direction (pointing down for horizontal lines, right otherwise), in increasing order;
  /// line_index counts in this list.
  std::vector<double> line_offsets_m;
  std::vector<Via> vias;
};

struct SynthSample {
  std::uint64_t seed = 0;
  std::uint64_t index = 0;
  Modality modality = Modality::optical;  ///< the one used (never mixed)
  Image image;                            ///< pixel_size_m set
  Image mask;                             ///< 8-bit grey, 255 on defect pixels, 0 elsewhere
  DefectGeometry truth;
  RuleVerdict verdict;  ///< apply_rules(truth, rules)
  SynthLayout layout;

  RepairClass label() const { return verdict.repair_class; }
  /// Label, reasons, truth geometry, layout and modality as a JSON object (SI units).
  std::string to_json() const;
};

/// Sample `index` of `options.seed`. @throws std::invalid_argument from options.validate().
SynthSample synthesize(const SynthOptions& options, std::uint64_t index);

}  // namespace psw::inference
