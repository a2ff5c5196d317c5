// Cell fields on rectilinear grids as VTK XML files (.vtr) and time collections (.pvd) that
// ParaView opens directly. VTK's headers stay in the .cpp file.
//
// Each file is written to a temporary name and renamed, so a reader never sees half a file.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace psw::io {

struct CellField {
  std::string name;                ///< "Te_K"
  std::span<const double> values;  ///< one per cell, in psw's order: (i·ny + j)·nz + k
};

/// Writes a rectilinear grid with the given face coordinates (x: nx + 1, y: ny + 1, z: nz + 1
/// values) and cell fields. @throws std::invalid_argument when a field has the wrong length;
/// std::runtime_error naming the path when VTK cannot write it.
void write_rectilinear_vtr(const std::filesystem::path& path, std::span<const double> x_faces,
                           std::span<const double> y_faces, std::span<const double> z_faces,
                           const std::vector<CellField>& fields);

/// A ParaView collection (.pvd) listing `files` (relative to the .pvd) at `times_s`.
void write_pvd(const std::filesystem::path& path, const std::vector<std::string>& files,
               std::span<const double> times_s);

}  // namespace psw::io
