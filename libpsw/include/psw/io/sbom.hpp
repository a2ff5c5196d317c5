// The software bill of materials (CycloneDX 1.5 JSON) of this psw build: psw itself, every
// library it loads, what CMake built it against, and every package scripts/install-deps
// installs, with the versions dpkg and npm report. The build writes it (cmake/psw_sbom.py,
// target `sbom`); this header finds and copies the one that belongs to the libpsw in use.
// docs/sbom.md says what is in it and how to validate it.
#pragma once

#include <filesystem>
#include <string>

namespace psw::io {

/// Where the SBOM of the libpsw in use lives:
/// - a libpsw in its build tree: <build>/psw.cdx.json, written by the `sbom` target;
/// - an installed libpsw: <datadir>/psw/sbom/psw.cdx.json (<prefix>/share/psw/sbom/), found
///   relative to the directory libpsw.so is in and put there by `cmake --install`.
/// The file need not exist; sbom_text() says so when it does not.
std::filesystem::path sbom_path();

/// The SBOM's text, exactly as the build wrote it.
/// @throws std::runtime_error naming the path when the file is missing or unreadable (a build
///         tree whose `sbom` target has not run, an install that left it out).
std::string sbom_text();

/// Writes the SBOM to `destination` atomically: a temporary file beside it, then a rename, so
/// a reader never sees half a file. An existing file is replaced.
/// @throws std::invalid_argument when the destination's directory does not exist or the
///         destination is a directory; std::runtime_error naming the path when writing fails.
void write_sbom(const std::filesystem::path& destination);

}  // namespace psw::io
