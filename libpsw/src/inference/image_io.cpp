// PNG and TIFF reading and writing through the libpng and libtiff C APIs, with the pixel size
// carried in the files' resolution metadata (PNG pHYs in pixels per metre; TIFF XResolution,
// YResolution and ResolutionUnit).
//
// The whole file is read into memory first and decoded from there, so a truncated file is seen
// as one (the decoders run out of bytes) and no library ever touches the file system itself.
// Neither library prints anything: libpng's error and warning callbacks record the message and
// unwind with longjmp to the one setjmp point in the same function as the libpng calls, and
// libtiff's handlers are per-file (TIFFOpenOptions) and only record the message.
#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <png.h>
#include <tiffio.h>

#include <psw/core/error.hpp>
#include <psw/inference/image.hpp>

namespace psw::inference {

std::string_view to_string(RepairClass c) {
  switch (c) {
    case RepairClass::repairable:
      return "Repairable";
    case RepairClass::scrap:
      return "Scrap";
    case RepairClass::uncertain:
      return "Uncertain";
  }
  return "Unknown";
}

namespace {

// Files larger than this are refused before decoding (a 16k × 16k × 3 × 16-bit image is 1.5 GiB).
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{1} << 31;
constexpr std::uint64_t kMaxPixels = std::uint64_t{1} << 28;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw std::invalid_argument(path.string() + ": " + what);
}

enum class Format { png, tiff, unknown };

Format format_from_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".png") return Format::png;
  if (ext == ".tif" || ext == ".tiff") return Format::tiff;
  return Format::unknown;
}

// What the first bytes say the file is, for messages about files that are something else.
std::string sniff(const std::vector<unsigned char>& b) {
  auto starts = [&](std::initializer_list<unsigned char> sig) {
    return b.size() >= sig.size() && std::equal(sig.begin(), sig.end(), b.begin());
  };
  if (starts({0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a})) return "PNG";
  if (starts({'I', 'I', 42, 0}) || starts({'M', 'M', 0, 42})) return "TIFF";
  if (starts({'I', 'I', 43, 0}) || starts({'M', 'M', 0, 43})) return "BigTIFF";
  if (starts({0xff, 0xd8, 0xff})) return "JPEG";
  if (starts({'G', 'I', 'F', '8'})) return "GIF";
  if (starts({'B', 'M'})) return "BMP";
  if (starts({'%', 'P', 'D', 'F'})) return "PDF";
  const std::size_t n = std::min<std::size_t>(b.size(), 512);
  const bool text = std::all_of(
      b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n),
      [](unsigned char c) { return c == '\n' || c == '\r' || c == '\t' || (c >= 32 && c < 127); });
  return text ? "text" : "unrecognised data";
}

std::vector<unsigned char> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory, not an image file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) fail(path, "cannot read the file size: " + ec.message());
  if (size == 0) fail(path, "the file is empty");
  if (size > kMaxFileBytes) fail(path, "the file is larger than 2 GiB; refusing to read it");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open the file for reading");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size))
    fail(path, "could not read the whole file");
  return bytes;
}

// ---- PNG ---------------------------------------------------------------------------------------

// State shared with libpng's callbacks. Lives in the caller so that nothing with a destructor
// is skipped by a longjmp.
struct PngContext {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  std::size_t pos = 0;
  char message[256] = {};
  // Output of the read.
  Image image;
  std::vector<png_bytep> rows;
  std::vector<unsigned char> raw;
};

extern "C" void psw_png_error(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<PngContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof ctx->message, "%s", msg ? msg : "libpng error");
  png_longjmp(png, 1);
}

extern "C" void psw_png_warning(png_structp, png_const_charp) {}

extern "C" void psw_png_read(png_structp png, png_bytep out, png_size_t n) {
  auto* ctx = static_cast<PngContext*>(png_get_io_ptr(png));
  if (n > ctx->size - ctx->pos) {
    std::snprintf(ctx->message, sizeof ctx->message,
                  "the file is truncated (it ends after %zu bytes)", ctx->size);
    png_longjmp(png, 1);
  }
  std::memcpy(out, ctx->data + ctx->pos, n);
  ctx->pos += n;
}

