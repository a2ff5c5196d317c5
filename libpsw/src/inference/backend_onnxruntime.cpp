// The ONNX Runtime engine, loaded at run time with dlopen: psw builds and runs without it.
//
// Only onnxruntime_c_api.h is needed at build time (for the OrtApi table's layout); psw never
// links against the library. Without the header (PSW_HAVE_ONNXRUNTIME_HEADERS undefined) this
// engine is compiled out and onnxruntime_status() says so.
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>

#include <psw/core/log.hpp>

#include "backends.hpp"

#ifdef PSW_HAVE_ONNXRUNTIME_HEADERS
#include <dlfcn.h>
#include <onnxruntime_c_api.h>
#endif

#ifndef PSW_ONNXRUNTIME_DEFAULT_LIBRARY
#define PSW_ONNXRUNTIME_DEFAULT_LIBRARY ""
#endif

namespace psw::inference {

#ifndef PSW_HAVE_ONNXRUNTIME_HEADERS

OnnxRuntimeStatus onnxruntime_status() {
  OnnxRuntimeStatus s;
  s.message =
      "psw was built without the ONNX Runtime C API header (onnxruntime_c_api.h); "
      "run scripts/install-deps and reconfigure, or set PSW_ONNXRUNTIME_ROOT";
  return s;
}

namespace detail {
std::unique_ptr<Backend> make_onnxruntime_backend(const ModelSpec&, int) {
  throw std::runtime_error("ONNX Runtime backend unavailable: " + onnxruntime_status().message);
}
}  // namespace detail

#else

namespace {

// The process-wide library, API table and environment (ORT wants one OrtEnv per process).
// The library is never unloaded: ORT's own threads may outlive any one session.
struct Runtime {
  OnnxRuntimeStatus status;
  const OrtApi* api = nullptr;
  OrtEnv* env = nullptr;
};

const Runtime& runtime() {
  static const Runtime rt = [] {
    Runtime r;
    r.status.compiled_in = true;

    // Where to look: the configured file only, when set; else CMake's find, then the loader.
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("PSW_ONNXRUNTIME_LIBRARY"); env && *env) {
      candidates.push_back(env);
    } else {
      if (*PSW_ONNXRUNTIME_DEFAULT_LIBRARY) candidates.push_back(PSW_ONNXRUNTIME_DEFAULT_LIBRARY);
      candidates.push_back("libonnxruntime.so.1");
      candidates.push_back("libonnxruntime.so");
    }
    std::string tried;
    for (const std::string& file : candidates) {
      void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        const char* why = dlerror();
        tried += (tried.empty() ? "" : "; ") + file + ": " + (why ? why : "not loadable");
        continue;
      }
      using GetApiBase = const OrtApiBase* (*)();
      auto get_base = reinterpret_cast<GetApiBase>(dlsym(handle, "OrtGetApiBase"));
      const OrtApiBase* base = get_base ? get_base() : nullptr;
      const OrtApi* api = base ? base->GetApi(ORT_API_VERSION) : nullptr;
      if (!api) {
        tried += (tried.empty() ? "" : "; ") + file + ": no OrtGetApiBase or API version " +
                 std::to_string(ORT_API_VERSION) + " (library " +
                 (base ? base->GetVersionString() : "unknown") + " is older than psw's header)";
        continue;
      }
      OrtEnv* env = nullptr;
      if (OrtStatus* st = api->CreateEnv(ORT_LOGGING_LEVEL_ERROR, "psw", &env)) {
        tried +=
            (tried.empty() ? "" : "; ") + file + ": CreateEnv failed: " + api->GetErrorMessage(st);
        api->ReleaseStatus(st);
        continue;
      }
      r.api = api;
      r.env = env;
      r.status.loaded = true;
      r.status.library = file;
      r.status.version = base->GetVersionString();
      log::telemetry(log::Level::debug, "onnxruntime_loaded",
                     {{"library", file}, {"version", r.status.version}});
      return r;
    }
    r.status.message = "no ONNX Runtime library loaded (" + tried + ")";
    return r;
  }();
  return rt;
}

