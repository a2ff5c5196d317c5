// Image files: PNG and TIFF round trips at 8 and 16 bits, grey and colour, with the pixel size
// in the resolution metadata; and every kind of bad file giving an error that names it.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include <psw/inference/image.hpp>

namespace fs = std::filesystem;
using psw::inference::Image;
using psw::inference::load_image;
using psw::inference::save_image;

namespace {

// A scratch directory per test, removed afterwards.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("psw_image_io_" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// A gradient with every sample distinct enough to catch swapped channels, rows or bytes.
Image pattern(int width, int height, int channels, int bit_depth) {
  Image im;
  im.width = width;
  im.height = height;
  im.channels = channels;
  im.bit_depth = bit_depth;
  const unsigned maxv = bit_depth == 16 ? 65535u : 255u;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c)
        im.pixels.push_back(static_cast<std::uint16_t>((static_cast<unsigned>(x) * 2654435761u +
                                                        static_cast<unsigned>(y) * 40503u +
                                                        static_cast<unsigned>(c) * 977u) %
                                                       (maxv + 1)));
  return im;
}

std::vector<unsigned char> bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& p, const std::vector<unsigned char>& b) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

std::string load_error(const fs::path& p) {
  try {
    load_image(p);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no exception)";
}

}  // namespace

TEST_CASE("PNG and TIFF round trips keep every sample, the layout and the pixel size",
          "[inference][image]") {
  TempDir dir("roundtrip");
  for (const char* ext : {".png", ".tif"}) {
    for (int depth : {8, 16}) {
      for (int channels : {1, 3}) {
        DYNAMIC_SECTION(ext << " " << depth << "-bit " << channels << " channel(s)") {
          Image im = pattern(37, 23, channels, depth);
          im.pixel_size_m = 0.123e-6;
          const fs::path p =
              dir.path / ("im" + std::to_string(depth) + "_" + std::to_string(channels) + ext);
          save_image(im, p);
          const Image back = load_image(p);
          CHECK(back.width == 37);
          CHECK(back.height == 23);
          CHECK(back.channels == channels);
          CHECK(back.bit_depth == depth);
          CHECK(back.pixels == im.pixels);
          CHECK(back.source == p.string());
          REQUIRE(back.pixel_size_m);
          // PNG stores whole pixels per metre (8130081 here: relative rounding ≤ 1/8e6); TIFF a
          // 32-bit float rational per centimetre (≤ 6e-8 relative).
          CHECK(*back.pixel_size_m == Approx(0.123e-6).epsilon(2e-7));

          // A second decoder (OpenCV's imgcodecs) reads the same samples: the files are
          // standard, not only readable by psw. OpenCV orders colour samples BGR.
          const cv::Mat peer = cv::imread(p.string(), cv::IMREAD_UNCHANGED);
          REQUIRE(peer.rows == 23);
          REQUIRE(peer.cols == 37);
          REQUIRE(peer.channels() == channels);
          REQUIRE(peer.elemSize1() == static_cast<std::size_t>(depth / 8));
          bool same = true;
          for (int y = 0; y < 23; ++y)
            for (int x = 0; x < 37; ++x)
              for (int c = 0; c < channels; ++c) {
                const int pc = channels == 3 ? 2 - c : 0;
                const unsigned v = depth == 8 ? peer.ptr<std::uint8_t>(y)[x * channels + pc]
                                              : peer.ptr<std::uint16_t>(y)[x * channels + pc];
                same = same && v == im.at(x, y, c);
              }
          CHECK(same);
        }
      }
    }
  }
}