// Decodes ctx->data into ctx->image; false with ctx->message on failure. Locals that change
// after setjmp are not read after a longjmp.
bool decode_png(PngContext* ctx) {
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, ctx, psw_png_error, psw_png_warning);
  if (!png) {
    std::snprintf(ctx->message, sizeof ctx->message, "libpng could not start");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    std::snprintf(ctx->message, sizeof ctx->message, "libpng could not start");
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, ctx, psw_png_read);
  png_set_user_limits(png, 1u << 20, 1u << 20);
  png_read_info(png, info);

  png_uint_32 width = 0, height = 0;
  int depth = 0, colour = 0, interlace = 0;
  png_get_IHDR(png, info, &width, &height, &depth, &colour, &interlace, nullptr, nullptr);

  // Unpack palettes and low bit depths to 8 bits; drop alpha (documented in the header).
  if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  if (colour & PNG_COLOR_MASK_ALPHA || png_get_valid(png, info, PNG_INFO_tRNS))
    png_set_strip_alpha(png);
  if (depth == 16) png_set_swap(png);  // native little-endian uint16 samples
  if (interlace != PNG_INTERLACE_NONE) png_set_interlace_handling(png);
  png_read_update_info(png, info);

  const int channels = png_get_channels(png, info);
  const int out_depth = png_get_bit_depth(png, info);
  if ((channels != 1 && channels != 3) || (out_depth != 8 && out_depth != 16)) {
    std::snprintf(ctx->message, sizeof ctx->message,
                  "unsupported PNG layout (%d channels of %d bits)", channels, out_depth);
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  if (static_cast<std::uint64_t>(width) * height > kMaxPixels) {
    std::snprintf(ctx->message, sizeof ctx->message, "the image is too large (%u x %u)",
                  static_cast<unsigned>(width), static_cast<unsigned>(height));
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }

  // Pixel size from pHYs when its unit is the metre.
  png_uint_32 res_x = 0, res_y = 0;
  int unit = 0;
  if (png_get_pHYs(png, info, &res_x, &res_y, &unit) && unit == PNG_RESOLUTION_METER && res_x > 0) {
    ctx->image.pixel_size_m = 1.0 / static_cast<double>(res_x);
  }

  const std::size_t row_bytes = png_get_rowbytes(png, info);
  ctx->raw.assign(row_bytes * height, 0);
  ctx->rows.resize(height);
  for (png_uint_32 y = 0; y < height; ++y) ctx->rows[y] = ctx->raw.data() + y * row_bytes;
  png_read_image(png, ctx->rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);

  ctx->image.width = static_cast<int>(width);
  ctx->image.height = static_cast<int>(height);
  ctx->image.channels = channels;
  ctx->image.bit_depth = out_depth;
  return true;
}

Image load_png(const std::filesystem::path& path, const std::vector<unsigned char>& bytes) {
  if (bytes.size() < 8 || png_sig_cmp(bytes.data(), 0, 8) != 0) {
    fail(path, "is not a PNG file (the content looks like " + sniff(bytes) + ")");
  }
  PngContext ctx;
  ctx.data = bytes.data();
  ctx.size = bytes.size();
  if (!decode_png(&ctx)) fail(path, std::string("corrupt PNG: ") + ctx.message);

  Image image = std::move(ctx.image);
  const std::size_t n = static_cast<std::size_t>(image.width) * image.height * image.channels;
  image.pixels.resize(n);
  if (image.bit_depth == 8) {
    std::copy(ctx.raw.begin(), ctx.raw.begin() + static_cast<std::ptrdiff_t>(n),
              image.pixels.begin());
  } else {
    std::memcpy(image.pixels.data(), ctx.raw.data(), n * sizeof(std::uint16_t));
  }
  return image;
}

struct PngWriteContext {
  std::vector<unsigned char>* out = nullptr;
  char message[256] = {};
};

extern "C" void psw_png_write_error(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<PngWriteContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof ctx->message, "%s", msg ? msg : "libpng error");
  png_longjmp(png, 1);
}

extern "C" void psw_png_write(png_structp png, png_bytep data, png_size_t n) {
  auto* ctx = static_cast<PngWriteContext*>(png_get_io_ptr(png));
  ctx->out->insert(ctx->out->end(), data, data + n);
}

