#include <cstdio>
#include <stdexcept>

#include <psw/hal/gcs_framer.hpp>

namespace psw::hal::gcs {

namespace {

std::string byte_name(unsigned char c) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", c);
  return text;
}

}  // namespace

std::string frame_command(std::string_view command) {
  if (command.find_first_of("\r\n") != std::string_view::npos)
    throw std::invalid_argument("GCS command '" + std::string(command) +
                                "' contains a line break; send one command per call");
  std::string out(command);
  out += '\n';
  return out;
}

void GcsReplyFramer::feed(std::string_view bytes) {
  if (failure_) return;
  buffer_.append(bytes);
}

std::optional<Result<Reply>> GcsReplyFramer::next() {
  if (failure_) return Result<Reply>(*failure_);

  // Scan for the end of a reply: an LF whose previous byte is not a space.
  Reply reply;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < buffer_.size(); ++i) {
    const auto c = static_cast<unsigned char>(buffer_[i]);
    if (c != '\n' && (c < 0x20 || c > 0x7E)) {
      failure_ =
          make_error(ErrorKind::protocol, "GCS reply holds byte " + byte_name(c) + " at offset " +
                                              std::to_string(i) + ", which is not printable ASCII");
      buffer_.clear();
      return Result<Reply>(*failure_);
    }
    if (c != '\n') continue;
    const bool continues = i > line_start && buffer_[i - 1] == ' ';
    reply.lines.push_back(buffer_.substr(line_start, i - line_start - (continues ? 1 : 0)));
    line_start = i + 1;
    if (!continues) {
      buffer_.erase(0, line_start);
      return Result<Reply>(std::move(reply));
    }
  }

  // Incomplete: wait for more, unless it is already too long to be a reply.
  if (buffer_.size() > kMaxReplyBytes) {
    failure_ =
        make_error(ErrorKind::protocol, "GCS reply longer than " + std::to_string(kMaxReplyBytes) +
                                            " bytes without its final LF");
    buffer_.clear();
    return Result<Reply>(*failure_);
  }
  return std::nullopt;
}

void GcsReplyFramer::reset() {
  buffer_.clear();
  failure_.reset();
}

void GcsCommandFramer::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (c == kStopByte || c == kMotionStatusByte || c == kReadyByte) {
      // Single-byte commands act at once, even in the middle of a line.
      ready_.emplace_back(c == kStopByte ? "#24" : c == kMotionStatusByte ? "#5" : "#7");
      continue;
    }
    if (c == '\n') {
      if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
      if (overflowed_) {
        overflowed_ = false;
      } else {
        ready_.push_back(buffer_);
      }
      buffer_.clear();
      continue;
    }
    if (overflowed_) continue;
    buffer_ += c;
    if (buffer_.size() > kMaxReplyBytes) {
      overflowed_ = true;
      buffer_.clear();
    }
  }
}

std::optional<std::string> GcsCommandFramer::next() {
  if (next_ready_ >= ready_.size()) {
    ready_.clear();
    next_ready_ = 0;
    return std::nullopt;
  }
  return std::move(ready_[next_ready_++]);
}

std::string error_text(int code) {
  switch (code) {
    case 0:
      return "no error";
    case 1:
      return "parameter syntax error";
    case 2:
      return "unknown command";
    case 5:
      return "move attempted with servo off";
    case 7:
      return "position out of limits";
    case 10:
      return "controller was stopped by command";
    case 15:
      return "invalid axis identifier";
    case 17:
      return "parameter out of range";
    default:
      return "unknown error";
  }
}

}  // namespace psw::hal::gcs
