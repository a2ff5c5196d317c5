#include <psw/sweep/sweep.hpp>

#include <psw/core/build_info.hpp>
#include <psw/core/config.hpp>
#include <psw/core/error.hpp>
#include <psw/io/results_file.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace psw::sweep {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::string_view kJournalMagic = "psw-sweep-journal";

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> string_list(const Config& node, std::string_view key) {
  std::vector<std::string> out;
  for (const Config& item : node.list(key)) {
    if (!item.is_scalar()) throw item.error("expected a name, got a list or a map");
    out.push_back(item.as_string());
  }
  return out;
}

Parameter read_parameter(const Config& item) {
  Parameter p;
  p.key = item.get_string("key");
  if (p.key.empty()) throw item.error("sweep parameter: `key` is empty");
  if (item.has("values")) {
    p.values = item.get_doubles("values");
    if (p.values.empty()) {
      throw item.error("sweep parameter " + p.key + ": `values` is empty");
    }
  }
  if (item.has("from") || item.has("to")) {
    p.has_range = true;
    p.from = item.get_double("from");
    p.to = item.get_double("to");
    if (p.from == p.to) {
      throw item.error("sweep parameter " + p.key + ": the range [" + format_number(p.from) +
                       ", " + format_number(p.to) + "] is empty");
    }
  }
  if (!p.values.empty() && p.has_range) {
    throw item.error("sweep parameter " + p.key + ": give either `values` or `from`/`to`, not both");
  }
  if (p.values.empty() && !p.has_range) {
    throw item.error("sweep parameter " + p.key + ": give `values` or a range (`from`, `to`)");
  }
  p.count = static_cast<std::size_t>(item.get_int("count", 0, Range::closed(0, 1e7)));
  p.spacing = item.get_choice("spacing", "linear", {"linear", "log"}) == "log" ? Spacing::log
                                                                             : Spacing::linear;
  item.finish();
  return p;
}

// FNV-1a, 64 bits: a fingerprint, not a security measure.
std::uint64_t fnv1a(std::string_view text, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hex_double(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", v);
  return buffer;
}

// Errors go on one journal line: '%', newline and carriage return are percent-encoded.
std::string encode_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '\n' || c == '\r') {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", static_cast<unsigned char>(c));
      out += buffer;
    } else {
      out += c;
    }
  }
  return out;
}

std::string decode_text(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string format_record(const PointResult& r) {
  std::string line;
  if (r.ok) {
    line = "ok " + std::to_string(r.index);
    for (double v : r.scalars) line += " " + hex_double(v);
    for (const auto& field : r.fields) {
      line += " " + std::to_string(field.size());
      for (double v : field) line += " " + hex_double(v);
    }
  } else {
    line = "failed " + std::to_string(r.index) + " " + encode_text(r.error);
  }
  return line + "\n";
}

// Parses one complete journal line; nullopt when it does not hold a whole record.
std::optional<PointResult> parse_record(const std::string& line, std::size_t outputs,
                                        std::size_t fields, std::size_t points) {
  std::istringstream in(line);
  std::string status;
  std::size_t index = 0;
  if (!(in >> status >> index) || index >= points) return std::nullopt;
  PointResult r;
  r.index = index;
  const auto read_double = [&in](double& v) {
    std::string token;
    if (!(in >> token)) return false;
    char* end = nullptr;
    v = std::strtod(token.c_str(), &end);
    return end && *end == '\0';
  };
  if (status == "ok") {
    r.ok = true;
    r.scalars.resize(outputs);
    for (double& v : r.scalars) {
      if (!read_double(v)) return std::nullopt;
    }
    for (std::size_t f = 0; f < fields; ++f) {
      std::size_t n = 0;
      if (!(in >> n) || n > 100'000'000) return std::nullopt;
      std::vector<double> values(n);
      for (double& v : values) {
        if (!read_double(v)) return std::nullopt;
      }
      r.fields.push_back(std::move(values));
    }
    std::string extra;
    if (in >> extra) return std::nullopt;
    return r;
  }
  if (status == "failed") {
    std::string rest;
    std::getline(in >> std::ws, rest);
    r.ok = false;
    r.error = decode_text(rest);
    r.scalars.assign(outputs, kNaN);
    return r;
  }
  return std::nullopt;
}

std::string system_error(std::string_view what, const std::filesystem::path& path) {
  return std::string(what) + " " + path.string() + ": " + std::strerror(errno);
}

}  // namespace

// ---- SweepSpec ------------------------------------------------------------------------------

