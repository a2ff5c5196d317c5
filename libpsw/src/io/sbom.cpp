#include <psw/io/sbom.hpp>

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

#if !defined(PSW_BINARY_DIR) || !defined(PSW_BUILD_LIBRARY_DIR) || !defined(PSW_SBOM_FROM_LIBDIR)
#error "PSW_BINARY_DIR, PSW_BUILD_LIBRARY_DIR and PSW_SBOM_FROM_LIBDIR must be defined by the build"
#endif

namespace psw::io {
namespace {

// The file libpsw was loaded from, or empty when the loader cannot say.
std::filesystem::path library_file() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&sbom_path), &info) == 0 || !info.dli_fname) return {};
  std::error_code error;
  const auto path = std::filesystem::weakly_canonical(info.dli_fname, error);
  return error ? std::filesystem::path(info.dli_fname) : path;
}

}  // namespace

std::filesystem::path sbom_path() {
  std::error_code error;
  const auto build_library_dir = std::filesystem::weakly_canonical(PSW_BUILD_LIBRARY_DIR, error);
  const auto library = library_file();

  // The libpsw the build linked reads that build's SBOM; any other (an installed copy, even
  // one installed inside the build tree) reads the one installed beside it.
  if (library.empty() || (!error && library.parent_path() == build_library_dir)) {
    return std::filesystem::path(PSW_BINARY_DIR) / "psw.cdx.json";
  }
  // <libdir>/../share/psw/sbom, or ../../ for a multiarch libdir (lib/x86_64-linux-gnu).
  return (library.parent_path() / PSW_SBOM_FROM_LIBDIR / "psw.cdx.json").lexically_normal();
}

std::string sbom_text() {
  const auto path = sbom_path();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("no SBOM for this psw at '" + path.string() +
                             "': build the `sbom` target (part of `all`), or install psw "
                             "with `cmake --install`");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read the SBOM '" + path.string() + "'");
  return text.str();
}

void write_sbom(const std::filesystem::path& destination) {
  // Check the destination up front, so a typo gets a message about the path, not about a
  // temporary file the user never named.
  const auto directory =
      destination.has_parent_path() ? destination.parent_path() : std::filesystem::path(".");
  if (destination.filename().empty() || std::filesystem::is_directory(destination)) {
    throw std::invalid_argument("sbom: output '" + destination.string() +
                                "' is a directory; give a file name");
  }
  if (!std::filesystem::is_directory(directory)) {
    throw std::invalid_argument("sbom: cannot write '" + destination.string() + "': directory '" +
                                directory.string() + "' does not exist");
  }
  const std::string text = sbom_text();

  // Temporary file beside the destination (same file system), then one rename.
  std::string temporary = (directory / ("." + destination.filename().string() + ".XXXXXX"));
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    throw std::runtime_error("sbom: cannot write '" + destination.string() +
                             "': " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const int saved = errno;
  const bool ok = written == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(temporary.c_str(), destination.c_str()) != 0) {
    const int reason = ok ? errno : saved;
    std::remove(temporary.c_str());
    throw std::runtime_error("sbom: cannot write '" + destination.string() +
                             "': " + std::strerror(reason));
  }
  // mkstemp creates the file 0600; an SBOM is for anybody to read.
  std::error_code ignored;
  std::filesystem::permissions(
      destination,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
          std::filesystem::perms::group_read | std::filesystem::perms::others_read,
      ignored);
}

}  // namespace psw::io
