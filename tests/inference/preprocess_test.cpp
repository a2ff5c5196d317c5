#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include <psw/inference/preprocess.hpp>

using Catch::Matchers::Contains;
using psw::inference::Image;
using psw::inference::InputContract;
using psw::inference::Plane;

namespace {

Image grey(int width, int height, int bit_depth, std::vector<std::uint16_t> pixels) {
  Image im;
  im.width = width;
  im.height = height;
  im.bit_depth = bit_depth;
  im.pixels = std::move(pixels);
  im.source = "test image";
  return im;
}

double mean_of(const std::vector<float>& v) {
  double s = 0.0;
  for (float x : v) s += x;
  return s / static_cast<double>(v.size());
}

// float32 storage of values in [0, 2]: a few ulp at 2 is ~5e-7.
constexpr double kFloatTol = 2e-6;

}  // namespace

TEST_CASE("percentiles follow NumPy's linear definition", "[inference][preprocess]") {
  // For 0..100, numpy.percentile(x, p) = p; for 0..9, percentile 25 = 2.25 (rank 0.25·9).
  std::vector<float> ramp(101);
  for (int i = 0; i <= 100; ++i) ramp[static_cast<std::size_t>(i)] = static_cast<float>(i);
  CHECK(psw::inference::percentile(ramp, 1.0) == Approx(1.0));
  CHECK(psw::inference::percentile(ramp, 99.0) == Approx(99.0));
  std::vector<float> ten{9, 3, 1, 0, 2, 8, 7, 6, 5, 4};
  CHECK(psw::inference::percentile(ten, 25.0) == Approx(2.25));
  CHECK(psw::inference::percentile(ten, 100.0) == Approx(9.0));
}

TEST_CASE("percentile contrast maps the low and high percentiles to 0 and 1",
          "[inference][preprocess]") {
  // A 101-pixel ramp 0..100: P1 = 1 → 0, P99 = 99 → 1, the midpoint 50 → 0.5, ends clipped.
  std::vector<Plane> planes{Plane{101, 1, {}}};
  for (int i = 0; i <= 100; ++i) planes[0].values.push_back(static_cast<float>(i));
  psw::inference::percentile_contrast(planes, 1.0, 99.0);
  const auto& v = planes[0].values;
  CHECK(v[1] == Approx(0.0).margin(kFloatTol));
  CHECK(v[99] == Approx(1.0).margin(kFloatTol));
  CHECK(v[50] == Approx(0.5).margin(kFloatTol));
  CHECK(v[0] == 0.0f);
  CHECK(v[100] == 1.0f);
}

TEST_CASE("resampling keeps a constant image constant and preserves the mean when shrinking",
          "[inference][preprocess]") {
  SECTION("constant, shrink and enlarge") {
    Plane p{37, 23, std::vector<float>(37 * 23, 0.625f)};
    for (auto [w, h] : {std::pair{16, 16}, std::pair{64, 50}, std::pair{37, 5}}) {
      const Plane r = psw::inference::resample(p, w, h);
      REQUIRE(r.values.size() == static_cast<std::size_t>(w * h));
      for (float x : r.values) CHECK(x == Approx(0.625).margin(kFloatTol));
    }
  }
  SECTION("area averaging conserves the mean of a random image (shrink by 2.5)") {
    // Each input pixel contributes total weight out/in to the outputs, so Σ is conserved.
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    Plane p{80, 40, {}};
    for (int i = 0; i < 80 * 40; ++i) p.values.push_back(u(rng));
    const Plane r = psw::inference::resample(p, 32, 16);
    CHECK(mean_of(r.values) == Approx(mean_of(p.values)).margin(1e-5));
  }
}

TEST_CASE("flat-field removes a linear illumination gradient", "[inference][preprocess]") {
  // I = R · L with L = 0.4 + 0.01 x + 0.004 y and a uniform reflectance R: the point-reflected
  // Gaussian blurs a linear L into itself, so I · mean(B) / B is flat to rounding.
  Plane p{64, 48, {}};
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) p.values.push_back(static_cast<float>(0.4 + 0.01 * x + 0.004 * y));
  }
  const double before = p.values.back() - p.values.front();
  psw::inference::flat_field(p, 8.0);
  const auto [lo, hi] = std::minmax_element(p.values.begin(), p.values.end());
  CHECK(before > 0.8);
  CHECK(*hi - *lo < 1e-5);
}

