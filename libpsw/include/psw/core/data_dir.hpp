// Where psw's data files (materials, inks, stages, demo job) are found.
#pragma once

#include <filesystem>
#include <string_view>

namespace psw {

/// The data directory, first found of:
/// 1. $PSW_DATA_DIR;
/// 2. <libdir>/../share/psw beside the libpsw.so in use (an installed psw);
/// 3. the source tree's data/ (a build tree).
/// @throws std::runtime_error when none exists, naming the places looked at.
std::filesystem::path data_directory();

/// data_directory() / relative, which must exist.
/// @throws std::invalid_argument naming the missing file.
std::filesystem::path data_file(std::string_view relative);

}  // namespace psw
