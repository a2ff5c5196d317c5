#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include <psw/mes/dictionary.hpp>
#include <psw/mes/json.hpp>

#include "json_detail.hpp"

namespace psw::embedded {
std::string_view secs_messages();
}

namespace psw::mes {

namespace {

using Json = nlohmann::json;

struct ItemType {
  std::vector<Format> formats;  // in order of preference
  bool any = false;
};

struct Shape {
  enum class Kind { item, list, each };
  Kind kind = Kind::item;
  std::string name;            // item: the data item; list/each: the JSON key ("" = none)
  std::vector<Shape> members;  // list: the members; each: one element shape
  bool may_be_empty = false;
};

struct Spec {
  std::string name;
  bool reply = false;
  std::optional<Shape> body;
};

int key_of(int stream, int function) { return stream * 256 + function; }

bool is_integer_format(Format f) {
  switch (f) {
    case Format::I1:
    case Format::I2:
    case Format::I4:
    case Format::I8:
    case Format::U1:
    case Format::U2:
    case Format::U4:
    case Format::U8:
      return true;
    default:
      return false;
  }
}

std::string format_list(const ItemType& type) {
  if (type.any) return "any";
  std::string s;
  for (Format f : type.formats) {
    if (!s.empty()) s += ", ";
    s += format_name(f);
  }
  return s;
}

std::string show(const Json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

}  // namespace

struct Dictionary::Impl {
  std::map<std::string, ItemType> items;
  std::map<int, Spec> messages;

  // ---- loading ------------------------------------------------------------------------------

  Shape shape_of(const Config& node) const {
    Shape s;
    if (node.is_scalar()) {
      s.kind = Shape::Kind::item;
      s.name = node.as_string();
      if (!items.count(s.name)) throw node.error("unknown data item '" + s.name + "'");
      return s;
    }
    if (!node.is_map()) throw node.error("a body shape is an item name or a map");
    s.name = node.get_string("name", "");
    if (node.has("each")) {
      s.kind = Shape::Kind::each;
      s.members.push_back(shape_of(node.child("each")));
      if (s.name.empty()) throw node.error("an 'each' list needs a name");
    } else {
      s.kind = Shape::Kind::list;
      const Config list = node.child("list");
      if (!list.is_sequence()) throw list.error("'list' must be a sequence of shapes");
      for (std::size_t i = 0; i < list.size(); ++i) s.members.push_back(shape_of(list.item(i)));
      s.may_be_empty = node.get_bool("may_be_empty", false);
      // Members become keys of one JSON object: they must be distinct and named.
      std::map<std::string, int> seen;
      for (const Shape& m : s.members) {
        if (m.name.empty()) throw node.error("a list inside a list needs a name");
        if (seen[m.name]++) throw node.error("two members named '" + m.name + "'");
      }
    }
    node.finish();
    return s;
  }

  // ---- item → JSON --------------------------------------------------------------------------

  Json value_of(const Shape& shape, const Item& item, const std::string& path) const {
    switch (shape.kind) {
      case Shape::Kind::item:
        return item_value(shape.name, item, path);
      case Shape::Kind::list: {
        if (item.format() != Format::L) {
          throw std::invalid_argument(path + ": expected a list, got " +
                                      std::string(format_name(item.format())));
        }
        Json object = Json::object();
        if (item.size() == 0 && shape.may_be_empty) return object;
        if (item.size() != shape.members.size()) {
          throw std::invalid_argument(path + ": expected a list of " +
                                      std::to_string(shape.members.size()) + " items, got " +
                                      std::to_string(item.size()));
        }
        for (std::size_t i = 0; i < shape.members.size(); ++i) {
          const Shape& m = shape.members[i];
          object[m.name] = value_of(m, item.items()[i], path + "." + m.name);
        }
        return object;
      }
      case Shape::Kind::each: {
        if (item.format() != Format::L) {
          throw std::invalid_argument(path + ": expected a list, got " +
                                      std::string(format_name(item.format())));
        }
        Json array = Json::array();
        for (std::size_t i = 0; i < item.size(); ++i) {
          array.push_back(
              value_of(shape.members[0], item.items()[i], path + "[" + std::to_string(i) + "]"));
        }
        return array;
      }
    }
    return {};
  }

