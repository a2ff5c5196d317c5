// A reader for the few ONNX protobuf fields psw needs, from the protobuf wire format:
// each field is a varint key (field number << 3 | wire type) followed by a varint (type 0),
// 8 bytes (1), a varint length and that many bytes (2) or 4 bytes (5). Field numbers are those
// of onnx/onnx.proto (ModelProto, GraphProto, ValueInfoProto, TypeProto, TensorShapeProto).
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string_view>

#include <psw/inference/onnx_model.hpp>

namespace psw::inference {
namespace {

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One length-delimited protobuf message being read.
class Reader {
 public:
  Reader(const unsigned char* data, std::size_t size, std::size_t base)
      : p_(data), end_(data + size), base_(base), start_(data) {}

  bool done() const { return p_ >= end_; }
  std::size_t offset() const { return base_ + static_cast<std::size_t>(p_ - start_); }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) throw ParseError("varint runs past the end");
      const unsigned char b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    throw ParseError("varint longer than 10 bytes");
  }

  // Reads a key; returns the field number and sets `wire`.
  std::uint32_t key(int& wire) {
    const std::uint64_t k = varint();
    wire = static_cast<int>(k & 7);
    const auto field = static_cast<std::uint32_t>(k >> 3);
    if (field == 0) throw ParseError("field number 0");
    return field;
  }

  Reader sub() {
    const std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end_ - p_)) {
      throw ParseError("a field of " + std::to_string(n) + " bytes runs past the end");
    }
    Reader r(p_, static_cast<std::size_t>(n), offset());
    p_ += n;
    return r;
  }

  std::string string() {
    Reader r = sub();
    return std::string(reinterpret_cast<const char*>(r.p_),
                       static_cast<std::size_t>(r.end_ - r.p_));
  }

  void skip(int wire) {
    switch (wire) {
      case 0:
        varint();
        break;
      case 1:
        advance(8);
        break;
      case 2:
        sub();
        break;
      case 5:
        advance(4);
        break;
      default:
        throw ParseError("wire type " + std::to_string(wire) + " is not used by ONNX");
    }
  }

 private:
  void advance(std::size_t n) {
    if (n > static_cast<std::size_t>(end_ - p_)) throw ParseError("fixed field runs past the end");
    p_ += n;
  }
  const unsigned char* p_;
  const unsigned char* end_;
  std::size_t base_;
  const unsigned char* start_;
};

// TensorShapeProto.Dimension: dim_value = 1, dim_param = 2.
std::int64_t read_dimension(Reader r) {
  std::int64_t value = -1;
  while (!r.done()) {
    int wire = 0;
    const auto f = r.key(wire);
    if (f == 1 && wire == 0) {
      value = static_cast<std::int64_t>(r.varint());
    } else {
      r.skip(wire);
    }
  }
  return value;
}

// ValueInfoProto: name = 1, type = 2 → TypeProto.tensor_type = 1 → elem_type = 1, shape = 2
// → TensorShapeProto.dim = 1.
OnnxTensorInfo read_value_info(Reader r) {
  OnnxTensorInfo info;
  while (!r.done()) {
    int wire = 0;
    const auto f = r.key(wire);
    if (f == 1 && wire == 2) {
      info.name = r.string();
    } else if (f == 2 && wire == 2) {
      Reader type = r.sub();
      while (!type.done()) {
        int w = 0;
        if (type.key(w) == 1 && w == 2) {
          Reader tensor = type.sub();
          while (!tensor.done()) {
            int tw = 0;
            const auto tf = tensor.key(tw);
            if (tf == 1 && tw == 0) {
              info.element_type = static_cast<int>(tensor.varint());
            } else if (tf == 2 && tw == 2) {
              Reader shape = tensor.sub();
              while (!shape.done()) {
                int sw = 0;
                if (shape.key(sw) == 1 && sw == 2) {
                  info.shape.push_back(read_dimension(shape.sub()));
                } else {
                  shape.skip(sw);
                }
              }
            } else {
              tensor.skip(tw);
            }
          }
        } else {
          type.skip(w);
        }
      }
    } else {
      r.skip(wire);
    }
  }
  return info;
}

