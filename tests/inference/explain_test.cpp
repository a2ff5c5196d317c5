// Explanations: measured against drawn geometry and against the generator's ground truth on a
// held-out seed, deterministic, and strict about bad input.
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/inference/explain.hpp>
#include <psw/inference/synth.hpp>

using namespace psw::inference;

namespace {

// Horizontal lines 20 px wide with 20 px spaces at 0.1 µm/px (2 µm / 2 µm), dielectric 50,
// metal 200, 8-bit, no noise: rows 10–29, 50–69, 90–109 are metal.
Image drawn_lines(int size = 128) {
  Image im;
  im.width = im.height = size;
  im.pixel_size_m = 0.1e-6;
  im.source = "drawn";
  im.pixels.assign(static_cast<std::size_t>(size) * size, 50);
  for (int y = 0; y < size; ++y) {
    if ((y - 10 + 40) % 40 < 20 && y >= 10) {
      for (int x = 0; x < size; ++x) im.pixels[static_cast<std::size_t>(y) * size + x] = 200;
    }
  }
  return im;
}

void fill(Image& im, int x0, int x1, int y0, int y1, std::uint16_t v) {
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) im.pixels[static_cast<std::size_t>(y) * im.width + x] = v;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

struct Score {
  int n = 0, right = 0, verdict_right = 0;
  std::vector<double> length_error_um;
};

Score score(const SynthOptions& o, int count) {
  Score s;
  for (int i = 0; i < count; ++i) {
    const SynthSample x = synthesize(o, static_cast<std::uint64_t>(i));
    const Explanation e = explain(x.image);
    ++s.n;
    s.verdict_right += e.verdict.repair_class == x.label();
    if (e.defect.kind == x.truth.kind) {
      ++s.right;
      s.length_error_um.push_back(std::abs(e.defect.length_m - x.truth.length_m) * 1e6);
    }
  }
  return s;
}

}  // namespace

TEST_CASE("a drawn open is measured to the pixel and said in words", "[inference][explain]") {
  // A 30 px (3.0 µm) gap cut across the middle 2.0 µm line: length 3.0 µm along the line,
  // width = area / length = 2.0 µm; within one pixel (0.1 µm) of the drawing.
  Image im = drawn_lines();
  fill(im, 40, 69, 50, 69, 50);
  const Explanation e = explain(im);
  CHECK(e.defect.kind == DefectKind::open);
  CHECK(e.defect.length_m == Approx(3.0e-6).margin(0.1e-6));
  CHECK(e.defect.width_m == Approx(2.0e-6).margin(0.1e-6));
  CHECK(e.defect.area_m2 == Approx(30 * 20 * 1e-14).epsilon(0.05));
  CHECK(e.defect.crossing);
  CHECK(e.defect.line_index == 1);
  CHECK(e.defect.centre_x_m == Approx(5.5e-6).margin(0.1e-6));  // columns 40–69
  CHECK(e.defect.centre_y_m == Approx(6.0e-6).margin(0.1e-6));  // rows 50–69
  CHECK(e.line_count == 3);
  CHECK(e.line_width_m == Approx(2.0e-6).margin(0.1e-6));
  CHECK(e.line_space_m == Approx(2.0e-6).margin(0.1e-6));
  CHECK(e.verdict.repair_class == RepairClass::repairable);
  CHECK(e.sentence ==
        "Linear discontinuity, 3.0 \u00b5m long, 2.0 \u00b5m wide, across a 2.0 \u00b5m line. "
        "Repairable by deposition.");

  SECTION("a 6 µm open is scrap, and a model that says Repairable is contradicted") {
    Image longer = drawn_lines();
    fill(longer, 30, 89, 50, 69, 50);
    const Explanation s = explain(longer);
    CHECK(s.defect.length_m == Approx(6.0e-6).margin(0.1e-6));
    CHECK(s.verdict.repair_class == RepairClass::scrap);
    CHECK_THAT(explain_with_class(s, RepairClass::repairable),
               Catch::EndsWith("The model says Repairable, but the open is 6.0 \u00b5m long, "
                               "above the 5.0 \u00b5m repair limit."));
    CHECK_THAT(explain_with_class(s, RepairClass::scrap),
               Catch::EndsWith("in agreement with the measurements."));
    CHECK_THAT(explain_with_class(e, RepairClass::scrap),
               Catch::EndsWith("but the measurements are within every repair limit."));
  }
  SECTION("the same open rotated by 90° gives the same measurements") {
    Image t = im;
    for (int y = 0; y < im.height; ++y)
      for (int x = 0; x < im.width; ++x)
        t.pixels[static_cast<std::size_t>(x) * im.width + y] =
            im.pixels[static_cast<std::size_t>(y) * im.width + x];
    const Explanation r = explain(t);
    CHECK(r.layout_angle_deg == 90.0);
    CHECK(r.defect.kind == DefectKind::open);
    CHECK(r.defect.length_m == Approx(e.defect.length_m).margin(1e-12));
    CHECK(r.defect.centre_x_m == Approx(e.defect.centre_y_m).margin(1e-12));
  }
}