SweepSpec SweepSpec::from_config(const Config& root) {
  const Config s = root.section("sweep");
  SweepSpec spec;
  spec.source = root.source();
  spec.sweep_text = s.to_yaml();

  // The base case: a path (relative to the sweep file) or an inline mapping.
  const Config case_node = s.child("case");
  Config base = case_node;
  if (case_node.is_scalar()) {
    std::filesystem::path path = case_node.as_string();
    if (path.is_relative()) {
      const std::filesystem::path sweep_file(spec.source);
      if (std::filesystem::exists(sweep_file)) path = sweep_file.parent_path() / path;
    }
    if (!std::filesystem::exists(path)) {
      throw case_node.error("sweep.case: no case file " + path.string());
    }
    base = Config::load_file(path);
    spec.case_source = path.string();
  } else if (case_node.is_map()) {
    spec.case_source = spec.source + " (sweep.case)";
  } else {
    throw case_node.error("sweep.case must be a case file name or a mapping holding the case");
  }
  spec.case_text = base.to_yaml();

  // The model: the one registered section the case holds, or `model` when there are several.
  std::vector<std::string> found;
  for (const Model* m : models()) {
    if (base.has(m->name)) found.push_back(m->name);
  }
  if (s.has("model")) {
    spec.model = s.get_string("model");
    if (!find_model(spec.model) || !base.has(spec.model)) {
      throw s.error("sweep.model = " + spec.model + " is not a model section of the base case " +
                    "(sections with a model: " + (found.empty() ? "none" : join(found, ", ")) + ")");
    }
  } else if (found.size() == 1) {
    spec.model = found.front();
  } else {
    std::vector<std::string> known;
    for (const Model* m : models()) known.push_back(m->name);
    throw case_node.error(found.empty()
                              ? "the base case has no section a sweep can run (models: " +
                                    join(known, ", ") + ")"
                              : "the base case holds several models (" + join(found, ", ") +
                                    "); say which with sweep.model");
  }
  const Model& model = *find_model(spec.model);

  const std::string design = s.get_choice("design", "grid", {"grid", "list", "latin_hypercube", "sobol"});
  spec.design.kind = design == "grid"   ? DesignKind::grid
                     : design == "list" ? DesignKind::list
                     : design == "sobol" ? DesignKind::sobol
                                         : DesignKind::latin_hypercube;
  const bool sampled =
      spec.design.kind == DesignKind::sobol || spec.design.kind == DesignKind::latin_hypercube;
  if (sampled) {
    spec.design.points = static_cast<std::size_t>(s.get_int("points", Range::closed(0, 1e8)));
    if (spec.design.points == 0) throw s.error("sweep.points = 0: the design has zero points");
    spec.design.seed = static_cast<std::uint64_t>(s.get_int("seed", 1, Range::closed(0, 9.0e18)));
    if (spec.design.kind == DesignKind::sobol) spec.design.scramble = s.get_bool("scramble", true);
  }

  const std::vector<Config> items = s.list("parameters");
  if (items.empty()) throw s.error("sweep.parameters is empty: name at least one key to vary");
  for (const Config& item : items) spec.parameters.push_back(read_parameter(item));
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (spec.parameters[i].key == spec.parameters[j].key) {
        throw items[i].error("sweep parameter " + spec.parameters[i].key + " is given twice");
      }
    }
  }

  spec.outputs = s.has("outputs") ? string_list(s, "outputs") : model.scalars;
  for (const auto& name : spec.outputs) {
    if (std::find(model.scalars.begin(), model.scalars.end(), name) == model.scalars.end()) {
      throw s.error("sweep.outputs: " + spec.model + " has no scalar output '" + name +
                    "'; it has " + join(model.scalars, ", "));
    }
  }
  spec.fields = string_list(s, "fields");
  for (const auto& name : spec.fields) {
    if (std::find(model.fields.begin(), model.fields.end(), name) == model.fields.end()) {
      throw s.error("sweep.fields: " + spec.model + " has no field '" + name + "'; it has " +
                    join(model.fields, ", "));
    }
  }
  s.accept("case");
  s.finish();
  return spec;
}

SweepSpec SweepSpec::load_file(const std::filesystem::path& path) {
  return from_config(Config::load_file(path));
}

// ---- Sweep ----------------------------------------------------------------------------------

