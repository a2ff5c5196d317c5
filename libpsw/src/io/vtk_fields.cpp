#include <psw/io/vtk_fields.hpp>

#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkNew.h>
#include <vtkRectilinearGrid.h>
#include <vtkXMLRectilinearGridWriter.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <system_error>

namespace psw::io {
namespace {

std::filesystem::path temporary_for(const std::filesystem::path& path) {
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  return tmp;
}

void move_into_place(const std::filesystem::path& tmp, const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::rename(tmp, path, error);
  if (error) {
    std::filesystem::remove(tmp, error);
    throw std::runtime_error("cannot write '" + path.string() + "': " + error.message());
  }
}

vtkNew<vtkDoubleArray> coordinates(std::span<const double> faces) {
  vtkNew<vtkDoubleArray> array;
  array->SetNumberOfTuples(static_cast<vtkIdType>(faces.size()));
  for (std::size_t i = 0; i < faces.size(); ++i) {
    array->SetValue(static_cast<vtkIdType>(i), faces[i]);
  }
  return array;
}

}  // namespace

void write_rectilinear_vtr(const std::filesystem::path& path, std::span<const double> x_faces,
                           std::span<const double> y_faces, std::span<const double> z_faces,
                           const std::vector<CellField>& fields) {
  const std::size_t nx = x_faces.size() - 1, ny = y_faces.size() - 1, nz = z_faces.size() - 1;
  if (x_faces.size() < 2 || y_faces.size() < 2 || z_faces.size() < 2) {
    throw std::invalid_argument("write_rectilinear_vtr: every axis needs at least 2 faces");
  }

  // The grid, then each field reordered from psw's depth-fastest to VTK's x-fastest order.
  vtkNew<vtkRectilinearGrid> grid;
  grid->SetDimensions(static_cast<int>(nx + 1), static_cast<int>(ny + 1),
                      static_cast<int>(nz + 1));
  auto xs = coordinates(x_faces), ys = coordinates(y_faces), zs = coordinates(z_faces);
  grid->SetXCoordinates(xs);
  grid->SetYCoordinates(ys);
  grid->SetZCoordinates(zs);
  for (const CellField& field : fields) {
    if (field.values.size() != nx * ny * nz) {
      throw std::invalid_argument("field '" + field.name + "' has " +
                                  std::to_string(field.values.size()) + " values for " +
                                  std::to_string(nx * ny * nz) + " cells");
    }
    vtkNew<vtkDoubleArray> array;
    array->SetName(field.name.c_str());
    array->SetNumberOfTuples(static_cast<vtkIdType>(nx * ny * nz));
    for (std::size_t i = 0; i < nx; ++i) {
      for (std::size_t j = 0; j < ny; ++j) {
        for (std::size_t k = 0; k < nz; ++k) {
          array->SetValue(static_cast<vtkIdType>(i + nx * (j + ny * k)),
                          field.values[(i * ny + j) * nz + k]);
        }
      }
    }
    grid->GetCellData()->AddArray(array);
  }

  // Write beside the target, then rename.
  const auto tmp = temporary_for(path);
  vtkNew<vtkXMLRectilinearGridWriter> writer;
  writer->SetFileName(tmp.c_str());
  writer->SetInputData(grid);
  if (writer->Write() != 1) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw std::runtime_error("VTK could not write '" + path.string() + "'");
  }
  move_into_place(tmp, path);
}

void write_pvd(const std::filesystem::path& path, const std::vector<std::string>& files,
               std::span<const double> times_s) {
  if (files.size() != times_s.size()) {
    throw std::invalid_argument("write_pvd: " + std::to_string(files.size()) + " files but " +
                                std::to_string(times_s.size()) + " times");
  }
  const auto tmp = temporary_for(path);
  {
    std::ofstream out(tmp);
    out << "<?xml version=\"1.0\"?>\n"
           "<VTKFile type=\"Collection\" version=\"0.1\">\n  <Collection>\n";
    out.precision(17);
    for (std::size_t i = 0; i < files.size(); ++i) {
      out << "    <DataSet timestep=\"" << times_s[i] << "\" file=\"" << files[i] << "\"/>\n";
    }
    out << "  </Collection>\n</VTKFile>\n";
    if (!out) throw std::runtime_error("cannot write '" + path.string() + "'");
  }
  move_into_place(tmp, path);
}

}  // namespace psw::io
