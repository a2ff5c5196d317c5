#include <stdexcept>
#include <string>

#include <psw/mes/hsms_frame.hpp>

namespace psw::mes::hsms {

namespace {

constexpr std::size_t kHeaderBytes = 10;

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint32_t get_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

}  // namespace

std::string stype_name(std::uint8_t stype) {
  switch (stype) {
    case 0:
      return "data";
    case 1:
      return "select.req";
    case 2:
      return "select.rsp";
    case 3:
      return "deselect.req";
    case 4:
      return "deselect.rsp";
    case 5:
      return "linktest.req";
    case 6:
      return "linktest.rsp";
    case 7:
      return "reject.req";
    case 9:
      return "separate.req";
    default:
      return "SType " + std::to_string(stype);
  }
}

Frame control_frame(SType stype, std::uint32_t system_bytes, std::uint8_t byte2, std::uint8_t byte3,
                    std::uint16_t session_id) {
  Frame f;
  f.header.session_id = session_id;
  f.header.byte2 = byte2;
  f.header.byte3 = byte3;
  f.header.stype = static_cast<std::uint8_t>(stype);
  f.header.system_bytes = system_bytes;
  return f;
}

Frame data_frame(const Message& message, std::uint16_t session_id, std::uint32_t system_bytes) {
  message.validate();
  Frame f;
  f.header.session_id = session_id;
  f.header.byte2 = static_cast<std::uint8_t>((message.reply_expected ? 0x80 : 0) | message.stream);
  f.header.byte3 = message.function;
  f.header.system_bytes = system_bytes;
  if (message.body) f.body = encode(*message.body);
  return f;
}

Message message_of(const Frame& frame, const DecodeOptions& options) {
  if (frame.header.stype != 0) {
    throw std::invalid_argument("HSMS frame is a " + stype_name(frame.header.stype) +
                                ", not a data message");
  }
  Message m;
  m.stream = frame.header.byte2 & 0x7F;
  m.reply_expected = (frame.header.byte2 & 0x80) != 0;
  m.function = frame.header.byte3;
  if (!frame.body.empty()) m.body = decode(frame.body, options);
  return m;
}

std::vector<std::uint8_t> encode_frame(const Frame& frame) {
  std::vector<std::uint8_t> out;
  out.reserve(4 + kHeaderBytes + frame.body.size());
  put_u32(out, static_cast<std::uint32_t>(kHeaderBytes + frame.body.size()));
  out.push_back(static_cast<std::uint8_t>(frame.header.session_id >> 8));
  out.push_back(static_cast<std::uint8_t>(frame.header.session_id));
  out.push_back(frame.header.byte2);
  out.push_back(frame.header.byte3);
  out.push_back(frame.header.ptype);
  out.push_back(frame.header.stype);
  put_u32(out, frame.header.system_bytes);
  out.insert(out.end(), frame.body.begin(), frame.body.end());
  return out;
}

FrameReader::FrameReader(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {
  if (max_frame_bytes < kHeaderBytes) {
    throw std::invalid_argument("FrameReader max_frame_bytes = " + std::to_string(max_frame_bytes) +
                                " is outside [10, inf)");
  }
}

void FrameReader::feed(std::span<const std::uint8_t> bytes) {
  // Drop what has been consumed before growing, so the buffer holds at most one frame plus
  // what arrived with it.
  if (start_ > 0 && start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ > 4096 && start_ * 2 > buffer_.size()) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::optional<Frame> FrameReader::next() {
  const std::size_t available = buffer_.size() - start_;
  if (available < 4) return std::nullopt;
  const std::uint8_t* p = buffer_.data() + start_;

  // Length field first: checked against [10, cap] before anything is allocated for it.
  const std::uint32_t length = get_u32(p);
  if (length < kHeaderBytes || length > max_frame_bytes_) {
    throw std::invalid_argument("HSMS stream at byte " + std::to_string(consumed_) +
                                ": message length " + std::to_string(length) + " is outside [10, " +
                                std::to_string(max_frame_bytes_) + "]");
  }
  if (available < 4 + std::size_t{length}) return std::nullopt;

  // Header, then the body as it is.
  Frame f;
  const std::uint8_t* h = p + 4;
  f.header.session_id = static_cast<std::uint16_t>((h[0] << 8) | h[1]);
  f.header.byte2 = h[2];
  f.header.byte3 = h[3];
  f.header.ptype = h[4];
  f.header.stype = h[5];
  f.header.system_bytes = get_u32(h + 6);
  f.body.assign(h + kHeaderBytes, h + length);
  start_ += 4 + std::size_t{length};
  consumed_ += 4 + std::uint64_t{length};
  return f;
}

}  // namespace psw::mes::hsms
