// HDF5 results files, written so that a reader never sees a half-written file.
//
// Everything goes to a temporary file beside the target ("OUT.h5.tmp-<pid>"); commit() flushes,
// closes and renames it onto the target in one step. A ResultsFile destroyed without commit()
// (an exception, a failed run) deletes its temporary file and leaves any existing target
// untouched.
//
// Layout conventions (DESIGN.md section 5): dataset names carry their unit
// (`/thermal/Te_K`, `/thermal/time_s`); write_provenance() records the psw version, the
// dependency versions and the input case as attributes of the root group. Datasets are chunked
// and deflate-compressed when they hold more than a few thousand values.
//
// The HDF5 headers stay in the .cpp file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace psw::io {

class ResultsFile {
 public:
  /// Creates the temporary file next to `path`.
  /// @throws std::runtime_error naming the path when it cannot be created.
  explicit ResultsFile(std::filesystem::path path);
  ~ResultsFile();
  ResultsFile(ResultsFile&&) noexcept;
  ResultsFile& operator=(ResultsFile&&) noexcept;
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;

  /// Writes a row-major dataset of the given shape; groups on the way are created.
  /// @throws std::invalid_argument when the shape does not match data.size();
  ///         std::runtime_error when HDF5 fails (naming the dataset and the file).
  void write(std::string_view dataset, std::span<const double> data,
             const std::vector<std::size_t>& shape);
  /// A 1-D dataset.
  void write(std::string_view dataset, std::span<const double> data);
  /// A scalar dataset.
  void write_scalar(std::string_view dataset, double value);

  /// A string or number attribute on a group or dataset ("/" for the root).
  void set_attribute(std::string_view object, std::string_view name, std::string_view value);
  void set_attribute(std::string_view object, std::string_view name, double value);

  /// Root attributes: psw_version, compiler, one `version_<dependency>` each, and `case` (the
  /// input case as YAML text).
  void write_provenance(std::string_view case_text);

  /// Closes the file and renames it onto the target path.
  /// @throws std::runtime_error naming the path when the rename fails.
  void commit();

  const std::filesystem::path& path() const;
  const std::filesystem::path& temporary_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads a dataset of doubles back; `shape` receives its dimensions when given.
/// @throws std::runtime_error naming the file and dataset when either is missing.
std::vector<double> read_dataset(const std::filesystem::path& file, std::string_view dataset,
                                 std::vector<std::size_t>* shape = nullptr);

/// Reads a string attribute back. @throws std::runtime_error when missing.
std::string read_string_attribute(const std::filesystem::path& file, std::string_view object,
                                  std::string_view name);

/// Every dataset in the file with its shape, "name [n x m]", in HDF5's link order.
std::vector<std::string> list_datasets(const std::filesystem::path& file);

}  // namespace psw::io
