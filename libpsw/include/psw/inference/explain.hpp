// Explanations an operator can check: the defect found by classical image analysis, measured
// in micrometres, related to the layout, and said in one or two plain sentences such as
//
//   Linear discontinuity, 6.2 µm long, 2.0 µm wide, across a 2.0 µm line; 0.6 µm from a via
//   edge. Scrap: the open is 6.2 µm long, above the 5.0 µm repair limit.
//
// Method (OpenCV imgproc, inside explain.cpp only):
//  1. grey levels scaled to [0, 1]; a quadratic illumination (flat-field) gain fitted to the
//     two classes of an Otsu split and divided out; percentile (1–99 %) contrast stretch;
//  2. the line direction from the structure tensor (dominant gradient orientation), snapped to
//     0/45/90/135° within 2°; the image resampled so that the lines run horizontally;
//  3. metal by Otsu's threshold; lines as runs of rows that are metal across most of the image
//     (the idealised layout); vias as bumps that stand out symmetrically on both sides of a
//     line, given back as discs;
//  4. the defect as the largest deviation from the ideal layout: missing metal inside a line
//     (open when it spans the line's width, mouse bite when it touches one edge, void
//     otherwise), extra metal in a space (bridge when it touches both lines, particle
//     otherwise), or a faint film in a space (residue);
//  5. measured as defined in repair_rules.hpp (length along the line for missing metal, across
//     the space for bridges, moment-ellipse major axis otherwise; width = area / length), and
//     related to the layout: line index, crossing or not, distance to the nearest via edge and
//     to the nearest line it does not touch; then judged by apply_rules().
//
// Accuracy on the synthetic generator's default mix (held-out seed, 200 images, see the tests
// and docs/inference.md for the figures): the defect type is right for most images and lengths
// are within a few pixels; the tests hold the bounds.
//
// @note One defect per image is reported (the largest deviation). Lines must be straight and
//       parallel, with their direction within 2° of a multiple of 45° or else resampled at the
//       measured angle; curved routing, pads larger than the field, and images with fewer than
//       two visible line edges are outside what this method handles and give kind `none` or a
//       poor measurement rather than an error.
#pragma once

#include <optional>
#include <string>

#include <psw/inference/image.hpp>
#include <psw/inference/repair_rules.hpp>

namespace psw::inference {

struct ExplainOptions {
  /// Pixel size to use; overrides the image's own (its file metadata) when set. One of the two
  /// is required.
  std::optional<double> pixel_size_m;
  /// The rules the verdict comes from (and via_adjacent_m for the wording).
  RepairRules rules;
  /// Deviations with fewer pixels than this (away from line edges) are noise, not defects.
  int min_defect_pixels = 6;

  /// Throws std::invalid_argument naming the violated field.
  void validate() const;
};

struct Explanation {
  /// The defect (kind `none` when nothing stands out from the layout).
  DefectGeometry defect;
  /// apply_rules(defect, options.rules).
  RuleVerdict verdict;
  /// The layout as measured: line direction (degrees counter-clockwise from +x, y up, [0, 180)),
  /// typical line width and space, how many lines and vias were seen.
  double layout_angle_deg = 0.0;
  double line_width_m = 0.0;
  double line_space_m = 0.0;
  int line_count = 0;
  int via_count = 0;
  double pixel_size_m = 0.0;
  /// One or two plain sentences: the defect, then the rules' verdict.
  std::string sentence;

  /// All of the above as a JSON object (SI units; lengths also in µm for people).
  std::string to_json() const;
};

/// Explains `image` (1 or 3 channels, 8 or 16 bits).
/// @throws std::invalid_argument naming the image's source for an empty image, a channel count
///         other than 1 or 3, pixels that do not match the size, or no pixel size at all.
Explanation explain(const Image& image, const ExplainOptions& options = {});

/// The explanation's sentence followed by how the model's class relates to the rules, e.g.
/// "The model says Repairable, but the open is 20.3 µm long, above the 5.0 µm repair limit."
std::string explain_with_class(const Explanation& explanation, RepairClass model_class);

}  // namespace psw::inference