Sweep::Sweep(SweepSpec spec) : spec_(std::move(spec)), model_(find_model(spec_.model)) {
  if (!model_) throw std::invalid_argument("sweep: no model named '" + spec_.model + "'");
  try {
    points_ = design_points(spec_.design, spec_.parameters);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(spec_.source + ": " + e.what());
  }
  // Parse point 0 now, so that a key path the model does not know stops the sweep before any
  // point runs (the model's loader names the key).
  try {
    const Config root = Config::parse(case_text(0), spec_.case_source + " (sweep point 0)");
    (void)model_->prepare(root);
  } catch (const std::invalid_argument& e) {
    std::string values;
    for (std::size_t j = 0; j < spec_.parameters.size(); ++j) {
      values += (j ? ", " : "") + spec_.parameters[j].key + " = " + format_number(points_[0][j]);
    }
    throw std::invalid_argument(spec_.source + ": the base case with point 0 (" + values +
                                ") is not a valid " + spec_.model + " case: " + e.what());
  }
}

std::string Sweep::case_text(std::size_t index) const {
  Config root = Config::parse(spec_.case_text, spec_.case_source);
  const auto& point = points_.at(index);
  for (std::size_t j = 0; j < spec_.parameters.size(); ++j) {
    root.set(spec_.parameters[j].key, format_number(point[j]));
  }
  return root.to_yaml();
}

PointResult Sweep::compute(std::size_t index) const {
  PointResult r;
  r.index = index;
  try {
    const Config root = Config::parse(case_text(index), spec_.case_source + " (sweep point " +
                                                            std::to_string(index) + ")");
    const PointOutputs out = model_->prepare(root)();
    for (const auto& name : spec_.outputs) {
      const auto it = out.scalars.find(name);
      if (it == out.scalars.end()) throw std::logic_error(spec_.model + " did not report " + name);
      r.scalars.push_back(it->second);
    }
    for (const auto& name : spec_.fields) {
      const auto it = out.fields.find(name);
      if (it == out.fields.end()) throw std::logic_error(spec_.model + " did not report " + name);
      r.fields.push_back(it->second);
    }
    r.ok = true;
  } catch (const std::exception& e) {
    r.ok = false;
    r.error = e.what();
    r.scalars.assign(spec_.outputs.size(), kNaN);
    r.fields.clear();
  }
  return r;
}

