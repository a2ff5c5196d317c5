#include <psw/hal/result.hpp>

namespace psw::hal {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::none:
      return "none";
    case ErrorKind::transport:
      return "transport";
    case ErrorKind::protocol:
      return "protocol";
    case ErrorKind::device:
      return "device";
    case ErrorKind::safety:
      return "safety";
  }
  return "unknown";
}

}  // namespace psw::hal
