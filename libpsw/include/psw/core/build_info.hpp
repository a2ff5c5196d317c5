// What this libpsw is and what it was built against; recorded in results files and printed by
// `psw --version`.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace psw {

struct DependencyVersion {
  std::string_view name;
  std::string_view version;  // "not found" when the build did not find it
};

/// psw's version, "major.minor.patch".
std::string_view version();
/// The compiler that built libpsw ("GNU 12.2.0").
std::string_view compiler();
/// The libraries found at configure time, with the versions CMake reported.
std::span<const DependencyVersion> dependency_versions();
/// Several lines: psw's version, the compiler, then one line per dependency.
std::string version_report();

}  // namespace psw