TEST_CASE("drawn bridges, particles and voids are typed and placed", "[inference][explain]") {
  SECTION("bridge: 10 px of metal across the space between lines 0 and 1") {
    Image im = drawn_lines();
    fill(im, 60, 69, 30, 49, 200);
    const Explanation e = explain(im);
    CHECK(e.defect.kind == DefectKind::bridge);
    CHECK(e.defect.length_m == Approx(2.0e-6).margin(0.1e-6));  // the space it spans
    CHECK(e.defect.width_m == Approx(1.0e-6).margin(0.1e-6));
    CHECK(e.verdict.repair_class == RepairClass::scrap);
  }
  SECTION("particle: 6 x 6 px, 4 px below line 0 and 10 px above line 1") {
    Image im = drawn_lines();
    fill(im, 60, 65, 34, 39, 200);
    const Explanation e = explain(im);
    CHECK(e.defect.kind == DefectKind::particle);
    CHECK(e.defect.neighbour_distance_m == Approx(0.4e-6).margin(0.1e-6));
    CHECK(e.verdict.repair_class == RepairClass::scrap);  // 0.4 µm < 0.5 µm clearance
  }
  SECTION("void: 12 x 6 px inside line 2") {
    Image im = drawn_lines();
    fill(im, 70, 81, 97, 102, 50);
    const Explanation e = explain(im);
    CHECK(e.defect.kind == DefectKind::void_);
    CHECK(e.defect.length_m == Approx(1.2e-6).margin(0.1e-6));
    CHECK(e.defect.line_index == 2);
  }
  SECTION("no defect") {
    const Explanation e = explain(drawn_lines());
    CHECK(e.defect.kind == DefectKind::none);
    CHECK(e.sentence == "No defect found on 3 lines of 2.0 \u00b5m width and 2.0 \u00b5m space.");
  }
}

TEST_CASE("on a held-out synthetic set the type and length match the ground truth",
          "[inference][explain]") {
  // Seeds 777 (optical) and 778 (SEM) are used nowhere else. Observed when these bounds were
  // set: optical, 200 images: type accuracy 0.935, length error (correct type) median
  // 0.13 µm, 95th percentile 0.57 µm, verdict equal to the ground-truth label for 0.955;
  // SEM, 100 images: accuracy 0.92, median 0.23 µm, p95 0.94 µm, verdict 0.86. Most misses are
  // voids near an edge read as mouse bites and particles in narrow spaces read as bridges.
  // The bounds leave a margin of a few images, not room for a regression.
  SynthOptions o;
  o.seed = 777;
  const Score optical = score(o, 200);
  const double acc = static_cast<double>(optical.right) / optical.n;
  INFO("optical accuracy " << acc << " median " << percentile(optical.length_error_um, 0.5)
                           << " p95 " << percentile(optical.length_error_um, 0.95));
  CHECK(acc >= 0.88);
  CHECK(static_cast<double>(optical.verdict_right) / optical.n >= 0.90);
  CHECK(percentile(optical.length_error_um, 0.5) <= 0.3);
  CHECK(percentile(optical.length_error_um, 0.95) <= 1.2);

  o.seed = 778;
  o.modality = Modality::sem;
  const Score sem = score(o, 100);
  const double acc_sem = static_cast<double>(sem.right) / sem.n;
  INFO("SEM accuracy " << acc_sem << " median " << percentile(sem.length_error_um, 0.5) << " p95 "
                       << percentile(sem.length_error_um, 0.95));
  CHECK(acc_sem >= 0.85);
  CHECK(percentile(sem.length_error_um, 0.5) <= 0.35);
  CHECK(percentile(sem.length_error_um, 0.95) <= 1.8);
  CHECK(static_cast<double>(sem.verdict_right) / sem.n >= 0.80);
}

TEST_CASE("the same image gives the same explanation every time", "[inference][explain]") {
  SynthOptions o;
  o.seed = 31;
  o.modality = Modality::mixed;
  for (std::uint64_t i = 0; i < 10; ++i) {
    const SynthSample x = synthesize(o, i);
    CHECK(explain(x.image).to_json() == explain(x.image).to_json());
  }
}

TEST_CASE("bad images are refused with a message naming them", "[inference][explain]") {
  Image im = drawn_lines();
  im.source = "scan_17.png";
  SECTION("no pixel size anywhere") {
    im.pixel_size_m.reset();
    CHECK_THROWS_WITH(explain(im), Catch::Contains("scan_17.png: no pixel size"));
    ExplainOptions o;
    o.pixel_size_m = 0.2e-6;  // given by the case instead
    CHECK(explain(im, o).pixel_size_m == 0.2e-6);
  }
  SECTION("empty") {
    im.width = im.height = 0;
    im.pixels.clear();
    CHECK_THROWS_WITH(explain(im), Catch::Contains("scan_17.png: the image is empty"));
  }
  SECTION("two channels") {
    im.channels = 2;
    CHECK_THROWS_WITH(explain(im), Catch::Contains("2 channels"));
  }
  SECTION("pixels that do not match the size") {
    im.pixels.resize(10);
    CHECK_THROWS_WITH(explain(im), Catch::Contains("pixel count does not match"));
  }
  SECTION("a negative pixel size in the options") {
    ExplainOptions o;
    o.pixel_size_m = -1e-7;
    CHECK_THROWS_WITH(explain(im, o), Catch::Contains("pixel_size_m"));
  }
}