TEST_CASE("preprocess turns bit depths into the same tensor", "[inference][preprocess]") {
  // The same scene at 8 and 16 bits (v·257 maps 255 to 65535) normalises identically.
  std::vector<std::uint16_t> p8, p16;
  for (int i = 0; i < 32 * 32; ++i) {
    const auto v = static_cast<std::uint16_t>((i * 37) % 256);
    p8.push_back(v);
    p16.push_back(static_cast<std::uint16_t>(v * 257));
  }
  InputContract c;
  c.width = 16;
  c.height = 16;
  c.mean = {0.5};
  c.std = {0.25};
  const auto a = psw::inference::preprocess(grey(32, 32, 8, p8), c);
  const auto b = psw::inference::preprocess(grey(32, 32, 16, p16), c);
  REQUIRE(a.size() == 256);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(b[i]).margin(1e-5));
  // Mean/std: values in [0, 1] map to [−2, 2].
  CHECK(*std::min_element(a.begin(), a.end()) == Approx(-2.0));
  CHECK(*std::max_element(a.begin(), a.end()) == Approx(2.0));
}

TEST_CASE("preprocess resamples to the model's pixel size and crops the field of view",
          "[inference][preprocess]") {
  // A 40 × 40 image of 0.5 µm pixels shown to a 1 µm model of 10 × 10: halved to 20 × 20, then
  // the central 10 × 10 (pixels 5..14). With a left half dark and a right half bright, the
  // crop's columns 0–4 are dark and 5–9 bright.
  std::vector<std::uint16_t> px;
  for (int y = 0; y < 40; ++y) {
    for (int x = 0; x < 40; ++x) px.push_back(x < 20 ? 10 : 200);
  }
  Image im = grey(40, 40, 8, px);
  im.pixel_size_m = 0.5e-6;
  InputContract c;
  c.width = 10;
  c.height = 10;
  c.pixel_size_m = 1e-6;
  c.percentile_low = 0;
  c.percentile_high = 100;
  const auto t = psw::inference::preprocess(im, c);
  for (int x = 0; x < 10; ++x) CHECK(t[static_cast<std::size_t>(30 + x)] == (x < 5 ? 0.0f : 1.0f));
}

TEST_CASE("bad images and contracts are named in the error", "[inference][preprocess]") {
  InputContract c;
  SECTION("pixel count") {
    REQUIRE_THROWS_WITH(psw::inference::preprocess(grey(4, 4, 8, {1, 2, 3}), c),
                        Contains("image 'test image' holds 3 samples") &&
                            Contains("expected width x height x channels = 16"));
  }
  SECTION("sample above the bit depth") {
    REQUIRE_THROWS_WITH(psw::inference::preprocess(grey(1, 1, 8, {300}), c),
                        Contains("sample 300 above its bit depth's maximum 255"));
  }
  SECTION("contract fields") {
    c.percentile_low = 60;
    c.percentile_high = 40;
    c.std = {0.0};
    REQUIRE_THROWS_WITH(c.validate(), Contains("input.percentile_high = 40 is outside (60, 100]") &&
                                          Contains("input.std[0] = 0 is outside (0, inf)"));
  }
  SECTION("contract JSON with an unknown key") {
    REQUIRE_THROWS_WITH(InputContract::from_json(R"({"width": 64, "widht": 3})", "m.json"),
                        Contains("m.json: unknown key input.widht"));
  }
}

TEST_CASE("the contract survives a JSON round trip", "[inference][preprocess]") {
  InputContract c;
  c.width = 96;
  c.pixel_size_m = 2.5e-7;
  c.flat_field = true;
  c.mean = {0.1, 0.2, 0.3};
  c.std = {1, 2, 3};
  c.channels = 3;
  const InputContract d = InputContract::from_json(c.to_json(), "round trip");
  CHECK(d.to_json() == c.to_json());
  CHECK(*d.pixel_size_m == 2.5e-7);
}
