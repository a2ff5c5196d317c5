#include <psw/core/build_info.hpp>
#include <psw/core/log.hpp>
#include <psw/io/results_file.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <system_error>

namespace psw::io {
namespace {

constexpr std::size_t kChunkThreshold = 4096;  // values; smaller datasets stay contiguous
constexpr unsigned kDeflateLevel = 4;

// HDF5 prints its error stack to stderr unless told not to; psw reports errors itself.
void silence_hdf5() {
  static const bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

// Closes an HDF5 handle on scope exit.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

[[noreturn]] void fail(const std::filesystem::path& file, std::string_view what) {
  throw std::runtime_error("HDF5 file '" + file.string() + "': " + std::string(what));
}

hid_t open_for_reading(const std::filesystem::path& file) {
  silence_hdf5();
  const hid_t id = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) fail(file, "cannot be opened for reading");
  return id;
}

}  // namespace

struct ResultsFile::Impl {
  std::filesystem::path target;
  std::filesystem::path temporary;
  hid_t file = -1;

  void close() {
    if (file >= 0) {
      H5Fclose(file);
      file = -1;
    }
  }
};

ResultsFile::ResultsFile(std::filesystem::path path) : impl_(std::make_unique<Impl>()) {
  silence_hdf5();
  impl_->target = std::move(path);
  impl_->temporary = impl_->target;
  impl_->temporary += ".tmp-" + std::to_string(::getpid());
  impl_->file = H5Fcreate(impl_->temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (impl_->file < 0) {
    throw std::runtime_error("cannot create results file '" + impl_->target.string() +
                             "' (temporary '" + impl_->temporary.string() + "')");
  }
}

ResultsFile::~ResultsFile() {
  if (!impl_) return;
  if (impl_->file >= 0) {
    impl_->close();
    std::error_code ignored;
    std::filesystem::remove(impl_->temporary, ignored);
  }
}

ResultsFile::ResultsFile(ResultsFile&&) noexcept = default;
ResultsFile& ResultsFile::operator=(ResultsFile&&) noexcept = default;

const std::filesystem::path& ResultsFile::path() const { return impl_->target; }
const std::filesystem::path& ResultsFile::temporary_path() const { return impl_->temporary; }

void ResultsFile::write(std::string_view dataset, std::span<const double> data,
                        const std::vector<std::size_t>& shape) {
  if (impl_->file < 0) fail(impl_->target, "already committed");
  std::size_t count = 1;
  for (std::size_t d : shape) count *= d;
  if (count != data.size()) {
    throw std::invalid_argument("dataset '" + std::string(dataset) + "': shape holds " +
                                std::to_string(count) + " values but " +
                                std::to_string(data.size()) + " were given");
  }

  // Dataspace, then chunked + compressed creation properties for large datasets.
  const std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(dims.empty() ? H5Screate(H5S_SCALAR)
                            : H5Screate_simple(static_cast<int>(dims.size()), dims.data(),
                                               nullptr),
               H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  if (count >= kChunkThreshold && !dims.empty()) {
    std::vector<hsize_t> chunk(dims);
    // Chunks of whole rows, about 64 KiB each.
    const hsize_t row = count / dims[0];
    chunk[0] = std::max<hsize_t>(1, std::min<hsize_t>(dims[0], 8192 / std::max<hsize_t>(row, 1)));
    H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data());
    H5Pset_deflate(dcpl.get(), kDeflateLevel);
  }
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);

  const std::string name(dataset);
  Handle set(H5Dcreate2(impl_->file, name.c_str(), H5T_NATIVE_DOUBLE, space.get(), lcpl.get(),
                        dcpl.get(), H5P_DEFAULT),
             H5Dclose);
  if (!set.ok()) fail(impl_->target, "cannot create dataset '" + name + "'");
  if (H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0) {
    fail(impl_->target, "cannot write dataset '" + name + "'");
  }
}

void ResultsFile::write(std::string_view dataset, std::span<const double> data) {
  write(dataset, data, {data.size()});
}

void ResultsFile::write_scalar(std::string_view dataset, double value) {
  write(dataset, std::span<const double>(&value, 1), {});
}

void ResultsFile::set_attribute(std::string_view object, std::string_view name,
                                std::string_view value) {
  const std::string obj(object), attr(name);
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), std::max<std::size_t>(value.size(), 1));
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  if (H5Aexists_by_name(impl_->file, obj.c_str(), attr.c_str(), H5P_DEFAULT) > 0) {
    H5Adelete_by_name(impl_->file, obj.c_str(), attr.c_str(), H5P_DEFAULT);
  }
  Handle a(H5Acreate_by_name(impl_->file, obj.c_str(), attr.c_str(), type.get(), space.get(),
                             H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           H5Aclose);
  const std::string padded = value.empty() ? std::string(1, '\0') : std::string(value);
  if (!a.ok() || H5Awrite(a.get(), type.get(), padded.data()) < 0) {
    fail(impl_->target, "cannot write attribute '" + attr + "' on '" + obj + "'");
  }
}

