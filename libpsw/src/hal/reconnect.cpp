#include <algorithm>

#include <psw/core/error.hpp>
#include <psw/hal/reconnect.hpp>

namespace psw::hal {

void BackoffOptions::validate() const {
  require_in_range("backoff.initial_s", initial_s, Range::open_closed(0, 60));
  require_in_range("backoff.factor", factor, Range::closed(1, 10));
  require_in_range("backoff.max_s", max_s, Range::closed(initial_s, 600));
  require_in_range("backoff.max_attempts", max_attempts, Range::closed(1, 1000));
}

ReconnectingTransport::ReconnectingTransport(Connector connect, Clock& clock,
                                             BackoffOptions backoff,
                                             std::unique_ptr<Transport> link)
    : connect_(std::move(connect)), clock_(&clock), backoff_(backoff), link_(std::move(link)) {
  backoff_.validate();
  if (link_) last_description_ = link_->describe();
}

std::string ReconnectingTransport::describe() const {
  return link_ ? link_->describe() : last_description_;
}

Status ReconnectingTransport::reconnect() {
  // Attempt at once, then after waits growing by `factor` up to `max_s`.
  link_.reset();
  double wait_s = backoff_.initial_s;
  std::string last_error;
  for (int attempt = 1; attempt <= backoff_.max_attempts; ++attempt) {
    if (attempt > 1) {
      waits_s_.push_back(wait_s);
      clock_->sleep_for(wait_s);
      wait_s = std::min(wait_s * backoff_.factor, backoff_.max_s);
    }
    auto fresh = connect_();
    if (fresh) {
      link_ = std::move(fresh.value());
      last_description_ = link_->describe();
      ++reconnects_;
      if (on_reconnect_) on_reconnect_();
      return done();
    }
    last_error = fresh.error().message;
  }
  return make_error(ErrorKind::transport,
                    "link lost; " + std::to_string(backoff_.max_attempts) +
                        " reconnect attempts failed, the last: " + last_error);
}

Status ReconnectingTransport::write(std::string_view bytes) {
  if (!is_open())
    if (auto s = reconnect(); !s) return s;
  return link_->write(bytes);
}

Result<std::string> ReconnectingTransport::read_some(double timeout_s) {
  if (!is_open()) return make_error(ErrorKind::transport, describe() + ": read on a dropped link");
  return link_->read_some(timeout_s);
}

void ReconnectingTransport::close() {
  if (link_) link_->close();
}

}  // namespace psw::hal
