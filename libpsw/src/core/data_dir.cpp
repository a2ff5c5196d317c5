#include <psw/core/data_dir.hpp>

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#ifndef PSW_SOURCE_DATA_DIR
#error "PSW_SOURCE_DATA_DIR must be defined by the build"
#endif

namespace psw {
namespace {

std::filesystem::path beside_library() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&data_directory), &info) == 0 || !info.dli_fname) return {};
  return std::filesystem::path(info.dli_fname).parent_path().parent_path() / "share" / "psw";
}

}  // namespace

std::filesystem::path data_directory() {
  std::string looked;
  if (const char* env = std::getenv("PSW_DATA_DIR"); env && *env) {
    if (std::filesystem::is_directory(env)) return env;
    throw std::runtime_error(std::string("PSW_DATA_DIR = '") + env + "' is not a directory");
  }
  for (const std::filesystem::path& candidate :
       {beside_library(), std::filesystem::path(PSW_SOURCE_DATA_DIR)}) {
    if (!candidate.empty() && std::filesystem::is_directory(candidate / "materials")) {
      return candidate;
    }
    looked += " '" + candidate.string() + "'";
  }
  throw std::runtime_error("psw data directory not found (looked at" + looked +
                           "); set PSW_DATA_DIR");
}

std::filesystem::path data_file(std::string_view relative) {
  const std::filesystem::path path = data_directory() / relative;
  if (!std::filesystem::exists(path)) {
    throw std::invalid_argument("data file '" + path.string() + "' does not exist");
  }
  return path;
}

}  // namespace psw
