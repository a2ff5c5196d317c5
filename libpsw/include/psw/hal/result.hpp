// Results of talking to an instrument: a value, or an error that says what kind of thing went
// wrong, so that calling code can tell a cut cable from a refused command.
//
//   transport: the bytes did not get there or back in time (timeout, link closed, refused)
//   protocol:  bytes came back but do not parse as the protocol's reply (garbage, overlong)
//   device:    the instrument answered with its own error code (GCS `ERR?` ≠ 0, …)
//   safety:    psw refused the request before sending anything (servo off, outside travel)
//
// Expected outcomes are values, not exceptions (STYLE.md); value() on an error throws
// std::runtime_error with the message, for callers that prefer to stop there.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace psw::hal {

enum class ErrorKind { none, transport, protocol, device, safety };

/// "none", "transport", "protocol", "device" or "safety".
const char* to_string(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::none;
  int code = 0;  ///< the instrument's own code for `device` errors, else 0
  std::string message;
};

inline Error make_error(ErrorKind kind, std::string message, int code = 0) {
  return Error{kind, code, std::move(message)};
}

/// Either a value of type T or an Error whose kind is not `none`.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : error_(std::move(error)) {
    if (error_.kind == ErrorKind::none) error_.kind = ErrorKind::protocol;
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  ErrorKind kind() const { return ok() ? ErrorKind::none : error_.kind; }
  const Error& error() const { return error_; }

  /// @throws std::runtime_error "<kind> error: <message>" when this holds an error.
  const T& value() const {
    if (!ok())
      throw std::runtime_error(std::string(to_string(error_.kind)) + " error: " + error_.message);
    return *value_;
  }
  T& value() {
    static_cast<const Result&>(*this).value();
    return *value_;
  }

 private:
  std::optional<T> value_;
  Error error_;
};

/// The value of a command that returns nothing.
struct Done {};
using Status = Result<Done>;

inline Status done() { return Done{}; }

}  // namespace psw::hal