class OnnxRuntimeBackend final : public Backend {
 public:
  OnnxRuntimeBackend(const ModelSpec& spec, int threads) : spec_(spec) {
    const Runtime& rt = runtime();
    if (!rt.status.loaded) {
      throw std::runtime_error("ONNX Runtime backend unavailable: " + rt.status.message);
    }
    api_ = rt.api;
    try {
      check(api_->CreateSessionOptions(&options_), "CreateSessionOptions");
      check(api_->SetIntraOpNumThreads(options_, threads), "SetIntraOpNumThreads");
      check(api_->SetInterOpNumThreads(options_, 1), "SetInterOpNumThreads");
      check(api_->SetSessionGraphOptimizationLevel(options_, ORT_ENABLE_ALL),
            "SetSessionGraphOptimizationLevel");
      if (OrtStatus* st = api_->CreateSession(rt.env, spec.path.c_str(), options_, &session_)) {
        const std::string why = api_->GetErrorMessage(st);
        api_->ReleaseStatus(st);
        throw std::invalid_argument("ONNX Runtime cannot load ONNX model '" + spec.path.string() +
                                    "': " + why);
      }
      check(api_->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &memory_),
            "CreateCpuMemoryInfo");
    } catch (...) {
      release();  // the destructor does not run for a constructor that throws
      throw;
    }
  }

  ~OnnxRuntimeBackend() override { release(); }
  OnnxRuntimeBackend(const OnnxRuntimeBackend&) = delete;
  OnnxRuntimeBackend& operator=(const OnnxRuntimeBackend&) = delete;

  std::string_view name() const override { return "onnxruntime"; }

  std::vector<float> run(const float* batch, std::size_t n) override {
    const auto shape = detail::input_shape(spec_, n);
    const std::size_t count = n * static_cast<std::size_t>(shape[1] * shape[2] * shape[3]);

    // Wrap the caller's floats (ORT does not write to inputs), run, copy the logits out.
    OrtValue* input = nullptr;
    check(api_->CreateTensorWithDataAsOrtValue(memory_, const_cast<float*>(batch),
                                               count * sizeof(float), shape.data(), shape.size(),
                                               ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &input),
          "CreateTensorWithDataAsOrtValue");
    const char* in_name = spec_.onnx.inputs[0].name.c_str();
    const char* out_name = spec_.onnx.outputs[0].name.c_str();
    OrtValue* output = nullptr;
    OrtStatus* st = api_->Run(session_, nullptr, &in_name, &input, 1, &out_name, 1, &output);
    api_->ReleaseValue(input);
    check(st, "Run");

    std::vector<float> logits;
    OrtTensorTypeAndShapeInfo* info = nullptr;
    std::size_t elements = 0;
    float* data = nullptr;
    OrtStatus* s1 = api_->GetTensorTypeAndShape(output, &info);
    OrtStatus* s2 = s1 ? nullptr : api_->GetTensorShapeElementCount(info, &elements);
    OrtStatus* s3 =
        (s1 || s2) ? nullptr : api_->GetTensorMutableData(output, reinterpret_cast<void**>(&data));
    if (!s1 && !s2 && !s3) logits.assign(data, data + elements);
    if (info) api_->ReleaseTensorTypeAndShapeInfo(info);
    api_->ReleaseValue(output);
    check(s1 ? s1 : (s2 ? s2 : s3), "reading the output tensor");
    return logits;
  }

 private:
  void check(OrtStatus* st, const char* what) {
    if (!st) return;
    const std::string why = api_->GetErrorMessage(st);
    api_->ReleaseStatus(st);
    throw std::runtime_error("ONNX Runtime " + std::string(what) + " failed for '" +
                             spec_.path.string() + "': " + why);
  }

  void release() {
    if (memory_) api_->ReleaseMemoryInfo(memory_);
    if (session_) api_->ReleaseSession(session_);
    if (options_) api_->ReleaseSessionOptions(options_);
    memory_ = nullptr;
    session_ = nullptr;
    options_ = nullptr;
  }

  ModelSpec spec_;
  const OrtApi* api_ = nullptr;
  OrtSessionOptions* options_ = nullptr;
  OrtSession* session_ = nullptr;
  OrtMemoryInfo* memory_ = nullptr;
};

}  // namespace

OnnxRuntimeStatus onnxruntime_status() { return runtime().status; }

namespace detail {
std::unique_ptr<Backend> make_onnxruntime_backend(const ModelSpec& spec, int threads) {
  return std::make_unique<OnnxRuntimeBackend>(spec, threads);
}
}  // namespace detail

#endif

}  // namespace psw::inference
