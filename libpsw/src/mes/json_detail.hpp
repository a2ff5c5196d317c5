// Internal: the tagged JSON form on nlohmann::json values, shared by json.cpp and the message
// dictionary. Not installed; nlohmann stays out of the public headers.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <psw/mes/item.hpp>

namespace psw::mes::detail {

/// {"U4":[1,2]} for an item (json.hpp describes the form).
nlohmann::json item_to_json_value(const Item& item);

/// The item of a tagged JSON value; errors name `path` ("$.L[1]").
Item item_from_json_value(const nlohmann::json& value, const std::string& path);

/// One JSON value (number or decimal string) as T, range-checked; errors name `path`.
template <class T>
T integer_from_json(const nlohmann::json& value, const std::string& path);

}  // namespace psw::mes::detail