TEST_CASE("the PNG pHYs chunk holds the pixel size in pixels per metre", "[inference][image]") {
  // PNG spec 11.3.5.3: pHYs = 4-byte X and Y pixels per unit (big-endian), 1 unit byte
  // (1 = metre). 0.1 µm pixels are 10 000 000 pixels per metre.
  TempDir dir("phys");
  Image im = pattern(4, 4, 1, 8);
  im.pixel_size_m = 0.1e-6;
  save_image(im, dir.path / "a.png");
  const auto b = bytes_of(dir.path / "a.png");
  const std::string s(b.begin(), b.end());
  const auto at = s.find("pHYs");
  REQUIRE(at != std::string::npos);
  auto be32 = [&](std::size_t i) {
    return (std::uint32_t{b[i]} << 24) | (std::uint32_t{b[i + 1]} << 16) |
           (std::uint32_t{b[i + 2]} << 8) | std::uint32_t{b[i + 3]};
  };
  CHECK(be32(at - 4) == 9);  // chunk length
  CHECK(be32(at + 4) == 10000000u);
  CHECK(be32(at + 8) == 10000000u);
  CHECK(b[at + 12] == 1);

  // Without a pixel size the file has no pHYs and reads back without one.
  im.pixel_size_m.reset();
  save_image(im, dir.path / "b.tiff");
  save_image(im, dir.path / "b.png");
  CHECK_FALSE(load_image(dir.path / "b.png").pixel_size_m);
  CHECK_FALSE(load_image(dir.path / "b.tiff").pixel_size_m);
}

TEST_CASE("TIFF resolution in pixels per inch gives the pixel size", "[inference][image]") {
  // A hand-made little-endian TIFF (TIFF 6.0 section 2): 2 x 1 grey 8-bit, uncompressed, with
  // XResolution 254000/1 per inch, ResolutionUnit 2 (inch): 0.0254 m / 254000 = 0.1 µm.
  std::vector<unsigned char> t = {'I', 'I', 42, 0, 8, 0, 0, 0};
  struct Entry {
    std::uint16_t tag, type;
    std::uint32_t count, value;
  };
  const std::uint32_t rational_at = 8 + 2 + 10 * 12 + 4;
  const std::uint32_t pixels_at = rational_at + 8;
  const std::vector<Entry> entries = {
      {256, 3, 1, 2},           {257, 3, 1, 1},         {258, 3, 1, 8}, {259, 3, 1, 1},
      {262, 3, 1, 1},           {273, 4, 1, pixels_at}, {277, 3, 1, 1}, {279, 4, 1, 2},
      {282, 5, 1, rational_at}, {296, 3, 1, 2},
  };
  auto put16 = [&](std::uint32_t v) {
    t.push_back(static_cast<unsigned char>(v));
    t.push_back(static_cast<unsigned char>(v >> 8));
  };
  auto put32 = [&](std::uint32_t v) {
    put16(v & 0xffff);
    put16(v >> 16);
  };
  put16(static_cast<std::uint32_t>(entries.size()));
  for (const Entry& e : entries) {
    put16(e.tag);
    put16(e.type);
    put32(e.count);
    put32(e.value);
  }
  put32(0);  // no next IFD
  put32(254000);
  put32(1);
  t.push_back(17);
  t.push_back(200);
  TempDir dir("inch");
  write_bytes(dir.path / "inch.tif", t);
  const Image im = load_image(dir.path / "inch.tif");
  CHECK(im.width == 2);
  CHECK(im.pixels == std::vector<std::uint16_t>{17, 200});
  REQUIRE(im.pixel_size_m);
  CHECK(*im.pixel_size_m == Approx(0.1e-6).epsilon(1e-6));

  SECTION("32-bit float samples are refused as an unsupported layout") {
    t[8 + 2 + 2 * 12 + 8] = 32;  // BitsPerSample = 32
    t.insert(t.end(), 6, 0);     // room for 2 floats
    write_bytes(dir.path / "float.tif", t);
    const std::string e = load_error(dir.path / "float.tif");
    CHECK_THAT(e, Catch::Contains("float.tif") && Catch::Contains("unsupported TIFF layout"));
  }
}

