// Parameter sweeps over any sweepable model (psw/sweep/model.hpp), on a thread pool or across MPI
// ranks, with a journal that makes every finished point durable.
//
// A sweep file:
//
//   sweep:
//     case: gold_film.yaml            # a case file (relative to the sweep file), or a mapping
//     design: grid                    # grid | list | latin_hypercube | sobol
//     parameters:
//       - {key: ttm.source.fluence_J_per_m2, values: [5, 10, 13.4]}
//       - {key: ttm.source.pulse_fwhm_fs, from: 50, to: 400, count: 3, spacing: log}
//     outputs: [thermal.haz.extent_m, thermal.Te_max_K]
//     fields: [thermal.haz.lattice_max_K]     # optional
//     # points: 32, seed: 7, scramble: true   (latin_hypercube, sobol)
//
// Point i is the base case with parameter j set to points()[i][j]. Points are independent and
// deterministic, so any schedule (threads, ranks, a resumed run) gives the same numbers, bit for
// bit. Each finished point is appended to a journal (`RESULTS.h5.journal`) and flushed to disk
// before it is reported; the HDF5 file is written from the journal at the end (atomically) and
// the journal removed. `resume` reads the journal back and computes only the missing points.
#pragma once

#include <psw/sweep/design.hpp>
#include <psw/sweep/model.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psw {
class Config;
}

namespace psw::sweep {

struct SweepSpec {
  std::string source;     ///< the sweep file, or "<dict>"
  std::string sweep_text;  ///< the `sweep` section as YAML (kept with the results)
  std::string case_text;   ///< the base case as YAML
  std::string case_source;  ///< where the base case came from (a path, or "<inline>")
  std::string model;        ///< the base case's model section, e.g. "ttm"
  Design design;
  std::vector<Parameter> parameters;
  std::vector<std::string> outputs;  ///< scalar outputs collected at every point
  std::vector<std::string> fields;   ///< fields kept at every point

  /// Reads the `sweep` section of `root`; a relative `case` path is taken from the directory
  /// of root's source file (or the working directory for parsed text).
  /// @throws std::invalid_argument naming the key for an unknown key, a missing case, an unknown
  ///         output or field, or a design without points.
  static SweepSpec from_config(const Config& root);
  static SweepSpec load_file(const std::filesystem::path& path);
};

/// One point's outcome. Scalars follow SweepSpec::outputs and fields SweepSpec::fields; a failed
/// point has NaN scalars, no fields and its error message.
struct PointResult {
  std::size_t index = 0;
  bool ok = false;
  std::string error;
  std::vector<double> scalars;
  std::vector<std::vector<double>> fields;
};

/// A sweep ready to run: its spec, its points, and the model that computes them.
class Sweep {
 public:
  /// Builds the design and parses point 0 (so a bad key path fails here, before any work).
  explicit Sweep(SweepSpec spec);

  const SweepSpec& spec() const { return spec_; }
  const std::vector<std::vector<double>>& points() const { return points_; }
  std::size_t size() const { return points_.size(); }

  /// The base case with point `index`'s values set, as YAML.
  std::string case_text(std::size_t index) const;

  /// Computes point `index`; never throws for a failing point (the result carries the error).
  /// Safe to call from several threads at once.
  PointResult compute(std::size_t index) const;

  /// A hash of the sweep, the base case and psw's version: a journal only resumes the sweep
  /// that wrote it.
  std::string fingerprint() const;

 private:
  SweepSpec spec_;
  const Model* model_ = nullptr;
  std::vector<std::vector<double>> points_;
};

/// The durable record of finished points, beside the results file.
class Journal {
 public:
  /// Opens `path`. Without `resume` an existing journal is an error (it holds results of an
  /// unfinished run); with `resume` its points are read back (a torn last line, from a kill
  /// mid-write, is dropped) after checking that it belongs to this sweep.
  Journal(std::filesystem::path path, const Sweep& sweep, bool resume);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Points already finished, by index.
  const std::map<std::size_t, PointResult>& finished() const { return finished_; }