std::string Sweep::fingerprint() const {
  std::uint64_t h = fnv1a(spec_.sweep_text);
  h = fnv1a(std::string_view("\0", 1), h);
  h = fnv1a(spec_.case_text, h);
  h = fnv1a(std::string_view("\0", 1), h);
  h = fnv1a(psw::version(), h);
  char buffer[20];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

// ---- Journal --------------------------------------------------------------------------------

std::filesystem::path journal_path(const std::filesystem::path& output) {
  return std::filesystem::path(output.string() + ".journal");
}

Journal::Journal(std::filesystem::path path, const Sweep& sweep, bool resume)
    : path_(std::move(path)),
      outputs_(sweep.spec().outputs.size()),
      fields_(sweep.spec().fields.size()) {
  const std::string header = std::string(kJournalMagic) + " 1 " + sweep.fingerprint() + " " +
                             std::to_string(sweep.size()) + "\n";
  const bool exists = std::filesystem::exists(path_);
  if (exists && !resume) {
    throw std::invalid_argument(
        "a journal of an unfinished sweep exists at " + path_.string() +
        "; run with --resume to finish it, or delete it to start again");
  }
  std::uintmax_t keep = 0;  // bytes of whole records to keep
  if (exists) {
    std::ifstream in(path_, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.compare(0, header.size(), header) != 0) {
      const auto first = text.substr(0, text.find('\n'));
      if (first.rfind(kJournalMagic, 0) != 0) {
        throw std::invalid_argument(path_.string() + " is not a psw sweep journal");
      }
      throw std::invalid_argument(
          path_.string() + " belongs to a different sweep (or another psw version): its header is '" +
          first + "'; delete it to start this sweep afresh");
    }
    keep = header.size();
    std::size_t start = header.size(), line_number = 1;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      ++line_number;
      if (end == std::string::npos) break;  // torn last record: a kill mid-write
      const auto record =
          parse_record(text.substr(start, end - start), outputs_, fields_, sweep.size());
      if (!record) {
        throw std::invalid_argument(path_.string() + ":" + std::to_string(line_number) +
                                    ": not a record of this sweep; the journal is damaged");
      }
      finished_[record->index] = *record;
      start = end + 1;
      keep = start;
    }
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(system_error("cannot open the sweep journal", path_));
  if (!exists) {
    if (::write(fd_, header.data(), header.size()) != static_cast<ssize_t>(header.size()) ||
        ::fsync(fd_) != 0) {
      const std::string message = system_error("cannot write the sweep journal", path_);
      ::close(fd_);
      fd_ = -1;
      throw std::runtime_error(message);
    }
    // The directory entry too, so that the journal itself survives a crash.
    const int dir = ::open(path_.parent_path().empty() ? "." : path_.parent_path().c_str(),
                           O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  } else if (::ftruncate(fd_, static_cast<off_t>(keep)) != 0) {
    const std::string message = system_error("cannot repair the sweep journal", path_);
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error(message);
  }
  if (::lseek(fd_, 0, SEEK_END) < 0) {
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error(system_error("cannot seek in the sweep journal", path_));
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::record(const PointResult& result) {
  const std::string line = format_record(result);
  std::lock_guard lock(mutex_);
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(system_error("cannot append to the sweep journal", path_));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    throw std::runtime_error(system_error("cannot flush the sweep journal", path_));
  }
  finished_[result.index] = result;
}

void Journal::remove() {
  std::lock_guard lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

// ---- running --------------------------------------------------------------------------------

struct Runner::State {
  const Sweep& sweep;
  RunOptions options;
  std::optional<Journal> journal;
  std::vector<std::size_t> pending;
  std::size_t handed_out = 0;
  bool stopped = false;
  bool already_complete = false;
  RunSummary summary;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::mutex mutex;

  State(const Sweep& s, const RunOptions& o) : sweep(s), options(o) {}
};

Runner::Runner(const Sweep& sweep, const RunOptions& options)
    : state_(std::make_unique<State>(sweep, options)) {
  State& st = *state_;
  if (options.output.empty()) throw std::invalid_argument("sweep: no results file given (-o)");
  st.summary.total = sweep.size();
  // A resumed sweep that had already finished: its results file says so, and nothing is left.
  if (options.resume && !std::filesystem::exists(journal_path(options.output)) &&
      std::filesystem::exists(options.output)) {
    std::string fingerprint;
    try {
      fingerprint = io::read_string_attribute(options.output, "/", "sweep_fingerprint");
    } catch (const std::exception&) {
    }
    if (fingerprint != sweep.fingerprint()) {
      throw std::invalid_argument(options.output.string() +
                                  " exists, holds no results of this sweep, and there is no "
                                  "journal to resume; choose another output or drop --resume");
    }
    st.summary.resumed = sweep.size();
    st.already_complete = true;
    return;
  }
  st.journal.emplace(journal_path(options.output), sweep, options.resume);
  for (std::size_t i = 0; i < sweep.size(); ++i) {
    if (!st.journal->finished().count(i)) st.pending.push_back(i);
  }
  if (options.max_points && st.pending.size() > options.max_points) {
    st.pending.resize(options.max_points);
  }
  st.summary.resumed = st.journal->finished().size();
  for (const auto& [index, r] : st.journal->finished()) st.summary.failed += r.ok ? 0 : 1;
}

Runner::~Runner() = default;

std::size_t Runner::pending() const { return state_->pending.size(); }

std::optional<std::size_t> Runner::next() {
  State& st = *state_;
  std::lock_guard lock(st.mutex);
  if (st.stopped || st.handed_out >= st.pending.size()) return std::nullopt;
  return st.pending[st.handed_out++];
}

void Runner::stop() {
  std::lock_guard lock(state_->mutex);
  state_->stopped = true;
}

void Runner::record(const PointResult& result) {
  State& st = *state_;
  st.journal->record(result);  // durable before it is counted
  std::lock_guard lock(st.mutex);
  ++st.summary.computed;
  if (!result.ok) ++st.summary.failed;
  if (!st.options.progress) return;
  Progress p;
  p.total = st.summary.total;
  p.resumed = st.summary.resumed;
  p.done = st.summary.resumed + st.summary.computed;
  p.failed = st.summary.failed;
  p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - st.started).count();
  p.points_per_s = p.elapsed_s > 0 ? static_cast<double>(st.summary.computed) / p.elapsed_s : 0;
  const std::size_t left = st.pending.size() - std::min(st.pending.size(), st.summary.computed);
  p.remaining_s = p.points_per_s > 0 ? static_cast<double>(left) / p.points_per_s : 0.0;
  st.options.progress(p);
}

RunSummary Runner::finish() {
  State& st = *state_;
  std::lock_guard lock(st.mutex);
  if (st.already_complete) {
    st.summary.complete = true;
    return st.summary;
  }
  if (st.journal->finished().size() == st.sweep.size()) {
    write_results(st.sweep, st.journal->finished(), st.options.output);
    st.journal->remove();
    st.summary.complete = true;
  }
  return st.summary;
}

RunSummary run(const Sweep& sweep, const RunOptions& options) {
  Runner runner(sweep, options);
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = std::clamp<unsigned>(threads, 1u,
                                 static_cast<unsigned>(std::max<std::size_t>(1, runner.pending())));
  std::mutex failure_mutex;
  std::exception_ptr failure;
  const auto work = [&] {
    while (const auto index = runner.next()) {
      try {
        runner.record(sweep.compute(*index));
      } catch (...) {  // the journal could not be written: stop, keep what is durable
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        runner.stop();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return runner.finish();
}

std::string encode_point(const PointResult& result) { return format_record(result); }

PointResult decode_point(std::string_view text, const Sweep& sweep) {
  std::string line(text);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  auto r = parse_record(line, sweep.spec().outputs.size(), sweep.spec().fields.size(), sweep.size());
  if (!r) throw std::invalid_argument("not a point record of this sweep: '" + line.substr(0, 80) + "'");
  return *r;
}

// ---- results file ---------------------------------------------------------------------------

void write_results(const Sweep& sweep, const std::map<std::size_t, PointResult>& results,
                   const std::filesystem::path& output) {
  const SweepSpec& spec = sweep.spec();
  const std::size_t n = sweep.size();
  io::ResultsFile file(output);
  file.write_provenance("sweep:\n" + spec.sweep_text);
  file.set_attribute("/", "sweep_source", spec.source);
  file.set_attribute("/", "sweep_fingerprint", sweep.fingerprint());
  file.set_attribute("/", "sweep_base_case", spec.case_text);
  file.set_attribute("/", "sweep_base_case_source", spec.case_source);
  file.set_attribute("/", "sweep_model", spec.model);
  std::vector<std::string> keys;
  for (const auto& p : spec.parameters) keys.push_back(p.key);
  file.set_attribute("/", "sweep_parameters", join(keys, "\n"));
  file.set_attribute("/", "sweep_outputs", join(spec.outputs, "\n"));
  file.set_attribute("/", "sweep_fields", join(spec.fields, "\n"));
  file.set_attribute("/", "sweep_points", static_cast<double>(n));

  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    std::vector<double> column(n);
    for (std::size_t i = 0; i < n; ++i) column[i] = sweep.points()[i][j];
    file.write("/sweep/parameters/" + spec.parameters[j].key, column);
  }
  std::vector<double> ok(n, 0.0);
  for (std::size_t k = 0; k < spec.outputs.size(); ++k) {
    std::vector<double> column(n, kNaN);
    for (const auto& [i, r] : results) column[i] = r.ok ? r.scalars[k] : kNaN;
    file.write("/sweep/outputs/" + spec.outputs[k], column);
  }
  for (const auto& [i, r] : results) ok[i] = r.ok ? 1.0 : 0.0;
  file.write("/sweep/ok", ok);
  for (const auto& [i, r] : results) {
    if (!r.ok) file.set_attribute("/sweep/ok", "error_point_" + std::to_string(i), r.error);
  }
  for (std::size_t f = 0; f < spec.fields.size(); ++f) {
    for (const auto& [i, r] : results) {
      if (!r.ok) continue;
      char name[32];
      std::snprintf(name, sizeof name, "/point_%06zu", i);
      file.write("/sweep/fields/" + spec.fields[f] + name, r.fields[f]);
    }
  }
  file.commit();
}

Results load_results(const std::filesystem::path& path) {
  Results r;
  const auto names = [&](std::string_view attribute) {
    const std::string text = io::read_string_attribute(path, "/", attribute);
    return text.empty() ? std::vector<std::string>{} : split_lines(text);
  };
  r.parameter_keys = names("sweep_parameters");
  r.output_names = names("sweep_outputs");
  for (const auto& key : r.parameter_keys) {
    r.parameters.push_back(io::read_dataset(path, "/sweep/parameters/" + key));
  }
  for (const auto& name : r.output_names) {
    r.outputs.push_back(io::read_dataset(path, "/sweep/outputs/" + name));
  }
  const auto ok = io::read_dataset(path, "/sweep/ok");
  for (std::size_t i = 0; i < ok.size(); ++i) {
    r.ok.push_back(ok[i] != 0.0);
    if (ok[i] == 0.0) {
      r.errors[i] = io::read_string_attribute(path, "/sweep/ok", "error_point_" + std::to_string(i));
    }
  }
  return r;
}

}  // namespace psw::sweep