// A message's string field `field` (e.g. TensorProto.name = 8).
std::string read_string_field(Reader r, std::uint32_t field) {
  std::string s;
  while (!r.done()) {
    int wire = 0;
    if (r.key(wire) == field && wire == 2) {
      s = r.string();
    } else {
      r.skip(wire);
    }
  }
  return s;
}

// GraphProto: node = 1, initializer = 5, input = 11, output = 12.
void read_graph(Reader r, OnnxModelInfo& info) {
  std::vector<OnnxTensorInfo> inputs;
  std::set<std::string> initializers;
  while (!r.done()) {
    int wire = 0;
    const auto f = r.key(wire);
    if (f == 1 && wire == 2) {
      r.sub();
      ++info.node_count;
    } else if (f == 5 && wire == 2) {
      initializers.insert(read_string_field(r.sub(), 8));
    } else if (f == 11 && wire == 2) {
      inputs.push_back(read_value_info(r.sub()));
    } else if (f == 12 && wire == 2) {
      info.outputs.push_back(read_value_info(r.sub()));
    } else {
      r.skip(wire);
    }
  }
  for (auto& in : inputs) {
    if (!initializers.count(in.name)) info.inputs.push_back(std::move(in));
  }
}

// OperatorSetIdProto: domain = 1, version = 2.
void read_opset(Reader r, OnnxModelInfo& info) {
  std::string domain;
  std::int64_t version = 0;
  while (!r.done()) {
    int wire = 0;
    const auto f = r.key(wire);
    if (f == 1 && wire == 2) {
      domain = r.string();
    } else if (f == 2 && wire == 0) {
      version = static_cast<std::int64_t>(r.varint());
    } else {
      r.skip(wire);
    }
  }
  if (domain.empty() || domain == "ai.onnx") info.opset = version;
}

// StringStringEntryProto: key = 1, value = 2.
void read_metadata(Reader r, OnnxModelInfo& info) {
  std::string key;
  std::string value;
  while (!r.done()) {
    int wire = 0;
    const auto f = r.key(wire);
    if (f == 1 && wire == 2) {
      key = r.string();
    } else if (f == 2 && wire == 2) {
      value = r.string();
    } else {
      r.skip(wire);
    }
  }
  info.metadata[key] = value;
}

}  // namespace

OnnxModelInfo read_onnx_model_info(const std::filesystem::path& path) {
  const std::string where = "ONNX model '" + path.string() + "'";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw std::invalid_argument(where + " does not exist or is not a file");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::invalid_argument(where + " cannot be opened");
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(file)),
                                         std::istreambuf_iterator<char>());
  if (bytes.empty()) throw std::invalid_argument(where + " is empty");

  // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8,
  // metadata_props = 14.
  OnnxModelInfo info;
  info.path = path;
  bool has_graph = false;
  Reader r(bytes.data(), bytes.size(), 0);
  try {
    while (!r.done()) {
      int wire = 0;
      const auto f = r.key(wire);
      if (f == 1 && wire == 0) {
        info.ir_version = static_cast<std::int64_t>(r.varint());
      } else if (f == 2 && wire == 2) {
        info.producer = r.string();
      } else if (f == 7 && wire == 2) {
        read_graph(r.sub(), info);
        has_graph = true;
      } else if (f == 8 && wire == 2) {
        read_opset(r.sub(), info);
      } else if (f == 14 && wire == 2) {
        read_metadata(r.sub(), info);
      } else {
        r.skip(wire);
      }
    }
  } catch (const ParseError& e) {
    throw std::invalid_argument(where + " is not a readable ONNX file (truncated or corrupt: " +
                                e.what() + " near byte " + std::to_string(r.offset()) + ")");
  }
  if (!has_graph || info.ir_version <= 0 || info.ir_version > 100) {
    throw std::invalid_argument(where +
                                " is not an ONNX model (no ModelProto graph and IR "
                                "version found)");
  }
  if (info.inputs.empty() || info.outputs.empty()) {
    throw std::invalid_argument(where + " has no graph " +
                                std::string(info.inputs.empty() ? "input" : "output"));
  }
  return info;
}

}  // namespace psw::inference