extern "C" void psw_png_flush(png_structp) {}

bool encode_png(const Image& image, png_bytep* rows, PngWriteContext* ctx) {
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, ctx, psw_png_write_error, psw_png_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, ctx, psw_png_write, psw_png_flush);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width),
               static_cast<png_uint_32>(image.height), image.bit_depth,
               image.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (image.pixel_size_m) {
    const auto ppm = static_cast<png_uint_32>(std::lround(1.0 / *image.pixel_size_m));
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
  }
  png_write_info(png, info);
  if (image.bit_depth == 16) png_set_swap(png);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

std::vector<unsigned char> save_png(const Image& image, const std::filesystem::path& path) {
  const std::size_t row_samples = static_cast<std::size_t>(image.width) * image.channels;
  const std::size_t sample_bytes = image.bit_depth == 16 ? 2 : 1;
  std::vector<unsigned char> raw(row_samples * sample_bytes * image.height);
  if (image.bit_depth == 8) {
    std::transform(image.pixels.begin(), image.pixels.end(), raw.begin(),
                   [](std::uint16_t v) { return static_cast<unsigned char>(v); });
  } else {
    std::memcpy(raw.data(), image.pixels.data(), raw.size());
  }
  std::vector<png_bytep> rows(static_cast<std::size_t>(image.height));
  for (std::size_t y = 0; y < rows.size(); ++y)
    rows[y] = raw.data() + y * row_samples * sample_bytes;
  std::vector<unsigned char> out;
  PngWriteContext ctx;
  ctx.out = &out;
  if (!encode_png(image, rows.data(), &ctx)) {
    throw std::runtime_error(path.string() + ": PNG encoding failed: " + ctx.message);
  }
  return out;
}

// ---- TIFF --------------------------------------------------------------------------------------

struct TiffMemory {
  const unsigned char* read_data = nullptr;
  std::vector<unsigned char>* write_data = nullptr;
  std::size_t size = 0;
  std::size_t pos = 0;
  std::string message;
};

tmsize_t tiff_read(thandle_t h, void* buf, tmsize_t n) {
  auto* m = static_cast<TiffMemory*>(h);
  if (!m->read_data || n < 0) return -1;
  const std::size_t available = m->pos < m->size ? m->size - m->pos : 0;
  const std::size_t count = std::min(static_cast<std::size_t>(n), available);
  std::memcpy(buf, m->read_data + m->pos, count);
  m->pos += count;
  return static_cast<tmsize_t>(count);
}

tmsize_t tiff_write(thandle_t h, void* buf, tmsize_t n) {
  auto* m = static_cast<TiffMemory*>(h);
  if (!m->write_data || n < 0) return -1;
  auto& d = *m->write_data;
  const auto count = static_cast<std::size_t>(n);
  if (m->pos + count > d.size()) d.resize(m->pos + count);
  std::memcpy(d.data() + m->pos, buf, count);
  m->pos += count;
  m->size = d.size();
  return n;
}

toff_t tiff_seek(thandle_t h, toff_t off, int whence) {
  auto* m = static_cast<TiffMemory*>(h);
  std::size_t base = 0;
  if (whence == SEEK_CUR) base = m->pos;
  if (whence == SEEK_END) base = m->size;
  const std::size_t target = base + static_cast<std::size_t>(off);
  if (m->write_data && target > m->write_data->size()) m->write_data->resize(target);
  if (m->write_data) m->size = m->write_data->size();
  m->pos = target;
  return static_cast<toff_t>(m->pos);
}

int tiff_close(thandle_t) { return 0; }
toff_t tiff_size(thandle_t h) { return static_cast<toff_t>(static_cast<TiffMemory*>(h)->size); }
int tiff_map(thandle_t, void**, toff_t*) { return 0; }
void tiff_unmap(thandle_t, void*, toff_t) {}

int tiff_error(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
  auto* m = static_cast<TiffMemory*>(user);
  char text[512];
  std::vsnprintf(text, sizeof text, fmt, ap);
  if (m->message.empty()) {
    m->message = text;
    if (module && *module) m->message += std::string(" (") + module + ")";
  }
  return 1;  // handled: libtiff prints nothing
}