void ResultsFile::set_attribute(std::string_view object, std::string_view name, double value) {
  const std::string obj(object), attr(name);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  if (H5Aexists_by_name(impl_->file, obj.c_str(), attr.c_str(), H5P_DEFAULT) > 0) {
    H5Adelete_by_name(impl_->file, obj.c_str(), attr.c_str(), H5P_DEFAULT);
  }
  Handle a(H5Acreate_by_name(impl_->file, obj.c_str(), attr.c_str(), H5T_NATIVE_DOUBLE,
                             space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           H5Aclose);
  if (!a.ok() || H5Awrite(a.get(), H5T_NATIVE_DOUBLE, &value) < 0) {
    fail(impl_->target, "cannot write attribute '" + attr + "' on '" + obj + "'");
  }
}

void ResultsFile::write_provenance(std::string_view case_text) {
  set_attribute("/", "psw_version", psw::version());
  set_attribute("/", "compiler", psw::compiler());
  for (const auto& dep : psw::dependency_versions()) {
    set_attribute("/", "version_" + std::string(dep.name), dep.version);
  }
  set_attribute("/", "case", case_text);
}

void ResultsFile::commit() {
  if (impl_->file < 0) fail(impl_->target, "already committed");
  if (H5Fflush(impl_->file, H5F_SCOPE_GLOBAL) < 0) fail(impl_->target, "flush failed");
  impl_->close();
  std::error_code error;
  std::filesystem::rename(impl_->temporary, impl_->target, error);
  if (error) {
    std::filesystem::remove(impl_->temporary, error);
    throw std::runtime_error("cannot move results into '" + impl_->target.string() +
                             "': " + error.message());
  }
  log::telemetry(log::Level::info, "results_written", {{"path", impl_->target.string()}});
}

std::vector<double> read_dataset(const std::filesystem::path& file, std::string_view dataset,
                                 std::vector<std::size_t>* shape) {
  Handle f(open_for_reading(file), H5Fclose);
  const std::string name(dataset);
  if (H5Lexists(f.get(), name.c_str(), H5P_DEFAULT) <= 0) {
    fail(file, "has no dataset '" + name + "'");
  }
  Handle set(H5Dopen2(f.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!set.ok()) fail(file, "'" + name + "' is not a dataset");
  Handle space(H5Dget_space(set.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  std::size_t count = 1;
  for (hsize_t d : dims) count *= d;
  std::vector<double> out(count);
  if (H5Dread(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0) {
    fail(file, "cannot read dataset '" + name + "' as doubles");
  }
  if (shape) shape->assign(dims.begin(), dims.end());
  return out;
}

std::string read_string_attribute(const std::filesystem::path& file, std::string_view object,
                                  std::string_view name) {
  Handle f(open_for_reading(file), H5Fclose);
  const std::string obj(object), attr(name);
  if (H5Aexists_by_name(f.get(), obj.c_str(), attr.c_str(), H5P_DEFAULT) <= 0) {
    fail(file, "has no attribute '" + attr + "' on '" + obj + "'");
  }
  Handle a(H5Aopen_by_name(f.get(), obj.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT),
           H5Aclose);
  Handle type(H5Aget_type(a.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0) {
    fail(file, "attribute '" + attr + "' on '" + obj + "' is not a fixed-length string");
  }
  std::string value(H5Tget_size(type.get()), '\0');
  if (H5Aread(a.get(), type.get(), value.data()) < 0) fail(file, "cannot read '" + attr + "'");
  while (!value.empty() && value.back() == '\0') value.pop_back();
  return value;
}

std::vector<std::string> list_datasets(const std::filesystem::path& file) {
  Handle f(open_for_reading(file), H5Fclose);
  std::vector<std::string> out;
  auto visit = [](hid_t root, const char* name, const H5O_info_t* info, void* data) -> herr_t {
    if (info->type != H5O_TYPE_DATASET) return 0;
    Handle set(H5Dopen2(root, name, H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(set.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    std::string line = "/" + std::string(name) + " [";
    for (std::size_t i = 0; i < dims.size(); ++i) {
      line += (i ? " x " : "") + std::to_string(dims[i]);
    }
    static_cast<std::vector<std::string>*>(data)->push_back(line + "]");
    return 0;
  };
  H5Ovisit2(f.get(), H5_INDEX_NAME, H5_ITER_INC, visit, &out, H5O_INFO_BASIC);
  return out;
}

}  // namespace psw::io