  /// Appends a finished point and flushes it to disk before returning. Thread-safe.
  void record(const PointResult& result);

  /// Deletes the journal (after the results file has been committed).
  void remove();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::size_t outputs_ = 0, fields_ = 0;
  int fd_ = -1;
  std::mutex mutex_;
  std::map<std::size_t, PointResult> finished_;
};

/// Progress of a running sweep, reported after each finished point.
struct Progress {
  std::size_t done = 0;     ///< finished, including those resumed from the journal
  std::size_t total = 0;
  std::size_t failed = 0;
  std::size_t resumed = 0;  ///< read back from the journal, not computed in this run
  double elapsed_s = 0.0;
  double points_per_s = 0.0;  ///< over the points computed in this run
  double remaining_s = 0.0;   ///< estimate; 0 when unknown
};

struct RunOptions {
  std::filesystem::path output;     ///< the HDF5 results file
  unsigned threads = 0;             ///< 0: all hardware threads
  bool resume = false;
  /// Called after each finished point (from one thread at a time).
  std::function<void(const Progress&)> progress;
  /// Stop after this many points have been computed in this run (0: no limit); the journal
  /// keeps them and no results file is written. For tests and for splitting long sweeps.
  std::size_t max_points = 0;
};

struct RunSummary {
  std::size_t total = 0, computed = 0, resumed = 0, failed = 0;
  bool complete = false;  ///< every point finished and the results file written
};

/// The journal path for a results path: "<output>.journal".
std::filesystem::path journal_path(const std::filesystem::path& output);

/// Hands out a sweep's unfinished points and records finished ones: the part of a run that any
/// schedule shares (the thread pool of run(), the MPI coordinator of `psw sweep`).
/// next() and record() are safe to call from several threads at once.
class Runner {
 public:
  /// Opens the journal (see Journal) and lists the points still to compute.
  Runner(const Sweep& sweep, const RunOptions& options);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  /// The next point to compute, or nullopt when all have been handed out (or max_points
  /// reached, or a failure stopped the run).
  std::optional<std::size_t> next();
  /// Makes the point durable in the journal, then reports progress.
  void record(const PointResult& result);
  /// Stops handing out points (after a failure that is not a point's own).
  void stop();
  /// Writes the results file and removes the journal when every point has finished.
  RunSummary finish();

  /// Points still to compute when the run started.
  std::size_t pending() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Runs the sweep on a pool of threads, points handed out one at a time (so points of unequal
/// cost balance themselves), then writes the results file.
RunSummary run(const Sweep& sweep, const RunOptions& options);

/// One point as one line of text ending in a newline: the journal's record, and what MPI ranks
/// send to the coordinator. Doubles are written in hexadecimal, so they read back bit for bit.
std::string encode_point(const PointResult& result);
/// @throws std::invalid_argument when `text` is not a whole record of this sweep.
PointResult decode_point(std::string_view text, const Sweep& sweep);

/// Writes every point to `output` atomically: /sweep/parameters/<key>, /sweep/outputs/<name>,
/// /sweep/ok, /sweep/fields/<name>/point_<i>, failed points' errors as attributes of
/// /sweep/errors, and the sweep and base case as provenance.
void write_results(const Sweep& sweep, const std::map<std::size_t, PointResult>& results,
                   const std::filesystem::path& output);

/// A sweep results file read back.
struct Results {
  std::vector<std::string> parameter_keys;
  std::vector<std::vector<double>> parameters;  ///< per key, one value per point
  std::vector<std::string> output_names;
  std::vector<std::vector<double>> outputs;  ///< per output, one value per point
  std::vector<bool> ok;
  std::map<std::size_t, std::string> errors;
};
Results load_results(const std::filesystem::path& path);

}  // namespace psw::sweep