int tiff_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

struct TiffHandle {
  TIFF* tif = nullptr;
  ~TiffHandle() {
    if (tif) TIFFClose(tif);
  }
};

TIFF* open_tiff(TiffMemory* memory, const char* mode, const std::string& name) {
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(options, tiff_error, memory);
  TIFFOpenOptionsSetWarningHandlerExtR(options, tiff_warning, memory);
  TIFF* tif = TIFFClientOpenExt(name.c_str(), mode, memory, tiff_read, tiff_write, tiff_seek,
                                tiff_close, tiff_size, tiff_map, tiff_unmap, options);
  TIFFOpenOptionsFree(options);
  return tif;
}

Image load_tiff(const std::filesystem::path& path, const std::vector<unsigned char>& bytes) {
  const std::string kind = sniff(bytes);
  if (kind != "TIFF" && kind != "BigTIFF") {
    fail(path, "is not a TIFF file (the content looks like " + kind + ")");
  }
  TiffMemory memory;
  memory.read_data = bytes.data();
  memory.size = bytes.size();
  TiffHandle h;
  h.tif = open_tiff(&memory, "rm", path.string());
  auto corrupt = [&](const std::string& what) {
    fail(path, "corrupt TIFF: " + what + (memory.message.empty() ? "" : ": " + memory.message));
  };
  if (!h.tif) corrupt("cannot read the header");

  // The layout: strips or tiles of contiguous 8/16-bit unsigned grey or RGB samples.
  uint32_t width = 0, height = 0;
  uint16_t spp = 1, bps = 1, photometric = 0, planar = PLANARCONFIG_CONTIG, format = 1;
  if (!TIFFGetField(h.tif, TIFFTAG_IMAGEWIDTH, &width) ||
      !TIFFGetField(h.tif, TIFFTAG_IMAGELENGTH, &height)) {
    corrupt("no image width or length");
  }
  TIFFGetFieldDefaulted(h.tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(h.tif, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(h.tif, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(h.tif, TIFFTAG_SAMPLEFORMAT, &format);
  if (!TIFFGetField(h.tif, TIFFTAG_PHOTOMETRIC, &photometric)) {
    photometric = spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
  }
  if (width == 0 || height == 0) corrupt("the image has no pixels");
  if (static_cast<std::uint64_t>(width) * height > kMaxPixels) {
    fail(path,
         "the image is too large (" + std::to_string(width) + " x " + std::to_string(height) + ")");
  }
  const bool grey = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
  const bool rgb = photometric == PHOTOMETRIC_RGB;
  const int channels = grey ? 1 : 3;
  const int extra = static_cast<int>(spp) - channels;  // alpha and other extra samples, dropped
  if (!(grey || rgb) || extra < 0 || (bps != 8 && bps != 16) || format != SAMPLEFORMAT_UINT ||
      (planar != PLANARCONFIG_CONTIG && spp > 1)) {
    fail(path, "unsupported TIFF layout (photometric " + std::to_string(photometric) + ", " +
                   std::to_string(spp) + " samples of " + std::to_string(bps) + " bits, format " +
                   std::to_string(format) + ", planar " + std::to_string(planar) +
                   "); psw reads 8- or 16-bit unsigned grey or RGB");
  }

  // Decode strip by strip or tile by tile into a contiguous buffer of spp samples per pixel.
  const std::size_t bytes_per_sample = bps / 8;
  const std::size_t pixel_bytes = spp * bytes_per_sample;
  std::vector<unsigned char> raw(static_cast<std::size_t>(width) * height * pixel_bytes);
  if (TIFFIsTiled(h.tif)) {
    uint32_t tw = 0, th = 0;
    TIFFGetField(h.tif, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(h.tif, TIFFTAG_TILELENGTH, &th);
    if (tw == 0 || th == 0) corrupt("zero tile size");
    std::vector<unsigned char> tile(static_cast<std::size_t>(TIFFTileSize(h.tif)));
    if (tile.size() < static_cast<std::size_t>(tw) * th * pixel_bytes) corrupt("bad tile size");
    for (uint32_t ty = 0; ty < height; ty += th) {
      for (uint32_t tx = 0; tx < width; tx += tw) {
        if (TIFFReadTile(h.tif, tile.data(), tx, ty, 0, 0) < 0) corrupt("cannot read a tile");
        const uint32_t rows = std::min(th, height - ty), cols = std::min(tw, width - tx);
        for (uint32_t r = 0; r < rows; ++r) {
          std::memcpy(raw.data() + ((ty + r) * static_cast<std::size_t>(width) + tx) * pixel_bytes,
                      tile.data() + r * static_cast<std::size_t>(tw) * pixel_bytes,
                      cols * pixel_bytes);
        }
      }
    }
  } else {
    const std::size_t row_bytes = static_cast<std::size_t>(width) * pixel_bytes;
    if (static_cast<std::size_t>(TIFFScanlineSize64(h.tif)) != row_bytes) {
      corrupt("unexpected scanline size");
    }
    for (uint32_t y = 0; y < height; ++y) {
      if (TIFFReadScanline(h.tif, raw.data() + y * row_bytes, y, 0) < 0) {
        corrupt("cannot read row " + std::to_string(y) + " (the file may be truncated)");
      }
    }
  }

  // Keep the first `channels` samples of each pixel; MINISWHITE is inverted to MINISBLACK.
  Image image;
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.channels = channels;
  image.bit_depth = bps;
  const std::size_t n_pixels = static_cast<std::size_t>(width) * height;
  image.pixels.resize(n_pixels * channels);
  const std::uint16_t maxv = image.max_value();
  for (std::size_t p = 0; p < n_pixels; ++p) {
    for (int c = 0; c < channels; ++c) {
      const unsigned char* s = raw.data() + p * pixel_bytes + c * bytes_per_sample;
      std::uint16_t v = 0;
      if (bps == 8) {
        v = *s;
      } else {
        std::memcpy(&v, s, 2);  // libtiff returns native byte order
      }
      if (photometric == PHOTOMETRIC_MINISWHITE) v = static_cast<std::uint16_t>(maxv - v);
      image.pixels[p * channels + c] = v;
    }
  }

  // Resolution: pixels per unit; unit inch or centimetre (none means no physical size).
  float xres = 0.0f;
  uint16_t res_unit = RESUNIT_INCH;
  if (TIFFGetField(h.tif, TIFFTAG_XRESOLUTION, &xres) && xres > 0.0f && std::isfinite(xres)) {
    TIFFGetFieldDefaulted(h.tif, TIFFTAG_RESOLUTIONUNIT, &res_unit);
    if (res_unit == RESUNIT_CENTIMETER) image.pixel_size_m = 0.01 / xres;
    if (res_unit == RESUNIT_INCH) image.pixel_size_m = 0.0254 / xres;
  }
  return image;
}

std::vector<unsigned char> save_tiff(const Image& image, const std::filesystem::path& path) {
  std::vector<unsigned char> out;
  TiffMemory memory;
  memory.write_data = &out;
  TiffHandle h;
  h.tif = open_tiff(&memory, "w", path.string());
  if (!h.tif) throw std::runtime_error(path.string() + ": TIFF encoding failed: " + memory.message);
  TIFFSetField(h.tif, TIFFTAG_IMAGEWIDTH, static_cast<uint32_t>(image.width));
  TIFFSetField(h.tif, TIFFTAG_IMAGELENGTH, static_cast<uint32_t>(image.height));
  TIFFSetField(h.tif, TIFFTAG_SAMPLESPERPIXEL, static_cast<uint16_t>(image.channels));
  TIFFSetField(h.tif, TIFFTAG_BITSPERSAMPLE, static_cast<uint16_t>(image.bit_depth));
  TIFFSetField(h.tif, TIFFTAG_SAMPLEFORMAT, static_cast<uint16_t>(SAMPLEFORMAT_UINT));
  TIFFSetField(
      h.tif, TIFFTAG_PHOTOMETRIC,
      static_cast<uint16_t>(image.channels == 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK));
  TIFFSetField(h.tif, TIFFTAG_PLANARCONFIG, static_cast<uint16_t>(PLANARCONFIG_CONTIG));
  TIFFSetField(h.tif, TIFFTAG_COMPRESSION, static_cast<uint16_t>(COMPRESSION_ADOBE_DEFLATE));
  TIFFSetField(h.tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(h.tif, 0));
  if (image.pixel_size_m) {
    // Pixels per centimetre: a float keeps about 7 significant digits of the pixel size.
    const auto per_cm = static_cast<float>(0.01 / *image.pixel_size_m);
    TIFFSetField(h.tif, TIFFTAG_RESOLUTIONUNIT, static_cast<uint16_t>(RESUNIT_CENTIMETER));
    TIFFSetField(h.tif, TIFFTAG_XRESOLUTION, per_cm);
    TIFFSetField(h.tif, TIFFTAG_YRESOLUTION, per_cm);
  }
  const std::size_t row_samples = static_cast<std::size_t>(image.width) * image.channels;
  std::vector<unsigned char> row(row_samples * (image.bit_depth / 8));
  for (int y = 0; y < image.height; ++y) {
    const std::uint16_t* src = image.pixels.data() + y * row_samples;
    if (image.bit_depth == 8) {
      for (std::size_t i = 0; i < row_samples; ++i) row[i] = static_cast<unsigned char>(src[i]);
    } else {
      std::memcpy(row.data(), src, row.size());
    }
    if (TIFFWriteScanline(h.tif, row.data(), static_cast<uint32_t>(y), 0) < 0) {
      throw std::runtime_error(path.string() + ": TIFF encoding failed: " + memory.message);
    }
  }
  TIFFClose(h.tif);
  h.tif = nullptr;
  return out;
}

void check_for_saving(const Image& image, const std::filesystem::path& path) {
  const std::string where = path.string() + ": cannot save ";
  require(image.width > 0 && image.height > 0, where + "an empty image (" +
                                                   std::to_string(image.width) + " x " +
                                                   std::to_string(image.height) + ")");
  require(image.channels == 1 || image.channels == 3, where + "an image with " +
                                                          std::to_string(image.channels) +
                                                          " channels; channels must be 1 or 3");
  require(image.bit_depth == 8 || image.bit_depth == 16,
          where + "bit_depth = " + std::to_string(image.bit_depth) + "; it must be 8 or 16");
  require(
      image.pixels.size() == static_cast<std::size_t>(image.width) * image.height * image.channels,
      where + "an image whose pixel count does not match width x height x channels");
  if (image.bit_depth == 8) {
    require(std::all_of(image.pixels.begin(), image.pixels.end(),
                        [](std::uint16_t v) { return v <= 255; }),
            where + "an 8-bit image with samples above 255");
  }
  if (image.pixel_size_m) {
    require(
        std::isfinite(*image.pixel_size_m) && *image.pixel_size_m > 0.0,
        where + "pixel_size_m = " + format_number(*image.pixel_size_m) + "; it must be positive");
  }
}

}  // namespace

Image load_image(const std::filesystem::path& path) {
  const Format format = format_from_extension(path);
  const std::vector<unsigned char> bytes = read_file(path);
  Image image;
  if (format == Format::png) {
    image = load_png(path, bytes);
  } else if (format == Format::tiff) {
    image = load_tiff(path, bytes);
  } else {
    // No known extension: go by the content.
    const std::string kind = sniff(bytes);
    if (kind == "PNG") {
      image = load_png(path, bytes);
    } else if (kind == "TIFF" || kind == "BigTIFF") {
      image = load_tiff(path, bytes);
    } else {
      fail(path, "unsupported image format (the content looks like " + kind +
                     "); psw reads PNG and TIFF");
    }
  }
  image.source = path.string();
  return image;
}

void save_image(const Image& image, const std::filesystem::path& path) {
  const Format format = format_from_extension(path);
  require(format != Format::unknown, path.string() +
                                         ": cannot tell the image format from the extension '" +
                                         path.extension().string() + "'; use .png, .tif or .tiff");
  check_for_saving(image, path);
  const std::vector<unsigned char> bytes =
      format == Format::png ? save_png(image, path) : save_tiff(image, path);

  // Write to a temporary file beside the target, then rename, so a reader never sees half.
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(path.string() + ": cannot open for writing");
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error(path.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    throw std::runtime_error(path.string() + ": cannot rename the written file: " + ec.message());
}

}  // namespace psw::inference
