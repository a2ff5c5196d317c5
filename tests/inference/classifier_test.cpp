#include <cmath>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include <psw/inference/classifier.hpp>

using Catch::Matchers::Contains;
using psw::inference::RepairClass;

TEST_CASE("softmax with temperature matches the closed form", "[inference][classifier]") {
  // z = (0, ln 3): p = (1/4, 3/4). At T = 2, z/T = (0, ln √3): p = (1, √3)/(1 + √3).
  const float z[2] = {0.0f, static_cast<float>(std::log(3.0))};
  const auto p1 = psw::inference::softmax(z, 2, 1.0);
  CHECK(p1[0] == Approx(0.25).epsilon(1e-6));
  CHECK(p1[1] == Approx(0.75).epsilon(1e-6));
  const auto p2 = psw::inference::softmax(z, 2, 2.0);
  CHECK(p2[1] == Approx(std::sqrt(3.0) / (1.0 + std::sqrt(3.0))).epsilon(1e-6));

  // Large logits do not overflow: (1000, 1000 + ln 3) is the same as (0, ln 3).
  const float big[2] = {1000.0f, 1000.0f + static_cast<float>(std::log(3.0))};
  CHECK(psw::inference::softmax(big, 2, 1.0)[1] == Approx(0.75).epsilon(1e-4));
  REQUIRE_THROWS_WITH(psw::inference::softmax(z, 2, 0.0),
                      Contains("temperature = 0 is outside (0, inf)"));
}

TEST_CASE("the confidence threshold turns unsure answers into Uncertain",
          "[inference][classifier]") {
  psw::inference::ModelSpec spec;
  spec.classes = {"Repairable", "Scrap"};
  const float z[2] = {static_cast<float>(std::log(3.0)), 0.0f};  // p(Repairable) = 0.75
  SECTION("confidence above the threshold decides the argmax class") {
    const auto c = psw::inference::decide(z, spec, 1.0, 0.7);
    CHECK(c.decision == RepairClass::repairable);
    CHECK(c.confidence == Approx(0.75));
  }
  SECTION("below the threshold: Uncertain, the label still says what the argmax was") {
    const auto c = psw::inference::decide(z, spec, 1.0, 0.8);
    CHECK(c.decision == RepairClass::uncertain);
    CHECK(c.label == "Repairable");
  }
  SECTION("a higher temperature lowers the confidence below the same threshold") {
    // At T = 2: p = √3/(1 + √3) = 0.634 < 0.7.
    const auto c = psw::inference::decide(z, spec, 2.0, 0.7);
    CHECK(c.confidence == Approx(0.6340).epsilon(1e-4));
    CHECK(c.decision == RepairClass::uncertain);
  }
  SECTION("class names map to decisions regardless of case") {
    CHECK(psw::inference::decision_for("SCRAP") == RepairClass::scrap);
    CHECK(psw::inference::decision_for("repairable") == RepairClass::repairable);
    CHECK(psw::inference::decision_for("class2") == RepairClass::uncertain);
  }
}

TEST_CASE("a bad model file is named in the error", "[inference][classifier]") {
  const auto dir = std::filesystem::temp_directory_path() / "psw_classifier_test";
  std::filesystem::create_directories(dir);
  SECTION("missing") {
    REQUIRE_THROWS_WITH(psw::inference::load_model_spec(dir / "nope.onnx"),
                        Contains("nope.onnx' does not exist"));
  }
  SECTION("empty") {
    std::ofstream(dir / "empty.onnx").flush();
    REQUIRE_THROWS_WITH(psw::inference::load_model_spec(dir / "empty.onnx"),
                        Contains("empty.onnx' is empty"));
  }
  SECTION("not ONNX (text)") {
    std::ofstream(dir / "text.onnx") << "this is not a model\n";
    REQUIRE_THROWS_WITH(psw::inference::load_model_spec(dir / "text.onnx"),
                        Contains("text.onnx'") && Contains("ONNX"));
  }
  SECTION("truncated: a graph field longer than the file") {
    // ir_version = 7, then field 7 (graph), length 100, but only 3 bytes follow.
    std::ofstream(dir / "cut.onnx", std::ios::binary)
        << std::string("\x08\x07\x3a\x64\x0a\x01\x78", 7);
    REQUIRE_THROWS_WITH(psw::inference::load_model_spec(dir / "cut.onnx"),
                        Contains("cut.onnx' is not a readable ONNX file (truncated or corrupt"));
  }
  SECTION("unknown classifier options are refused before any file is read") {
    psw::inference::ClassifierOptions o;
    o.backend = "tensorrt";
    o.threads = 0;
    REQUIRE_THROWS_WITH(o.validate(), Contains("backend = 'tensorrt' is not one of auto, "
                                               "onnxruntime, opencv") &&
                                          Contains("threads = 0 is outside [1, 256]"));
  }
}
