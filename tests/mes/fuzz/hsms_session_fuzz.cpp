// libFuzzer target: the HSMS frame reader and session state machine on arbitrary bytes from
// the peer. The input is cut into chunks (its first byte picks the chunk size) fed to a
// selected passive session at advancing simulated times; whatever arrives, the session must
// not crash, must only answer with well-formed frames, and must never report a state that
// contradicts close_requested(). Built and run by tests/mes/fuzz/run-fuzz.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <psw/mes/hsms_frame.hpp>
#include <psw/mes/hsms_session.hpp>

namespace hsms = psw::mes::hsms;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 32;
  hsms::Session session(hsms::Mode::passive, 0);
  session.decode_options.max_bytes = 1 << 16;
  session.on_connected(0);
  session.on_bytes(hsms::encode_frame(hsms::control_frame(hsms::SType::select_req, 1)), 0);
  double now = 0;
  for (std::size_t i = 1; i < size; i += chunk) {
    const std::size_t n = i + chunk <= size ? chunk : size - i;
    now += 0.5;
    session.on_bytes({data + i, n}, now);
    session.on_time(now);
    session.take_events();

    // Everything the session says must be a complete, well-formed frame stream.
    hsms::FrameReader reader;
    reader.feed(session.take_output());
    while (reader.next()) {
    }
    if (reader.partial()) {
      std::fprintf(stderr, "hsms_session_fuzz: output ends inside a frame\n");
      std::abort();
    }
    if (session.close_requested() && session.state() != hsms::State::not_connected) {
      std::fprintf(stderr, "hsms_session_fuzz: close requested but state is connected\n");
      std::abort();
    }
    if (session.state() == hsms::State::not_connected) break;
  }
  return 0;
}
