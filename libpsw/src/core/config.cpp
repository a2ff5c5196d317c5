#include <psw/core/config.hpp>
#include <psw/core/units.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace psw {
namespace {

using KeySet = std::set<std::string, std::less<>>;

std::string mark_text(const std::string& source, const YAML::Mark& mark) {
  if (mark.line < 0) return source;
  return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

// Finds `key` in a map node without inserting it (non-const operator[] would).
std::optional<std::pair<YAML::Node, YAML::Node>> find_entry(const YAML::Node& map,
                                                            std::string_view key) {
  if (!map.IsMap()) return std::nullopt;
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) {
      return std::make_pair(entry.first, entry.second);
    }
  }
  return std::nullopt;
}

std::string_view kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    default: return "empty";
  }
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Strict number parsing: the whole scalar must be a number (YAML's .inf spellings included).
std::optional<double> parse_double(std::string_view text) {
  const std::string l = lower(text);
  if (l == ".inf" || l == "+.inf" || l == "inf") return HUGE_VAL;
  if (l == "-.inf" || l == "-inf") return -HUGE_VAL;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace

struct Config::Impl {
  std::shared_ptr<const std::string> source;
  YAML::Node node;
  std::string path;
  // Where this node sits in the file; a key's value node may have no mark of its own (null).
  YAML::Mark mark;
  std::shared_ptr<KeySet> accepted = std::make_shared<KeySet>();
};

Config::Config(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Config::Config(const Config& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Config& Config::operator=(const Config& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;
Config::~Config() = default;

Config Config::parse(std::string_view text, std::string source) {
  auto impl = std::make_unique<Impl>();
  impl->source = std::make_shared<const std::string>(std::move(source));
  try {
    impl->node = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw std::invalid_argument(mark_text(*impl->source, e.mark) + ": invalid YAML: " + e.msg);
  }
  impl->mark = impl->node.Mark();
  return Config(std::move(impl));
}

Config Config::load_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::invalid_argument("cannot read config file '" + path.string() +
                                "': " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

const std::string& Config::source() const { return *impl_->source; }
const std::string& Config::key_path() const { return impl_->path; }

std::string Config::child_path(std::string_view key) const {
  if (impl_->path.empty()) return std::string(key);
  return impl_->path + "." + std::string(key);
}

std::string Config::location() const { return mark_text(*impl_->source, impl_->mark); }

std::invalid_argument Config::error(std::string_view message) const {
  return std::invalid_argument(location() + ": " + std::string(message));
}

Config::Kind Config::kind() const {
  switch (impl_->node.Type()) {
    case YAML::NodeType::Map: return Kind::map;
    case YAML::NodeType::Sequence: return Kind::sequence;
    case YAML::NodeType::Scalar: return Kind::scalar;
    default: return Kind::null;
  }
}

bool Config::has(std::string_view key) const {
  return find_entry(impl_->node, key).has_value();
}

std::vector<std::string> Config::keys() const {
  std::vector<std::string> out;
  if (!impl_->node.IsMap()) return out;
  for (const auto& entry : impl_->node) out.push_back(entry.first.Scalar());
  return out;
}

void Config::accept(std::string_view key) const { impl_->accepted->emplace(key); }

Config Config::make_child(std::string_view key) const {
  accept(key);
  if (!impl_->node.IsMap() && !impl_->node.IsNull()) {
    throw error("expected a map at '" + (impl_->path.empty() ? "<root>" : impl_->path) +
                "' to find key '" + std::string(key) + "', found " +
                std::string(kind_name(impl_->node)));
  }
  const auto entry = find_entry(impl_->node, key);
  if (!entry) throw error("missing required key '" + child_path(key) + "'");
  auto impl = std::make_unique<Impl>();
  impl->source = impl_->source;
  impl->node = entry->second;
  impl->path = child_path(key);
  // The value's own position, unless it was set() from elsewhere and so sits "before" its key.
  const YAML::Mark key_mark = entry->first.Mark(), value = entry->second.Mark();
  const bool value_after_key =
      value.line > key_mark.line || (value.line == key_mark.line && value.column > key_mark.column);
  impl->mark = value_after_key ? value : key_mark;
  return Config(std::move(impl));
}

Config Config::child(std::string_view key) const { return make_child(key); }

Config Config::section(std::string_view key) const {
  Config c = make_child(key);
  if (!c.is_map()) {
    throw c.error("'" + c.key_path() + "' must be a map, found " +
                  std::string(kind_name(c.impl_->node)));
  }
  return c;
}

std::optional<Config> Config::optional_section(std::string_view key) const {
  accept(key);
  if (!has(key)) return std::nullopt;
  return section(key);
}

void Config::finish() const {
  if (!impl_->node.IsMap()) return;
  KeySet seen;
  for (const auto& entry : impl_->node) {
    const std::string& key = entry.first.Scalar();
    const std::string where = mark_text(*impl_->source, entry.first.Mark());
    if (!seen.insert(key).second) {
      throw std::invalid_argument(where + ": duplicate key '" + child_path(key) + "'");
    }
    if (!impl_->accepted->contains(key)) {
      std::vector<std::string> accepted(impl_->accepted->begin(), impl_->accepted->end());
      throw std::invalid_argument(where + ": unknown key '" + child_path(key) +
                                  "'; accepted keys here: " + join(accepted));
    }
  }
}

std::size_t Config::size() const {
  if (impl_->node.IsNull()) return 0;
  if (!impl_->node.IsSequence()) {
    throw error("'" + impl_->path + "' must be a list, found " +
                std::string(kind_name(impl_->node)));
  }
  return impl_->node.size();
}

Config Config::item(std::size_t index) const {
  const std::size_t n = size();
  if (index >= n) {
    throw std::out_of_range(location() + ": index " + std::to_string(index) + " of '" +
                            impl_->path + "' is outside [0, " + std::to_string(n) + ")");
  }
  auto impl = std::make_unique<Impl>();
  impl->source = impl_->source;
  impl->node = impl_->node[index];
  impl->path = impl_->path + "[" + std::to_string(index) + "]";
  impl->mark = impl->node.Mark().line >= 0 ? impl->node.Mark() : impl_->mark;
  return Config(std::move(impl));
}

std::vector<Config> Config::list(std::string_view key) const {
  accept(key);
  std::vector<Config> out;
  if (!has(key)) return out;
  const Config seq = child(key);
  const std::size_t n = seq.size();
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(seq.item(i));
  return out;
}

// ---- scalars --------------------------------------------------------------------------------

std::string Config::as_string() const {
  if (!impl_->node.IsScalar()) {
    throw error("'" + impl_->path + "' must be a single value, found " +
                std::string(kind_name(impl_->node)));
  }
  return impl_->node.Scalar();
}

double Config::as_double(const Range& range) const {
  const std::string text = as_string();
  const auto value = parse_double(text);
  if (!value) throw error("'" + impl_->path + "' = '" + text + "' is not a number");
  if (!range.contains(*value)) throw error(out_of_range_message(impl_->path, *value, range));
  return *value;
}

std::int64_t Config::as_int(const Range& range) const {
  const std::string text = as_string();
  const auto value = parse_int(text);
  if (!value) throw error("'" + impl_->path + "' = '" + text + "' is not an integer");
  if (!range.contains(static_cast<double>(*value))) {
    throw error(out_of_range_message(impl_->path, static_cast<double>(*value), range));
  }
  return *value;
}

bool Config::as_bool() const {
  const std::string text = as_string();
  const std::string l = lower(text);
  if (l == "true" || l == "yes" || l == "on") return true;
  if (l == "false" || l == "no" || l == "off") return false;
  throw error("'" + impl_->path + "' = '" + text + "' is not true or false");
}

double Config::get_double(std::string_view key, const Range& range) const {
  return child(key).as_double(range);
}

double Config::get_double(std::string_view key, double fallback, const Range& range) const {
  accept(key);
  return has(key) ? get_double(key, range) : fallback;
}

double Config::get_si(std::string_view key, const Range& range) const {
  const auto scale = si_scale_for_key(key);
  if (!scale) {
    throw std::logic_error("config key '" + child_path(key) + "' carries no known unit suffix");
  }
  return get_double(key, range) * *scale;
}

double Config::get_si(std::string_view key, double fallback_in_key_unit,
                      const Range& range) const {
  accept(key);
  if (has(key)) return get_si(key, range);
  const auto scale = si_scale_for_key(key);
  if (!scale) {
    throw std::logic_error("config key '" + child_path(key) + "' carries no known unit suffix");
  }
  return fallback_in_key_unit * *scale;
}

double Config::get_si_any(std::string_view stem, std::initializer_list<std::string_view> units,
                          const Range& range_si, std::optional<double> fallback_si) const {
  std::vector<std::string> spellings, present;
  for (std::string_view unit : units) {
    std::string key = std::string(stem) + "_" + std::string(unit);
    accept(key);
    if (has(key)) present.push_back(key);
    spellings.push_back(std::move(key));
  }
  if (present.size() > 1) {
    throw error("'" + child_path(present[0]) + "' and '" + present[1] +
                "' give the same quantity twice; keep one");
  }
  if (present.empty()) {
    if (fallback_si) return *fallback_si;
    throw error("missing required key '" + child_path(stem) + "_<unit>'; write one of " +
                join(spellings));
  }
  const Config value = child(present[0]);
  const double si = get_si(present[0], Range::finite());
  if (!range_si.contains(si)) {
    throw value.error(value.key_path() + " = " + value.as_string() + " (" + format_number(si) +
                      " in SI) is outside " + range_si.to_string() + " in SI");
  }
  return si;
}

std::int64_t Config::get_int(std::string_view key, const Range& range) const {
  return child(key).as_int(range);
}

std::int64_t Config::get_int(std::string_view key, std::int64_t fallback,
                             const Range& range) const {
  accept(key);
  return has(key) ? get_int(key, range) : fallback;
}

bool Config::get_bool(std::string_view key) const { return child(key).as_bool(); }

bool Config::get_bool(std::string_view key, bool fallback) const {
  accept(key);
  return has(key) ? get_bool(key) : fallback;
}

std::string Config::get_string(std::string_view key) const { return child(key).as_string(); }

std::string Config::get_string(std::string_view key, std::string_view fallback) const {
  accept(key);
  return has(key) ? get_string(key) : std::string(fallback);
}

std::string Config::get_choice(std::string_view key,
                               std::initializer_list<std::string_view> choices) const {
  const Config c = child(key);
  const std::string value = c.as_string();
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) return value;
  std::vector<std::string> names(choices.begin(), choices.end());
  throw c.error("'" + c.key_path() + "' = '" + value + "' is not one of " + join(names));
}

std::string Config::get_choice(std::string_view key, std::string_view fallback,
                               std::initializer_list<std::string_view> choices) const {
  accept(key);
  return has(key) ? get_choice(key, choices) : std::string(fallback);
}

std::vector<double> Config::get_doubles(std::string_view key, const Range& range) const {
  const Config seq = child(key);
  const std::size_t n = seq.size();
  std::vector<double> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(seq.item(i).as_double(range));
  return out;
}

// ---- editing and output ---------------------------------------------------------------------

void Config::set(std::string_view dotted_path, std::string_view yaml_scalar) {
  if (dotted_path.empty()) throw std::invalid_argument("empty key path");
  YAML::Node value;
  try {
    value = YAML::Load(std::string(yaml_scalar));
  } catch (const YAML::ParserException& e) {
    throw std::invalid_argument("value '" + std::string(yaml_scalar) + "' for '" +
                                child_path(dotted_path) + "' is not valid YAML: " + e.msg);
  }

  // Walk `a.b[2].c`, rebinding with reset() (assigning a YAML::Node would overwrite content).
  YAML::Node current;
  current.reset(impl_->node);
  std::string walked = impl_->path;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = dotted_path.find('.', start);
    std::string_view segment = dotted_path.substr(start, dot - start);
    std::optional<std::size_t> index;
    if (const auto bracket = segment.find('['); bracket != std::string_view::npos) {
      const auto digits = segment.substr(bracket + 1, segment.size() - bracket - 2);
      const auto parsed = parse_int(digits);
      if (segment.back() != ']' || !parsed || *parsed < 0) {
        throw std::invalid_argument("bad list index in key path '" + std::string(dotted_path) +
                                    "'");
      }
      index = static_cast<std::size_t>(*parsed);
      segment = segment.substr(0, bracket);
    }
    const std::string key(segment);
    walked = walked.empty() ? key : walked + "." + key;
    if (key.empty()) {
      throw std::invalid_argument("empty element in key path '" + std::string(dotted_path) + "'");
    }
    if (!current.IsMap() && !current.IsNull()) {
      throw std::invalid_argument(*impl_->source + ": cannot set '" + child_path(dotted_path) +
                                  "': the parent of '" + walked + "' is not a map");
    }
    const bool last = dot == std::string_view::npos;
    if (index) {
      auto entry = find_entry(current, key);
      if (!entry || !entry->second.IsSequence() || *index >= entry->second.size()) {
        throw std::invalid_argument(*impl_->source + ": cannot set '" + child_path(dotted_path) +
                                    "': '" + walked + "' has no item " + std::to_string(*index));
      }
      YAML::Node element;
      element.reset(entry->second[*index]);
      walked.append("[").append(std::to_string(*index)).append("]");
      if (last) {
        entry->second[*index] = value;
        return;
      }
      current.reset(element);
    } else {
      if (last) {
        current[key] = value;
        return;
      }
      if (!find_entry(current, key)) current[key] = YAML::Node(YAML::NodeType::Map);
      YAML::Node next;
      next.reset(current[key]);
      current.reset(next);
    }
    start = dot + 1;
  }
}

std::string Config::to_yaml() const {
  YAML::Emitter out;
  out << impl_->node;
  return out.c_str();
}

}  // namespace psw
