// Repairability rules: each rule at its boundary (limits are exclusive: at the limit is
// repairable, one nanometre past it is scrap), and the configuration keys that set them.
#include <catch2/catch.hpp>

#include <psw/core/config.hpp>
#include <psw/inference/repair_rules.hpp>

using namespace psw::inference;

namespace {
DefectGeometry defect(DefectKind kind, double length_m) {
  DefectGeometry d;
  d.kind = kind;
  d.length_m = length_m;
  d.width_m = 2e-6;
  d.area_m2 = length_m * 2e-6;
  return d;
}
constexpr double kNm = 1e-9;
}  // namespace

TEST_CASE("an open is repairable up to the maximum open length and scrap beyond it",
          "[inference][rules]") {
  const RepairRules rules;  // 5 µm
  for (DefectKind kind : {DefectKind::open, DefectKind::void_, DefectKind::mouse_bite}) {
    CHECK(apply_rules(defect(kind, 5e-6), rules).repair_class == RepairClass::repairable);
    const RuleVerdict v = apply_rules(defect(kind, 5e-6 + kNm), rules);
    CHECK(v.repair_class == RepairClass::scrap);
    REQUIRE(v.reasons.size() == 1);
    CHECK_THAT(v.reasons[0], Catch::Contains("above the 5.0 \u00b5m repair limit"));
  }
  const RuleVerdict v = apply_rules(defect(DefectKind::open, 20.3e-6), rules);
  CHECK(v.reasons[0] == "the open is 20.3 \u00b5m long, above the 5.0 \u00b5m repair limit");
  // The margin is the distance of the length from the limit.
  CHECK(apply_rules(defect(DefectKind::open, 4.2e-6), rules).margin_m ==
        Approx(0.8e-6).epsilon(1e-12));

  RepairRules longer;
  longer.max_open_length_m = 25e-6;
  CHECK(apply_rules(defect(DefectKind::open, 20.3e-6), longer).repair_class ==
        RepairClass::repairable);
}

TEST_CASE("missing metal nearer than the minimum clearance to a via is scrap",
          "[inference][rules]") {
  DefectGeometry d = defect(DefectKind::open, 2e-6);
  d.via_distance_m = 0.5e-6;  // at the 0.5 µm default limit
  CHECK(apply_rules(d).repair_class == RepairClass::repairable);
  d.via_distance_m = 0.5e-6 - kNm;
  const RuleVerdict v = apply_rules(d);
  CHECK(v.repair_class == RepairClass::scrap);
  CHECK_THAT(v.reasons.at(0), Catch::Contains("from a via edge"));
  // Both rules broken: both reasons are given.
  d.length_m = 6e-6;
  CHECK(apply_rules(d).reasons.size() == 2);
  // A particle is not judged by via clearance (no deposit is made near the via).
  d.kind = DefectKind::particle;
  d.length_m = 1e-6;
  CHECK(apply_rules(d).repair_class == RepairClass::repairable);
}

TEST_CASE("bridges are scrap unless the process can cut them", "[inference][rules]") {
  DefectGeometry d = defect(DefectKind::bridge, 2e-6);
  const RuleVerdict v = apply_rules(d);
  CHECK(v.repair_class == RepairClass::scrap);
  CHECK_THAT(v.reasons.at(0), Catch::Contains("cannot be repaired by deposition"));
  RepairRules cut;
  cut.bridges_repairable = true;
  CHECK(apply_rules(d, cut).repair_class == RepairClass::repairable);
}

TEST_CASE("particles and residue leaving too little clearance to the next line are scrap",
          "[inference][rules]") {
  for (DefectKind kind : {DefectKind::particle, DefectKind::residue}) {
    DefectGeometry d = defect(kind, 1e-6);
    d.neighbour_distance_m = 0.5e-6;
    CHECK(apply_rules(d).repair_class == RepairClass::repairable);
    d.neighbour_distance_m = 0.5e-6 - kNm;
    CHECK(apply_rules(d).repair_class == RepairClass::scrap);
    CHECK_THAT(apply_rules(d).reasons.at(0), Catch::Contains("minimum clearance"));
  }
  // No defect is repairable, with nothing to say.
  const RuleVerdict none = apply_rules(DefectGeometry{});
  CHECK(none.repair_class == RepairClass::repairable);
  CHECK(none.reasons.empty());
}

TEST_CASE("repair rules come from a case section with units in the keys", "[inference][rules]") {
  const auto cfg = psw::Config::parse(
      "repair_rules:\n  max_open_length_um: 3\n  min_via_clearance_um: 0.25\n"
      "  bridges_repairable: true\n",
      "case.yaml");
  const RepairRules r = repair_rules_from_config(cfg.section("repair_rules"));
  CHECK(r.max_open_length_m == Approx(3e-6));
  CHECK(r.min_via_clearance_m == Approx(0.25e-6));
  CHECK(r.min_line_clearance_m == Approx(0.5e-6));  // default kept
  CHECK(r.bridges_repairable);

  const auto bad = psw::Config::parse("repair_rules:\n  max_open_lenght_um: 3\n", "case.yaml");
  CHECK_THROWS_WITH(repair_rules_from_config(bad.section("repair_rules")),
                    Catch::Contains("max_open_lenght_um"));
  const auto negative = psw::Config::parse("repair_rules:\n  max_open_length_um: -1\n", "c.yaml");
  CHECK_THROWS_WITH(repair_rules_from_config(negative.section("repair_rules")),
                    Catch::Contains("max_open_length_um"));
}

TEST_CASE("defect kinds read back from their names", "[inference][rules]") {
  for (DefectKind k : {DefectKind::none, DefectKind::open, DefectKind::bridge, DefectKind::particle,
                       DefectKind::void_, DefectKind::mouse_bite, DefectKind::residue}) {
    CHECK(defect_kind_from_string(to_string(k)) == k);
  }
  CHECK_THROWS_WITH(defect_kind_from_string("crack"), Catch::Contains("accepted: none, open"));
}