TEST_CASE("bad image files give an error that names the file", "[inference][image]") {
  TempDir dir("bad");
  Image im = pattern(64, 48, 3, 16);
  im.pixel_size_m = 0.1e-6;
  save_image(im, dir.path / "good.png");
  save_image(im, dir.path / "good.tiff");

  SECTION("missing") {
    CHECK_THAT(load_error(dir.path / "nope.png"),
               Catch::Contains("nope.png") && Catch::Contains("no such file"));
  }
  SECTION("empty") {
    write_bytes(dir.path / "empty.tif", {});
    CHECK_THAT(load_error(dir.path / "empty.tif"),
               Catch::Contains("empty.tif") && Catch::Contains("empty"));
  }
  SECTION("a directory") {
    fs::create_directories(dir.path / "dir.png");
    CHECK_THAT(load_error(dir.path / "dir.png"), Catch::Contains("is a directory"));
  }
  SECTION("text named .png") {
    const std::string text = "this is not an image\n";
    write_bytes(dir.path / "notes.png", {text.begin(), text.end()});
    CHECK_THAT(load_error(dir.path / "notes.png"), Catch::Contains("notes.png") &&
                                                       Catch::Contains("not a PNG") &&
                                                       Catch::Contains("text"));
  }
  SECTION("a JPEG named .tiff, and one with its own extension") {
    const std::vector<unsigned char> jpeg = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F'};
    write_bytes(dir.path / "photo.tiff", jpeg);
    CHECK_THAT(load_error(dir.path / "photo.tiff"),
               Catch::Contains("photo.tiff") && Catch::Contains("JPEG"));
    write_bytes(dir.path / "photo.jpg", jpeg);
    CHECK_THAT(load_error(dir.path / "photo.jpg"),
               Catch::Contains("photo.jpg") && Catch::Contains("unsupported image format"));
  }
  SECTION("corrupt PNG data (a flipped byte in the compressed pixels)") {
    auto b = bytes_of(dir.path / "good.png");
    const std::string s(b.begin(), b.end());
    const auto idat = s.find("IDAT");
    REQUIRE(idat != std::string::npos);
    b[idat + 20] ^= 0x5a;
    write_bytes(dir.path / "flipped.png", b);
    CHECK_THAT(load_error(dir.path / "flipped.png"),
               Catch::Contains("flipped.png") && Catch::Contains("corrupt PNG"));
  }
  SECTION("truncated files at many lengths throw, never crash") {
    for (const char* name : {"good.png", "good.tiff"}) {
      const auto b = bytes_of(dir.path / name);
      int thrown = 0, tried = 0;
      for (std::size_t len = 1; len < b.size(); len += 1 + len / 7) {
        const fs::path cut = dir.path / (std::string("cut_") + name);
        write_bytes(cut, {b.begin(), b.begin() + static_cast<std::ptrdiff_t>(len)});
        ++tried;
        const std::string e = load_error(cut);
        if (e.find(cut.filename().string()) != std::string::npos) ++thrown;
      }
      INFO(name);
      CHECK(thrown == tried);
    }
  }
  SECTION("random byte corruption gives a named error or a valid image, never a crash") {
    // A seeded xorshift picks bytes to overwrite; either outcome is fine, a crash is not.
    for (const char* name : {"good.png", "good.tiff"}) {
      const auto original = bytes_of(dir.path / name);
      std::uint32_t state = 12345;
      for (int trial = 0; trial < 60; ++trial) {
        auto b = original;
        for (int k = 0; k < 4; ++k) {
          state ^= state << 13;
          state ^= state >> 17;
          state ^= state << 5;
          b[state % b.size()] = static_cast<unsigned char>(state >> 8);
        }
        const fs::path p = dir.path / (std::string("fuzz_") + name);
        write_bytes(p, b);
        try {
          const Image r = load_image(p);
          CHECK(r.pixels.size() == static_cast<std::size_t>(r.width) * r.height * r.channels);
        } catch (const std::invalid_argument& e) {
          CHECK_THAT(e.what(), Catch::Contains(p.filename().string()));
        }
      }
    }
  }
}

TEST_CASE("saving checks the image and the extension", "[inference][image]") {
  TempDir dir("save");
  Image im = pattern(4, 4, 1, 8);
  CHECK_THROWS_WITH(save_image(im, dir.path / "a.bmp"), Catch::Contains("use .png, .tif"));
  im.channels = 2;
  CHECK_THROWS_WITH(save_image(im, dir.path / "a.png"), Catch::Contains("channels must be 1 or 3"));
  im = pattern(4, 4, 1, 8);
  im.pixels[3] = 300;
  CHECK_THROWS_WITH(save_image(im, dir.path / "a.png"), Catch::Contains("above 255"));
  im = Image{};
  CHECK_THROWS_WITH(save_image(im, dir.path / "a.png"), Catch::Contains("empty image"));
}
