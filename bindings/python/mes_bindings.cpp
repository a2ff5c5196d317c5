// psw.mes: SECS-II items between bytes, tagged JSON text and SML (the C++ psw::mes API).
// Items cross the boundary as tagged JSON text; psw/mes.py turns that into Python objects.
#include <string>

#include <psw/mes/dictionary.hpp>
#include <psw/mes/item.hpp>
#include <psw/mes/json.hpp>
#include <psw/mes/sml.hpp>

#include "bindings.hpp"

namespace py = pybind11;

namespace psw::python {

void bind_mes(py::module_& m) {
  m.def(
      "encode_json",
      [](const std::string& json) {
        const auto bytes = mes::encode(mes::item_from_json(json));
        return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      },
      py::arg("json"),
      "SECS-II bytes of the item given as tagged JSON text. Raises ValueError naming the JSON "
      "path of a value that fits no format.");
  m.def(
      "decode_json",
      [](const py::bytes& data, std::size_t max_bytes, std::size_t max_depth, int indent) {
        const std::string_view view = data;
        mes::DecodeOptions options;
        options.max_bytes = max_bytes;
        options.max_depth = max_depth;
        const auto item =
            mes::decode({reinterpret_cast<const std::uint8_t*>(view.data()), view.size()}, options);
        return mes::to_json(item, indent);
      },
      py::arg("data"), py::arg("max_bytes") = mes::DecodeOptions{}.max_bytes,
      py::arg("max_depth") = mes::DecodeOptions{}.max_depth, py::arg("indent") = -1,
      "Tagged JSON text of the one item that fills `data`. Raises ValueError naming the byte "
      "offset and the reason for malformed bytes.");
  m.def(
      "json_to_sml",
      [](const std::string& json, int indent) {
        return mes::to_sml(mes::item_from_json(json), indent);
      },
      py::arg("json"), py::arg("indent") = 2, "SML text of an item given as tagged JSON text.");
  m.def(
      "sml_to_json",
      [](const std::string& sml, const std::string& source) {
        return mes::to_json(mes::parse_sml_item(sml, source));
      },
      py::arg("sml"), py::arg("source") = "<sml>",
      "Tagged JSON text of an item given in SML. Raises ValueError 'source:line:column: …'.");
  m.def(
      "named_json_to_sml",
      [](const std::string& json, int indent) {
        return mes::to_sml(mes::Dictionary::builtin().from_named_json(json), indent);
      },
      py::arg("json"), py::arg("indent") = 2,
      "SML of a message written in the named JSON view (data/secs/messages.yaml).");
  m.def(
      "sml_to_named_json",
      [](const std::string& sml, const std::string& source) {
        return mes::Dictionary::builtin().to_named_json(mes::parse_sml_message(sml, source));
      },
      py::arg("sml"), py::arg("source") = "<sml>",
      "The named JSON view of a message given in SML (`S1F13 W <L>.`).");
}

}  // namespace psw::python