  Json item_value(const std::string& name, const Item& item, const std::string& path) const {
    const ItemType& type = items.at(name);
    Json tagged = detail::item_to_json_value(item);
    if (type.any) return tagged;
    bool allowed = false;
    for (Format f : type.formats) allowed = allowed || f == item.format();
    if (!allowed) {
      throw std::invalid_argument(path + ": " + name + " is " +
                                  std::string(format_name(item.format())) +
                                  ", allowed formats are " + format_list(type));
    }
    // Plain value: a one-element array becomes its element; text stays text.
    Json values = tagged.begin().value();
    if (values.is_array() && values.size() == 1 && item.format() != Format::A &&
        item.format() != Format::J) {
      return values[0];
    }
    return values;
  }

  // ---- JSON → item --------------------------------------------------------------------------

  Item item_of(const Shape& shape, const Json& value, const std::string& path) const {
    switch (shape.kind) {
      case Shape::Kind::item:
        return typed_item(shape.name, value, path);
      case Shape::Kind::list: {
        if (!value.is_object()) {
          throw std::invalid_argument(path + " = " + show(value) + " is not an object");
        }
        if (value.empty() && shape.may_be_empty) return Item::list({});
        Item::List children;
        for (const Shape& m : shape.members) {
          const auto it = value.find(m.name);
          if (it == value.end()) {
            throw std::invalid_argument(path + ": missing \"" + m.name + "\"");
          }
          children.push_back(item_of(m, *it, path + "." + m.name));
        }
        for (const auto& entry : value.items()) {
          bool known = false;
          for (const Shape& m : shape.members) known = known || m.name == entry.key();
          if (!known) {
            throw std::invalid_argument(path + ": unknown key \"" + entry.key() + "\"");
          }
        }
        return Item::list(std::move(children));
      }
      case Shape::Kind::each: {
        if (!value.is_array()) {
          throw std::invalid_argument(path + " = " + show(value) + " is not an array");
        }
        Item::List children;
        for (std::size_t i = 0; i < value.size(); ++i) {
          children.push_back(
              item_of(shape.members[0], value[i], path + "[" + std::to_string(i) + "]"));
        }
        return Item::list(std::move(children));
      }
    }
    return Item();
  }

  Item typed_item(const std::string& name, const Json& value, const std::string& path) const {
    const ItemType& type = items.at(name);

    // An explicit tagged value: its format must be allowed.
    if (value.is_object()) {
      Item item = detail::item_from_json_value(value, path);
      if (!type.any) {
        bool allowed = false;
        for (Format f : type.formats) allowed = allowed || f == item.format();
        if (!allowed) {
          throw std::invalid_argument(path + ": " + name + " may not be " +
                                      std::string(format_name(item.format())) +
                                      " (allowed: " + format_list(type) + ")");
        }
      }
      return item;
    }

    // A plain value: the first allowed format that holds it.
    const std::vector<Format> candidates =
        type.any ? std::vector<Format>{Format::A,  Format::Boolean, Format::U4, Format::U8,
                                       Format::I4, Format::I8,      Format::F8}
                 : type.formats;
    for (Format f : candidates) {
      if (auto item = try_plain(f, value)) return *item;
    }
    throw std::invalid_argument(path + " = " + show(value) +
                                " fits none of the formats allowed for " + name + ": " +
                                format_list(type));
  }

