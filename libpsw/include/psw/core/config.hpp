// YAML case and job files: typed, range-checked reads that reject unknown keys.
//
// A Config is a view of one node of a parsed file (the root, a section, a list item). Reading a
// key records it as accepted; finish() then rejects every key in that node that was never read,
// listing the accepted ones. So a loader states its schema once, by the keys it reads:
//
//   psw::Config ttm = psw::Config::load_file("case.yaml").section("ttm");
//   double fluence = ttm.section("source").get_si("fluence_J_per_m2", psw::Range::positive());
//   ...
//   ttm.finish();   // "case.yaml:7:3: unknown key 'ttm.foo'; accepted keys here: layers, ..."
//
// Every message starts with `file:line:column:` and names the full key path
// (`ttm.layers[0].cells`), the bad value and the accepted range.
//
// Keys that carry a unit suffix (`thickness_nm`, `pulse_fwhm_fs`, `fluence_J_per_m2`) are read
// in SI with get_si(); the range passed to it is in the key's own unit, as the user wrote it.
//
// Ownership and lifetime: a Config shares the parsed document with every Config made from it;
// copies are cheap and stay valid after the root goes away. Copies of one node share its record
// of accepted keys. A Config is not safe to use from several threads at once.
#pragma once

#include <psw/core/error.hpp>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psw {

class Config {
 public:
  enum class Kind { null, scalar, sequence, map };

  /// Parses a YAML file.
  /// @throws std::invalid_argument when the file cannot be read or is not valid YAML, naming
  ///         the path (and line and column for syntax errors).
  static Config load_file(const std::filesystem::path& path);

  /// Parses YAML text; `source` names it in messages (a path, "<string>", "<dict>").
  static Config parse(std::string_view text, std::string source = "<string>");

  Config(const Config&);
  Config& operator=(const Config&);
  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;
  ~Config();

  // ---- where this node is -------------------------------------------------------------------
  /// The file path or name given to parse().
  const std::string& source() const;
  /// Dotted key path from the root: "" for the root, "ttm.layers[0]" for a list item.
  const std::string& key_path() const;
  /// The full key path of child `key` of this node ("ttm.source.fluence_J_per_m2").
  std::string child_path(std::string_view key) const;
  /// "source:line:column" of this node (1-based).
  std::string location() const;

  Kind kind() const;
  bool is_map() const { return kind() == Kind::map; }
  bool is_sequence() const { return kind() == Kind::sequence; }
  bool is_scalar() const { return kind() == Kind::scalar; }

  // ---- maps ---------------------------------------------------------------------------------
  /// True when this is a map holding `key`. Does not mark the key as accepted.
  bool has(std::string_view key) const;
  /// The keys of this map, in file order.
  std::vector<std::string> keys() const;
  /// Marks `key` as accepted without reading it.
  void accept(std::string_view key) const;

  /// The map under `key`. @throws std::invalid_argument if missing or not a map.
  Config section(std::string_view key) const;
  /// The map under `key`, or nullopt when the key is absent.
  std::optional<Config> optional_section(std::string_view key) const;
  /// The node under `key`, whatever its kind. @throws std::invalid_argument if missing.
  Config child(std::string_view key) const;

  /// Rejects keys of this map that were never read or accepted.
  /// @throws std::invalid_argument naming the first unknown key, its line, and the accepted keys.
  void finish() const;

  // ---- sequences ----------------------------------------------------------------------------
  /// Number of items of a sequence (0 for null). @throws std::invalid_argument for other kinds.
  std::size_t size() const;
  /// Item `index` of a sequence. @throws std::out_of_range when index >= size().
  Config item(std::size_t index) const;
  /// The sequence under `key` (an absent key gives an empty list).
  std::vector<Config> list(std::string_view key) const;

  // ---- scalars: this node -------------------------------------------------------------------
  double as_double(const Range& range = Range::finite()) const;
  std::int64_t as_int(const Range& range = Range::finite()) const;
  bool as_bool() const;
  std::string as_string() const;

  // ---- scalars: a key of this map -----------------------------------------------------------
  /// @throws std::invalid_argument if missing, not a number, or outside `range`.
  double get_double(std::string_view key, const Range& range = Range::finite()) const;
  double get_double(std::string_view key, double fallback, const Range& range) const;

  /// Reads a unit-suffixed key and returns it in SI: `thickness_nm: 100` gives 1e-7.
  /// `range` is in the key's own unit. @throws std::logic_error when the key has no known unit.
  double get_si(std::string_view key, const Range& range) const;
  double get_si(std::string_view key, double fallback_in_key_unit, const Range& range) const;

  std::int64_t get_int(std::string_view key, const Range& range = Range::finite()) const;
  std::int64_t get_int(std::string_view key, std::int64_t fallback, const Range& range) const;

  bool get_bool(std::string_view key) const;
  bool get_bool(std::string_view key, bool fallback) const;

  std::string get_string(std::string_view key) const;
  std::string get_string(std::string_view key, std::string_view fallback) const;

  /// A string that must be one of `choices`. @throws naming the value and the choices.
  std::string get_choice(std::string_view key,
                         std::initializer_list<std::string_view> choices) const;
  std::string get_choice(std::string_view key, std::string_view fallback,
                         std::initializer_list<std::string_view> choices) const;

  /// A quantity that may be written with any of several unit suffixes (`end_ps`, `end_ns`, ...):
  /// `stem` + "_" + unit for each unit in `units`. Exactly one spelling may be present; the
  /// value comes back in SI and must lie inside `range_si`. Absent: `fallback_si`, or an error
  /// listing the accepted spellings when there is none.
  double get_si_any(std::string_view stem, std::initializer_list<std::string_view> units,
                    const Range& range_si, std::optional<double> fallback_si = std::nullopt) const;

  /// A list of numbers, each inside `range`.
  std::vector<double> get_doubles(std::string_view key, const Range& range = Range::finite()) const;

  // ---- editing and output -------------------------------------------------------------------
  /// Sets the scalar at a dotted path below this node (`source.fluence_J_per_m2`), creating
  /// maps on the way. `yaml_scalar` is parsed as YAML, so "13.4" is a number. Used by sweeps.
  /// @throws std::invalid_argument when a path element exists and is not a map.
  void set(std::string_view dotted_path, std::string_view yaml_scalar);

  /// The node as YAML text (for storing a case beside its results).
  std::string to_yaml() const;

  /// An error whose message starts with this node's location: "file:3:5: <message>".
  std::invalid_argument error(std::string_view message) const;

 private:
  struct Impl;
  explicit Config(std::unique_ptr<Impl> impl);
  Config make_child(std::string_view key) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace psw
