#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include <psw/core/config.hpp>
#include <psw/core/error.hpp>
#include <psw/inference/repair_rules.hpp>

namespace psw::inference {

namespace {

constexpr std::array<std::pair<DefectKind, std::string_view>, 7> kNames{{
    {DefectKind::none, "none"},
    {DefectKind::open, "open"},
    {DefectKind::bridge, "bridge"},
    {DefectKind::particle, "particle"},
    {DefectKind::void_, "void"},
    {DefectKind::mouse_bite, "mouse_bite"},
    {DefectKind::residue, "residue"},
}};

// "6.2 µm" with one decimal, as the explanations write lengths.
std::string um(double metres) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f \u00b5m", metres * 1e6);
  return text;
}

}  // namespace

std::string_view to_string(DefectKind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::string_view describe(DefectKind kind) {
  switch (kind) {
    case DefectKind::none:
      return "No defect";
    case DefectKind::open:
      return "Linear discontinuity";
    case DefectKind::bridge:
      return "Bridge";
    case DefectKind::particle:
      return "Particle";
    case DefectKind::void_:
      return "Void";
    case DefectKind::mouse_bite:
      return "Edge roughness (mouse bite)";
    case DefectKind::residue:
      return "Residue";
  }
  return "Unknown defect";
}

DefectKind defect_kind_from_string(std::string_view name) {
  std::string accepted;
  for (const auto& [k, n] : kNames) {
    if (n == name) return k;
    accepted += (accepted.empty() ? "" : ", ") + std::string(n);
  }
  throw std::invalid_argument("unknown defect kind '" + std::string(name) +
                              "'; accepted: " + accepted);
}

bool is_missing_metal(DefectKind kind) {
  return kind == DefectKind::open || kind == DefectKind::void_ || kind == DefectKind::mouse_bite;
}

void RepairRules::validate() const {
  std::string problems;
  auto check = [&](std::string_view field, double value, const Range& range) {
    if (!range.contains(value)) {
      problems += (problems.empty() ? "" : "; ") + out_of_range_message(field, value, range);
    }
  };
  check("repair_rules.max_open_length_m", max_open_length_m, Range::positive());
  check("repair_rules.min_via_clearance_m", min_via_clearance_m, Range::non_negative());
  check("repair_rules.min_line_clearance_m", min_line_clearance_m, Range::non_negative());
  check("repair_rules.via_adjacent_m", via_adjacent_m, Range::non_negative());
  require(problems.empty(), problems);
}

RepairRules repair_rules_from_config(const Config& section) {
  RepairRules r;
  r.max_open_length_m = section.get_si("max_open_length_um", 5.0, Range::open(0.0, 1e4));
  r.min_via_clearance_m = section.get_si("min_via_clearance_um", 0.5, Range::closed(0.0, 1e3));
  r.min_line_clearance_m = section.get_si("min_line_clearance_um", 0.5, Range::closed(0.0, 1e3));
  r.bridges_repairable = section.get_bool("bridges_repairable", false);
  r.via_adjacent_m = section.get_si("via_adjacent_um", 1.0, Range::closed(0.0, 1e3));
  section.finish();
  r.validate();
  return r;
}

RuleVerdict apply_rules(const DefectGeometry& d, const RepairRules& rules) {
  RuleVerdict v;
  auto scrap = [&](std::string reason) {
    v.repair_class = RepairClass::scrap;
    v.reasons.push_back(std::move(reason));
  };
  auto near = [&](double value, double limit) {
    v.margin_m = std::min(v.margin_m, std::abs(value - limit));
  };

  // Bridges: deposition adds metal and cannot cut a short.
  if (d.kind == DefectKind::bridge && !rules.bridges_repairable) {
    scrap("a bridge between lines cannot be repaired by deposition");
  }

  // Missing metal: the deposit must span the gap, and stay clear of vias.
  if (is_missing_metal(d.kind)) {
    near(d.length_m, rules.max_open_length_m);
    const std::string noun = d.kind == DefectKind::open    ? "open"
                             : d.kind == DefectKind::void_ ? "void"
                                                           : "mouse bite";
    if (d.length_m > rules.max_open_length_m) {
      scrap("the " + noun + " is " + um(d.length_m) + " long, above the " +
            um(rules.max_open_length_m) + " repair limit");
    }
    if (std::isfinite(d.via_distance_m)) {
      near(d.via_distance_m, rules.min_via_clearance_m);
      if (d.via_distance_m < rules.min_via_clearance_m) {
        scrap("the " + noun + " is " + um(d.via_distance_m) + " from a via edge, closer than the " +
              um(rules.min_via_clearance_m) + " minimum clearance");
      }
    }
  }

  // Extra material: what is left between conductors.
  if (d.kind == DefectKind::particle || d.kind == DefectKind::residue) {
    if (std::isfinite(d.neighbour_distance_m)) {
      near(d.neighbour_distance_m, rules.min_line_clearance_m);
      if (d.neighbour_distance_m < rules.min_line_clearance_m) {
        scrap(std::string("the ") + (d.kind == DefectKind::particle ? "particle" : "residue") +
              " leaves " + um(d.neighbour_distance_m) + " to the next line, less than the " +
              um(rules.min_line_clearance_m) + " minimum clearance");
      }
    }
  }
  return v;
}

}  // namespace psw::inference