  static std::optional<Item> try_plain(Format f, const Json& value) {
    const bool scalar = !value.is_array();
    const Json array = scalar ? Json::array({value}) : value;
    if (f == Format::A || f == Format::J) {
      if (!value.is_string()) return std::nullopt;
      const std::string text = value.get<std::string>();
      return f == Format::A ? Item::ascii(text) : Item::jis8(text);
    }
    if (f == Format::Boolean) {
      std::vector<std::uint8_t> bytes;
      for (const Json& x : array) {
        if (!x.is_boolean()) return std::nullopt;
        bytes.push_back(x.get<bool>() ? 1 : 0);
      }
      return Item::of(Format::Boolean, std::move(bytes));
    }
    if (f == Format::F4 || f == Format::F8) {
      for (const Json& x : array) {
        if (!x.is_number()) return std::nullopt;
      }
      try {
        return detail::item_from_json_value(Json{{std::string(format_name(f)), array}}, "$");
      } catch (const std::invalid_argument&) {
        return std::nullopt;
      }
    }
    if (f == Format::B || is_integer_format(f)) {
      for (const Json& x : array) {
        if (!(x.is_number_integer() || x.is_string())) return std::nullopt;
      }
      try {
        return detail::item_from_json_value(Json{{std::string(format_name(f)), array}}, "$");
      } catch (const std::invalid_argument&) {
        return std::nullopt;
      }
    }
    return std::nullopt;
  }
};

// ---- Dictionary -----------------------------------------------------------------------------

Dictionary Dictionary::from_config(const Config& root) {
  auto impl = std::make_shared<Impl>();

  // Data items: name → allowed formats.
  const Config items = root.section("items");
  for (const std::string& name : items.keys()) {
    const Config formats = items.child(name);
    if (!formats.is_sequence() || formats.size() == 0) {
      throw formats.error("items." + name + " must be a non-empty list of formats");
    }
    ItemType type;
    for (std::size_t i = 0; i < formats.size(); ++i) {
      const std::string f = formats.item(i).as_string();
      Format format{};
      if (f == "any") {
        type.any = true;
      } else if (format_from_name(f, format)) {
        type.formats.push_back(format);
      } else {
        throw formats.item(i).error("items." + name + ": unknown format '" + f +
                                    "' (accepted: L, B, BOOLEAN, A, J, I1, I2, I4, I8, U1, U2, "
                                    "U4, U8, F4, F8, any)");
      }
    }
    impl->items[name] = type;
  }
  items.finish();

  // Messages: "SxFy" → name, W-bit, body shape.
  const Config messages = root.section("messages");
  for (const std::string& key : messages.keys()) {
    const Config m = messages.section(key);
    unsigned stream = 0, function = 0;
    char tail = 0;
    if (std::sscanf(key.c_str(), "S%uF%u%c", &stream, &function, &tail) != 2 || stream > 127 ||
        function > 255) {
      throw m.error("message key '" + key + "' is not SxFy with x in [0, 127], y in [0, 255]");
    }
    Spec spec;
    spec.name = m.get_string("name");
    spec.reply = m.get_bool("reply", false);
    if (m.has("body")) spec.body = impl->shape_of(m.child("body"));
    m.finish();
    impl->messages[key_of(static_cast<int>(stream), static_cast<int>(function))] = std::move(spec);
  }
  messages.finish();
  root.finish();
  return Dictionary(std::move(impl));
}

const Dictionary& Dictionary::builtin() {
  static const Dictionary dictionary =
      from_config(Config::parse(embedded::secs_messages(), "data/secs/messages.yaml"));
  return dictionary;
}

bool Dictionary::knows(int stream, int function) const {
  return impl_->messages.count(key_of(stream, function)) != 0;
}

std::string Dictionary::message_name(int stream, int function) const {
  const auto it = impl_->messages.find(key_of(stream, function));
  return it == impl_->messages.end() ? "" : it->second.name;
}

std::string Dictionary::to_named_json(const Message& message, int indent) const {
  Json out = Json::object();
  out["message"] = message.name();
  out["W"] = message.reply_expected;
  const auto it = impl_->messages.find(key_of(message.stream, message.function));
  if (it == impl_->messages.end()) {
    if (message.body) out["item"] = detail::item_to_json_value(*message.body);
    return out.dump(indent);
  }
  const Spec& spec = it->second;
  out["name"] = spec.name;
  const std::string path = message.name() + " body";
  if (!spec.body) {
    if (message.body) throw std::invalid_argument(path + ": " + message.name() + " has no body");
    return out.dump(indent);
  }
  if (!message.body) throw std::invalid_argument(path + ": missing");
  const Shape& shape = *spec.body;
  Json value = impl_->value_of(shape, *message.body, path);
  // The body is always an object: an unnamed list's members, or {key: value}.
  if (shape.kind == Shape::Kind::list && shape.name.empty()) {
    out["body"] = std::move(value);
  } else {
    out["body"] = Json{{shape.name, std::move(value)}};
  }
  return out.dump(indent);
}

Message Dictionary::from_named_json(std::string_view text) const {
  Json in;
  try {
    in = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    throw std::invalid_argument(std::string("invalid JSON: ") + e.what());
  }
  if (!in.is_object() || !in.contains("message") || !in["message"].is_string()) {
    throw std::invalid_argument("$: expected {\"message\": \"SxFy\", ...}");
  }
  for (const auto& entry : in.items()) {
    const std::string& k = entry.key();
    if (k != "message" && k != "W" && k != "name" && k != "body" && k != "item") {
      throw std::invalid_argument("$: unknown key \"" + k +
                                  "\" (accepted: message, W, name, body, item)");
    }
  }
  Message m;
  const std::string name = in["message"].get<std::string>();
  const Message parsed_header = [&] {
    unsigned stream = 0, function = 0;
    char tail = 0;
    if (std::sscanf(name.c_str(), "S%uF%u%c", &stream, &function, &tail) != 2 || stream > 127 ||
        function > 255) {
      throw std::invalid_argument("$.message = \"" + name +
                                  "\" is not SxFy with x in [0, 127], y in [0, 255]");
    }
    Message h;
    h.stream = static_cast<std::uint8_t>(stream);
    h.function = static_cast<std::uint8_t>(function);
    return h;
  }();
  m.stream = parsed_header.stream;
  m.function = parsed_header.function;
  const auto it = impl_->messages.find(key_of(m.stream, m.function));
  m.reply_expected = it != impl_->messages.end() && it->second.reply;
  if (in.contains("W")) {
    if (!in["W"].is_boolean())
      throw std::invalid_argument("$.W = " + show(in["W"]) + " is not a boolean");
    m.reply_expected = in["W"].get<bool>();
  }
  if (in.contains("item")) {
    if (in.contains("body")) throw std::invalid_argument("$: give \"body\" or \"item\", not both");
    m.body = detail::item_from_json_value(in["item"], "$.item");
    check(m);
    return m;
  }
  const std::string path = m.name() + " body";
  if (it == impl_->messages.end()) {
    if (in.contains("body")) {
      throw std::invalid_argument(path + ": " + m.name() +
                                  " is not in the dictionary; give its body as \"item\" "
                                  "(tagged JSON)");
    }
    return m;
  }
  const Spec& spec = it->second;
  if (!spec.body) {
    if (in.contains("body") && !in["body"].is_null()) {
      throw std::invalid_argument(path + ": " + m.name() + " has no body");
    }
    return m;
  }
  if (!in.contains("body")) throw std::invalid_argument(path + ": missing");
  const Json& body = in["body"];
  const Shape& shape = *spec.body;
  if (shape.kind == Shape::Kind::list && shape.name.empty()) {
    m.body = impl_->item_of(shape, body, path);
  } else {
    if (!body.is_object() || body.size() != 1 || !body.contains(shape.name)) {
      throw std::invalid_argument(path + " = " + show(body) + " is not {\"" + shape.name +
                                  "\": ...}");
    }
    m.body = impl_->item_of(shape, body[shape.name], path + "." + shape.name);
  }
  return m;
}

void Dictionary::check(const Message& message) const { (void)to_named_json(message); }

}  // namespace psw::mes
