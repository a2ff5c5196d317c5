// Microscope images as psw's inference code sees them, and the classes a defect can be given.
//
// This header is the contract between the parts of the inference module: image I/O and the
// synthetic generator produce an Image, preprocessing turns it into the model's input tensor,
// and the explanation measures defects on it. It carries no OpenCV types, so that tool software
// can include it without OpenCV's headers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psw::inference {

/// What an operator is told to do with a defect. The trained classes are `repairable` and
/// `scrap`; `uncertain` is decided from a calibrated confidence threshold, not trained, unless
/// a model declares it as a class of its own.
enum class RepairClass { repairable, scrap, uncertain };

/// "Repairable", "Scrap", "Uncertain".
std::string_view to_string(RepairClass c);

/// A 2-D image with 1 (grey) or 3 (colour, RGB order) channels of 8- or 16-bit samples.
///
/// Samples are stored row-major with channels interleaved, each in [0, 2^bit_depth − 1],
/// whatever the bit depth, so one type serves both depths.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 1;   ///< 1 or 3
  int bit_depth = 8;  ///< 8 or 16
  std::vector<std::uint16_t> pixels;
  /// Edge length of one (square) pixel, when the file or the case says it.
  std::optional<double> pixel_size_m;
  /// Where the image came from (a file name, "synthetic #12"), used in error messages.
  std::string source;

  std::uint16_t at(int x, int y, int c = 0) const {
    return pixels[(static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                   static_cast<std::size_t>(x)) *
                      static_cast<std::size_t>(channels) +
                  static_cast<std::size_t>(c)];
  }
  /// Largest sample value of this bit depth: 255 or 65535.
  std::uint16_t max_value() const { return bit_depth == 16 ? 65535 : 255; }
};

/// Reads a PNG or TIFF image (8- or 16-bit, grey or colour). The pixel size comes from the
/// file's resolution metadata when it has any. Throws std::invalid_argument naming the file for
/// a missing, empty, truncated, corrupt or unsupported file.
Image load_image(const std::filesystem::path& path);

/// Writes `image` as PNG or TIFF (chosen by the extension), with the pixel size as resolution
/// metadata when the image has one.
void save_image(const Image& image, const std::filesystem::path& path);

}  // namespace psw::inference
