// Defect geometry and the repairability rules that turn it into Repairable or Scrap.
//
// One geometry type serves both sides of the inference module: the synthetic generator fills it
// from its ground truth (and labels each image with apply_rules() on it), and the explanation
// fills it from measurements on an image. So the label a model learns and the verdict an
// operator reads come from the same rules.
//
// Definitions (all lengths in metres, in the frame of the line the defect belongs to):
// - missing metal (open, void, mouse bite): `length_m` is the extent along the line, the length
//   a deposit must fill; `width_m` = area / length.
// - bridge: `length_m` is the extent across the space between the two lines it joins;
//   `width_m` = area / length.
// - particle, residue: `length_m` is the major axis of the moment-equivalent ellipse
//   (4·√λ₁ of the pixel covariance; 2a for an ellipse of semi-axes a ≥ b); `width_m` = area /
//   length.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <psw/inference/image.hpp>

namespace psw {
class Config;
}

namespace psw::inference {

/// The defect types psw generates and recognises.
enum class DefectKind {
  none,        ///< no defect found (explanations only)
  open,        ///< linear discontinuity: a cut across a line
  bridge,      ///< metal joining two neighbouring lines (a short)
  particle,    ///< a foreign particle of metal-like contrast
  void_,       ///< a void or pinhole inside a line
  mouse_bite,  ///< a bite out of a line edge (edge roughness)
  residue,     ///< a faint irregular film between lines
};

/// Machine name: "none", "open", "bridge", "particle", "void", "mouse_bite", "residue".
std::string_view to_string(DefectKind kind);
/// Words for people: "Linear discontinuity", "Bridge", "Particle", "Void", "Edge roughness
/// (mouse bite)", "Residue".
std::string_view describe(DefectKind kind);
/// Parses the machine name. @throws std::invalid_argument naming the accepted names.
DefectKind defect_kind_from_string(std::string_view name);
/// True for the kinds a deposit repairs: open, void, mouse bite.
bool is_missing_metal(DefectKind kind);

/// Where a defect is and how large, in metres. See the file comment for the definitions.
struct DefectGeometry {
  DefectKind kind = DefectKind::none;
  double length_m = 0.0;
  double width_m = 0.0;
  double area_m2 = 0.0;
  /// Direction of the defect's long axis, radians in [0, π), counter-clockwise from the image's
  /// +x axis with y pointing up the image (rows counted downward are negated).
  double orientation_rad = 0.0;
  /// Centre of the defect in image coordinates (x right, y down), from the top-left corner.
  double centre_x_m = 0.0;
  double centre_y_m = 0.0;
  /// Index of the line the defect is on or nearest to, counted across the image from the
  /// top (horizontal lines) or the left (other orientations); −1 when unknown.
  int line_index = -1;
  /// True when the defect cuts across its line (an open) or spans a space (a bridge).
  bool crossing = false;
  /// Width of that line and the space to its neighbour.
  double line_width_m = 0.0;
  double line_space_m = 0.0;
  /// Shortest distance from the defect to the edge of a via; +∞ when the image has none.
  double via_distance_m = std::numeric_limits<double>::infinity();
  /// Shortest distance from the defect to a line it does not touch (for extra material the
  /// clearance left between conductors; for missing metal the distance to the next line).
  double neighbour_distance_m = std::numeric_limits<double>::infinity();
};

/// Limits that decide whether deposition can repair a defect. The defaults are psw's own
/// assumptions for 2/2 µm RDL, not an industry standard; a case file sets its own.
struct RepairRules {
  /// An open, void or mouse bite longer than this along its line is not filled reliably.
  double max_open_length_m = 5e-6;
  /// A deposit closer than this to a via edge risks the via: missing-metal defects nearer than
  /// this are scrap.
  double min_via_clearance_m = 0.5e-6;
  /// Extra material (particle, residue) leaving less than this to the next conductor is a
  /// short risk that deposition cannot remove.
  double min_line_clearance_m = 0.5e-6;
  /// Deposition adds metal; it cannot cut a bridge. True only for a process that can.
  bool bridges_repairable = false;
  /// "Adjacent to via" in explanations below this distance (wording only, not a rule).
  double via_adjacent_m = 1e-6;

  /// Throws std::invalid_argument naming every violated field.
  void validate() const;
};

/// Reads a `repair_rules:` section: max_open_length_um, min_via_clearance_um,
/// min_line_clearance_um, bridges_repairable, via_adjacent_um. Absent keys keep the defaults;
/// unknown keys are an error.
RepairRules repair_rules_from_config(const Config& section);

/// The rules' verdict on one defect.
struct RuleVerdict {
  RepairClass repair_class = RepairClass::repairable;
  /// One clause per violated rule ("the open is 6.2 µm long, above the 5.0 µm repair limit");
  /// empty when repairable.
  std::vector<std::string> reasons;
  /// Distance to the nearest rule boundary in metres (how far the deciding quantity is from
  /// its limit); +∞ when no length limit applies (a bridge, no defect).
  double margin_m = std::numeric_limits<double>::infinity();
};

/// Applies `rules` to `defect`. A `none` defect is repairable with no reasons.
/// Rules, in order: bridges are scrap unless bridges_repairable; missing metal longer than
/// max_open_length_m is scrap; missing metal nearer than min_via_clearance_m to a via is scrap;
/// extra material (particle, residue) nearer than min_line_clearance_m to a line it does not
/// touch is scrap. Each limit is exclusive: a value exactly at the limit is repairable.
RuleVerdict apply_rules(const DefectGeometry& defect, const RepairRules& rules = {});

}  // namespace psw::inference
