#include <psw/hal/transport.hpp>

namespace psw::hal {

Status PipeTransport::write(std::string_view bytes) {
  if (!open_) return make_error(ErrorKind::transport, "pipe: write on a closed link");

  // The server answers at once; its bytes wait in the inbox for read_some().
  inbox_ += server_->on_bytes(bytes, clock_->now_s());
  return done();
}

Result<std::string> PipeTransport::read_some(double timeout_s) {
  if (!open_) return make_error(ErrorKind::transport, "pipe: read on a closed link");
  if (inbox_.empty()) {
    // Nothing will arrive later (the server answers only on write): the wait runs out.
    clock_->sleep_for(timeout_s);
    return make_error(ErrorKind::transport,
                      "pipe: no reply within " + std::to_string(timeout_s) + " s");
  }
  std::string out;
  out.swap(inbox_);
  return out;
}

}  // namespace psw::hal
