// Sweepable models: what a sweep point runs, and the scalar outputs and fields it reports.
//
// A model reads one top-level section of a case file (`ttm`, `sinter`, `electrospray`) and
// names its outputs by dotted paths whose last element carries the unit (`thermal.Te_max_K`).
// A sweep finds the model by the section its base case holds. Registering a model here is all
// it takes for a new physics module to become sweepable through `psw sweep`, MPI included.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace psw {
class Config;
}

namespace psw::sweep {

/// What one point produced.
struct PointOutputs {
  std::map<std::string, double> scalars;
  std::map<std::string, std::vector<double>> fields;
};

/// A parsed case, ready to run. Running it may throw (the point then fails with that message).
using PreparedPoint = std::function<PointOutputs()>;

struct Model {
  std::string name;         ///< the case section it reads, e.g. "ttm"
  std::string description;  ///< one line for `psw sweep --list-outputs`
  std::vector<std::string> scalars;  ///< the scalar outputs it reports
  std::vector<std::string> fields;   ///< the fields it reports
  /// Parses a whole case (the root of the file). Bad input throws std::invalid_argument naming
  /// the key; nothing heavy runs until the returned function is called.
  std::function<PreparedPoint(const Config& root)> prepare;
};

/// Adds (or replaces) a model. Not thread-safe: register before running sweeps.
void register_model(Model model);

/// The model reading `section`, or nullptr.
const Model* find_model(std::string_view section);

/// Every registered model, by name (the built-in ones are ttm, sinter and electrospray).
std::vector<const Model*> models();

}  // namespace psw::sweep
