// psw.stage: piezo stage axes, their servo, analysis and the placement budget.
#include "bindings.hpp"

#include <psw/stage/analysis.hpp>
#include <psw/stage/hysteresis.hpp>
#include <psw/stage/placement.hpp>
#include <psw/stage/stage_case.hpp>
#include <psw/stage/stage_config.hpp>
#include <psw/stage/xyz_stage.hpp>

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <vector>

namespace py = pybind11;

namespace psw::python {
namespace {

using namespace psw::stage;

py::array_t<double> array(const std::vector<double>& v) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
}

void bind_params(py::module_& m) {
  py::enum_<HysteresisKind>(m, "HysteresisKind")
      .value("none", HysteresisKind::none)
      .value("bouc_wen", HysteresisKind::bouc_wen)
      .value("prandtl_ishlinskii", HysteresisKind::prandtl_ishlinskii);

  py::class_<HigherMode>(m, "HigherMode", "A higher mode, unloaded frequency (Hz), ζ, share.")
      .def(py::init<>())
      .def_readwrite("frequency_Hz", &HigherMode::frequency_Hz)
      .def_readwrite("damping_ratio", &HigherMode::damping_ratio)
      .def_readwrite("share", &HigherMode::share);

  py::class_<FlexureParams>(m, "FlexureParams", "Flexure modes: k (N/m), m_eff and m_L (kg), ζ.")
      .def(py::init<>())
      .def_readwrite("stiffness_N_per_m", &FlexureParams::stiffness_N_per_m)
      .def_readwrite("effective_mass_kg", &FlexureParams::effective_mass_kg)
      .def_readwrite("payload_mass_kg", &FlexureParams::payload_mass_kg)
      .def_readwrite("damping_ratio", &FlexureParams::damping_ratio)
      .def_readwrite("higher_modes", &FlexureParams::higher_modes)
      .def("unloaded_resonance_Hz", &FlexureParams::unloaded_resonance_Hz)
      .def("loaded_resonance_Hz", &FlexureParams::loaded_resonance_Hz);

  py::class_<CreepParams>(m, "CreepParams", "Logarithmic creep: γ per decade from t₀ = 0.1 s.")
      .def(py::init<>())
      .def_readwrite("gamma_per_decade", &CreepParams::gamma_per_decade)
      .def_readwrite("reference_time_s", &CreepParams::reference_time_s)
      .def_readwrite("shortest_s", &CreepParams::shortest_s)
      .def_readwrite("longest_s", &CreepParams::longest_s)
      .def_readwrite("per_decade", &CreepParams::per_decade);

  py::class_<ServoParams>(m, "ServoParams", "Servo rate (Hz), gains, notch, slew, ONT? window.")
      .def(py::init<>())
      .def_readwrite("rate_Hz", &ServoParams::rate_Hz)
      .def_readwrite("integral_crossover_Hz", &ServoParams::integral_crossover_Hz)
      .def_readwrite("proportional_gain", &ServoParams::proportional_gain)
      .def_readwrite("derivative_time_s", &ServoParams::derivative_time_s)
      .def_readwrite("notch_enabled", &ServoParams::notch_enabled)
      .def_readwrite("irc_enabled", &ServoParams::irc_enabled)
      .def_readwrite("irc_feedthrough", &ServoParams::irc_feedthrough)
      .def_readwrite("irc_gain_per_s", &ServoParams::irc_gain_per_s)
      .def_readwrite("slew_rate_m_per_s", &ServoParams::slew_rate_m_per_s)
      .def_readwrite("window_m", &ServoParams::window_m)
      .def_readwrite("settle_time_s", &ServoParams::settle_time_s);

  py::class_<AxisParams>(m, "AxisParams", "One axis' parameters, SI units (see axis.hpp).")
      .def(py::init<>())
      .def_readwrite("name", &AxisParams::name)
      .def_readwrite("travel_m", &AxisParams::travel_m)
      .def_readwrite("gain_m_per_V", &AxisParams::gain_m_per_V)
      .def_readwrite("flexure", &AxisParams::flexure)
      .def_readwrite("creep", &AxisParams::creep)
      .def_readwrite("hysteresis", &AxisParams::hysteresis)
      .def_readwrite("servo", &AxisParams::servo)
      .def("validate", &AxisParams::validate);

  py::class_<XyzParams>(m, "XyzParams", "A stage: 1–3 axes and their cross-coupling matrix.")
      .def(py::init<>())
      .def_readwrite("name", &XyzParams::name)
      .def_readwrite("axes", &XyzParams::axes)
      .def_readwrite("coupling", &XyzParams::coupling)
      .def("axis_index", &XyzParams::axis_index, py::arg("name"));

  m.def("load_stage_file", &load_stage_file, py::arg("path"), "A stage file (data/stages/*.yaml).");
  m.def("stage_from_config", &stage_from_config, py::arg("stage"),
        "XyzParams from the Config map under `stage:`.");
}

void bind_models(py::module_& m) {
  py::class_<BoucWen>(m, "BoucWen", "Bouc–Wen hysteresis, u (V) → free stroke p (m).")
      .def(py::init([](double alpha, double beta_per_V, double gamma_per_V, double gain_m_per_V) {
             return BoucWen({alpha, beta_per_V, gamma_per_V}, gain_m_per_V);
           }),
           py::arg("alpha"), py::arg("beta_per_V"), py::arg("gamma_per_V"), py::arg("gain_m_per_V"))
      .def("update", &BoucWen::update, py::arg("u_V"))
      .def("reset", &BoucWen::reset);

  py::class_<BoucWenInverse>(m, "BoucWenInverse",
                             "The exact Bouc–Wen inverse: wanted stroke p (m) → voltage u (V).")
      .def(py::init([](double alpha, double beta_per_V, double gamma_per_V, double gain_m_per_V) {
             return BoucWenInverse({alpha, beta_per_V, gamma_per_V}, gain_m_per_V);
           }),
           py::arg("alpha"), py::arg("beta_per_V"), py::arg("gamma_per_V"), py::arg("gain_m_per_V"))
      .def("update", &BoucWenInverse::update, py::arg("stroke_m"))
      .def("reset", &BoucWenInverse::reset);

  m.def("irc_damping", &irc_damping, py::arg("omega_rad_per_s"), py::arg("zeta"),
        py::arg("feedthrough"), py::arg("gain_per_s"),
        "Damping of the resonant pair of the IRC inner loop for one mode (servo.hpp).");
  m.def("irc_best_gain", &irc_best_gain, py::arg("omega_rad_per_s"), py::arg("zeta"),
        py::arg("feedthrough"), "The IRC gain that damps one mode most.");

  py::class_<PrandtlIshlinskii>(m, "PrandtlIshlinskii", "Weighted play operators and inverse.")
      .def(py::init([](std::vector<double> thresholds_V, std::vector<double> weights) {
             return PrandtlIshlinskii({std::move(thresholds_V), std::move(weights)});
           }),
           py::arg("thresholds_V"), py::arg("weights"))
      .def("update", &PrandtlIshlinskii::update, py::arg("u"))
      .def("reset", &PrandtlIshlinskii::reset)
      .def("inverse", &PrandtlIshlinskii::inverse)
      .def("max_slope", &PrandtlIshlinskii::max_slope);

  py::enum_<MoveStatus>(m, "MoveStatus")
      .value("accepted", MoveStatus::accepted)
      .value("out_of_limits", MoveStatus::out_of_limits);

  py::class_<Axis>(m, "Axis", R"doc(
One piezo axis advanced in servo periods: step(dt_s) runs the whole periods in dt_s. Pure model:
no clock, no I/O. Noise from RngStream(seed).)doc")
      .def(py::init(
               [](const AxisParams& p, std::uint64_t seed) { return Axis(p, RngStream(seed)); }),
           py::arg("params"), py::arg("seed") = 1)
      .def("set_servo", &Axis::set_servo, py::arg("on"))
      .def("move_to", &Axis::move_to, py::arg("target_m"))
      .def("set_voltage", &Axis::set_voltage, py::arg("voltage_V"))
      .def("halt", &Axis::halt)
      .def("set_slew_rate", &Axis::set_slew_rate, py::arg("m_per_s"))
      .def("tick", &Axis::tick)
      .def("step", &Axis::step, py::arg("dt_s"))
      .def_property_readonly("time_s", &Axis::time_s)
      .def_property_readonly("position_m", &Axis::position_m)
      .def_property_readonly("sensor_m", &Axis::sensor_m)
      .def_property_readonly("voltage_V", &Axis::voltage_V)
      .def_property_readonly("target_m", &Axis::target_m)
      .def_property_readonly("on_target", &Axis::on_target)
      .def_property_readonly("period_s", &Axis::period_s);

  py::class_<XyzStage>(m, "XyzStage", "Axes on one platform with cross-coupling.")
      .def(py::init<const XyzParams&, std::uint64_t>(), py::arg("params"), py::arg("seed") = 1)
      .def("__len__", &XyzStage::size)
      .def("axis", py::overload_cast<std::size_t>(&XyzStage::axis),
           py::return_value_policy::reference_internal, py::arg("index"))
      .def("set_servo", &XyzStage::set_servo, py::arg("on"))
      .def("move_to", &XyzStage::move_to, py::arg("targets_m"))
      .def_property_readonly("on_target", &XyzStage::on_target)
      .def("tick", &XyzStage::tick)
      .def("step", &XyzStage::step, py::arg("dt_s"))
      .def_property_readonly("time_s", &XyzStage::time_s);
}

void bind_analysis(py::module_& m) {
  py::class_<StepMetrics>(m, "StepMetrics")
      .def_readonly("rise_time_s", &StepMetrics::rise_time_s)
      .def_readonly("peak_time_s", &StepMetrics::peak_time_s)
      .def_readonly("overshoot", &StepMetrics::overshoot)
      .def_readonly("settling_time_s", &StepMetrics::settling_time_s)
      .def_readonly("final_error_m", &StepMetrics::final_error_m)
      .def_readonly("settled", &StepMetrics::settled);

  py::class_<StepResponse>(m, "StepResponse", "A closed-loop step: traces (NumPy) and metrics.")
      .def_property_readonly("time_s", [](const StepResponse& r) { return array(r.time_s); })
      .def_property_readonly("position_m",
                             [](const StepResponse& r) { return array(r.position_m); })
      .def_property_readonly("sensor_m", [](const StepResponse& r) { return array(r.sensor_m); })
      .def_property_readonly("voltage_V", [](const StepResponse& r) { return array(r.voltage_V); })
      .def_property_readonly("on_target",
                             [](const StepResponse& r) {
                               return std::vector<bool>(r.on_target.begin(), r.on_target.end());
                             })
      .def_readonly("metrics", &StepResponse::metrics)
      .def_readonly("on_target_time_s", &StepResponse::on_target_time_s)
      .def_readonly("start_m", &StepResponse::start_m)
      .def_readonly("target_m", &StepResponse::target_m);

  py::class_<BodeData>(m, "BodeData", "Plant and closed-loop frequency response (dB, degrees).")
      .def_property_readonly("frequency_Hz",
                             [](const BodeData& b) { return array(b.frequency_Hz); })
      .def_property_readonly("plant_magnitude_dB",
                             [](const BodeData& b) { return array(b.plant_magnitude_dB); })
      .def_property_readonly("plant_phase_deg",
                             [](const BodeData& b) { return array(b.plant_phase_deg); })
      .def_property_readonly("closed_magnitude_dB",
                             [](const BodeData& b) { return array(b.closed_magnitude_dB); })
      .def_property_readonly("closed_phase_deg",
                             [](const BodeData& b) { return array(b.closed_phase_deg); })
      .def_readonly("bandwidth_Hz", &BodeData::bandwidth_Hz)
      .def_readonly("peak_dB", &BodeData::peak_dB);

  m.def("step_response", &step_response, py::arg("params"), py::arg("start_m"), py::arg("step_m"),
        py::arg("duration_s"), py::arg("hold_s") = 0.01, py::arg("seed") = 1,
        "Closed-loop step of one axis: hold start_m for hold_s, then step by step_m.");
  m.def("bode", &bode, py::arg("params"), py::arg("f_min_Hz"), py::arg("f_max_Hz"),
        py::arg("points") = 200, "Plant and closed-loop frequency response, log-spaced.");
  m.def("closed_loop_spectral_radius", &closed_loop_spectral_radius, py::arg("params"),
        "< 1 when the linearised closed loop is stable.");
}

void bind_placement(py::module_& m) {
  py::enum_<ErrorDistribution>(m, "ErrorDistribution")
      .value("gaussian", ErrorDistribution::gaussian)
      .value("uniform", ErrorDistribution::uniform);

  py::class_<ErrorTerm>(m, "ErrorTerm", "A zero-mean part: σ (gaussian) or half-width (uniform).")
      .def(py::init([](ErrorDistribution d, double scale) {
             return ErrorTerm{d, scale};
           }),
           py::arg("distribution") = ErrorDistribution::gaussian, py::arg("scale") = 0.0)
      .def_readwrite("distribution", &ErrorTerm::distribution)
      .def_readwrite("scale", &ErrorTerm::scale)
      .def("sigma", &ErrorTerm::sigma);

  py::class_<PlacementBudget>(m, "PlacementBudget", "Parts of the placement error, SI units.")
      .def(py::init<>())
      .def_readwrite("stage_m", &PlacementBudget::stage_m)
      .def_readwrite("stage_samples_m", &PlacementBudget::stage_samples_m)
      .def_readwrite("drift_rate_m_per_s", &PlacementBudget::drift_rate_m_per_s)
      .def_readwrite("deposition_time_s", &PlacementBudget::deposition_time_s)
      .def_readwrite("landing_m", &PlacementBudget::landing_m)
      .def_readwrite("tolerance_m", &PlacementBudget::tolerance_m)
      .def_readwrite("samples", &PlacementBudget::samples)
      .def_readwrite("seed", &PlacementBudget::seed);

  py::class_<PlacementResult>(m, "PlacementResult")
      .def_readonly("mean_m", &PlacementResult::mean_m)
      .def_readonly("sigma_m", &PlacementResult::sigma_m)
      .def_readonly("p_within_axis", &PlacementResult::p_within_axis)
      .def_readonly("p_within_radius", &PlacementResult::p_within_radius)
      .def_readonly("analytic_sigma_m", &PlacementResult::analytic_sigma_m)
      .def_readonly("analytic_p_axis", &PlacementResult::analytic_p_axis)
      .def_readonly("analytic_p_radius", &PlacementResult::analytic_p_radius)
      .def_readonly("all_gaussian", &PlacementResult::all_gaussian)
      .def_readonly("samples", &PlacementResult::samples)
      .def_property_readonly("error_x_m",
                             [](const PlacementResult& r) { return array(r.error_x_m); })
      .def_property_readonly("error_y_m",
                             [](const PlacementResult& r) { return array(r.error_y_m); });

  m.def("placement_monte_carlo", &placement_monte_carlo, py::arg("budget"),
        "Monte Carlo of the deposit's offset: 1σ and P(|e| ≤ tolerance).");
  m.def("settled_stage_errors", &settled_stage_errors, py::arg("params"), py::arg("moves"),
        py::arg("dwell_s") = 1e-3, py::arg("seed") = 1,
        "Position − target after ONT? for random closed-loop moves (m).");

  py::class_<MoveRecord>(m, "MoveRecord")
      .def_readonly("target_m", &MoveRecord::target_m)
      .def_readonly("reached", &MoveRecord::reached)
      .def_readonly("on_target_time_s", &MoveRecord::on_target_time_s)
      .def_readonly("error_m", &MoveRecord::error_m);

  py::class_<StageCaseResult>(m, "StageCaseResult", "What `psw stage CASE.yaml` computed.")
      .def_readonly("analysis", &StageCaseResult::analysis)
      .def_readonly("stage", &StageCaseResult::stage)
      .def_readonly("axis", &StageCaseResult::axis)
      .def_readonly("step", &StageCaseResult::step)
      .def_readonly("bode", &StageCaseResult::bode)
      .def_readonly("moves", &StageCaseResult::moves)
      .def_readonly("placement", &StageCaseResult::placement)
      .def_readonly("summary", &StageCaseResult::summary);
  m.def("run_stage_case", &run_stage_case, py::arg("case"),
        "Run a stage case (a Config); the twin of `psw stage CASE.yaml`.");
}

}  // namespace

void bind_stage(py::module_& m) {
  bind_params(m);
  bind_models(m);
  bind_analysis(m);
  bind_placement(m);
}

}  // namespace psw::python
