// psw.electrospray: inks, the cone-jet window and scaling laws, droplet flight, the landing
// Monte Carlo, deposition, and `psw electrospray`'s Python twin. SI units throughout, as in C++.
#include <string>
#include <vector>

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <psw/electrospray/electrospray_case.hpp>

#include "bindings.hpp"

namespace py = pybind11;

namespace psw::python {
namespace {

using namespace psw::electrospray;

// A NumPy view of a vector owned by `owner` (no copy; the owner stays alive with the array).
py::array_t<double> view(const std::vector<double>& v, const py::object& owner) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data(), owner);
}

void bind_inks(py::module_& m) {
  py::class_<Nanoparticles>(m, "Nanoparticles", "Metal particles in an ink (SI units).")
      .def_readonly("material", &Nanoparticles::material)
      .def_readonly("diameter_m", &Nanoparticles::diameter_m)
      .def_readonly("volume_fraction", &Nanoparticles::volume_fraction)
      .def_readonly("density_kg_per_m3", &Nanoparticles::density_kg_per_m3);
  py::class_<Ink>(m, "Ink",
                  "An ink or liquid at `temperature_K`, SI units; `sources` says where "
                  "each value comes from.")
      .def_static("from_config", &Ink::from_config, py::arg("ink_map"))
      .def_readwrite("name", &Ink::name)
      .def_readonly("description", &Ink::description)
      .def_readonly("carrier", &Ink::carrier)
      .def_readwrite("temperature_K", &Ink::temperature_K)
      .def_readwrite("conductivity_S_per_m", &Ink::conductivity_S_per_m)
      .def_readwrite("surface_tension_N_per_m", &Ink::surface_tension_N_per_m)
      .def_readwrite("relative_permittivity", &Ink::relative_permittivity)
      .def_readwrite("viscosity_Pa_s", &Ink::viscosity_Pa_s)
      .def_readwrite("density_kg_per_m3", &Ink::density_kg_per_m3)
      .def_readwrite("vapour_pressure_Pa", &Ink::vapour_pressure_Pa)
      .def_readwrite("vapour_diffusivity_m2_per_s", &Ink::vapour_diffusivity_m2_per_s)
      .def_readwrite("solvent_molar_mass_kg_per_mol", &Ink::solvent_molar_mass_kg_per_mol)
      .def_readonly("nanoparticles", &Ink::nanoparticles)
      .def_readonly("sources", &Ink::sources)
      .def("solvent_density_kg_per_m3", &Ink::solvent_density_kg_per_m3)
      .def("charge_relaxation_time_s", &Ink::charge_relaxation_time_s)
      .def("validate", &Ink::validate)
      .def("__repr__", [](const Ink& i) { return "<psw.electrospray.Ink '" + i.name + "'>"; });
  m.def("builtin_ink_names", &builtin_ink_names, "Names of the inks compiled into psw.");
  m.def(
      "builtin_ink", [](const std::string& name) { return builtin_ink(name); }, py::arg("name"),
      "A built-in ink; ValueError naming the known inks when unknown.");
  m.def(
      "builtin_ink_yaml",
      [](const std::string& name) { return std::string(builtin_ink_yaml(name)); }, py::arg("name"));
  m.def("load_ink_file", &load_ink_file, py::arg("path"), "Read an ink file (top key `ink`).");
}

void bind_cone_jet(py::module_& m) {
  py::class_<Gas>(m, "Gas", "Still gas around the spray; defaults: air at 20 °C, 1 atm.")
      .def(py::init<>())
      .def_readwrite("temperature_K", &Gas::temperature_K)
      .def_readwrite("pressure_Pa", &Gas::pressure_Pa)
      .def_readwrite("viscosity_Pa_s", &Gas::viscosity_Pa_s)
      .def_readwrite("mean_free_path_m", &Gas::mean_free_path_m)
      .def_readwrite("molar_mass_kg_per_mol", &Gas::molar_mass_kg_per_mol)
      .def("density_kg_per_m3", &Gas::density_kg_per_m3);
  py::class_<EmitterGeometry>(m, "EmitterGeometry", "Emitter radius and tip-to-plane gap, m.")
      .def(py::init([](double radius_m, double gap_m) {
             return EmitterGeometry{radius_m, gap_m};
           }),
           py::arg("radius_m"), py::arg("gap_m"))
      .def_readwrite("radius_m", &EmitterGeometry::radius_m)
      .def_readwrite("gap_m", &EmitterGeometry::gap_m);

  m.def("taylor_onset_field", &taylor_onset_field, py::arg("surface_tension_N_per_m"),
        py::arg("radius_m"), "E_T = (2γ cos 49.29°/(ε₀ r_c))^½, V/m.");
  m.def("tip_field", &tip_field, py::arg("voltage_V"), py::arg("emitter"),
        "2V/(r_c ln(4h/r_c)), V/m.");
  m.def("onset_voltage", &onset_voltage, py::arg("surface_tension_N_per_m"), py::arg("emitter"),
        "Smith (1986): (γ r_c cos θ_T/(2ε₀))^½ ln(4h/r_c), V.");
  m.def("relative_air_density", &relative_air_density, py::arg("gas"));
  m.def("corona_onset_field", &corona_onset_field, py::arg("radius_m"), py::arg("relative_density"),
        "Peek's corona onset field of a sphere, V/m.");
  m.def("minimum_flow_rate", &minimum_flow_rate, py::arg("ink"), "γεε₀/(ρK), m³/s.");
  m.def("charge_relaxation_length", &charge_relaxation_length, py::arg("ink"),
        py::arg("flow_m3_per_s"), "r* = (Qεε₀/K)^⅓, m.");
  m.def("chen_pui_size_function", &chen_pui_size_function, py::arg("relative_permittivity"));
  py::class_<ReferenceScales>(m, "ReferenceScales", "Gañán-Calvo's I₀, Q₀, d₀.")
      .def_readonly("current_A", &ReferenceScales::current_A)
      .def_readonly("flow_m3_per_s", &ReferenceScales::flow_m3_per_s)
      .def_readonly("length_m", &ReferenceScales::length_m);
  m.def("reference_scales", &reference_scales, py::arg("ink"));
  m.def("rayleigh_charge", &rayleigh_charge, py::arg("diameter_m"),
        py::arg("surface_tension_N_per_m"), "8π(ε₀γr³)^½, C.");
  m.def("cunningham_factor", &cunningham_factor, py::arg("diameter_m"), py::arg("mean_free_path_m"),
        "Davies (1945) slip correction.");
  m.def("mechanical_mobility", &mechanical_mobility, py::arg("diameter_m"), py::arg("gas"));
  m.def("relaxation_time", &relaxation_time, py::arg("diameter_m"), py::arg("density_kg_per_m3"),
        py::arg("gas"));
  m.def("diffusion_coefficient", &diffusion_coefficient, py::arg("diameter_m"), py::arg("gas"));
  m.def("evaporation_constant", &evaporation_constant, py::arg("ink"), py::arg("gas"),
        "d²-law β, m²/s.");

  py::enum_<ScalingLaw>(m, "ScalingLaw")
      .value("fernandez_de_la_mora", ScalingLaw::fernandez_de_la_mora)
      .value("ganan_calvo", ScalingLaw::ganan_calvo)
      .value("hartman", ScalingLaw::hartman)
      .value("chen_pui", ScalingLaw::chen_pui);
  m.def("parse_scaling_law", &parse_scaling_law, py::arg("text"));
  py::class_<ScalingPrediction>(m, "ScalingPrediction")
      .def_readonly("law", &ScalingPrediction::law)
      .def_readonly("current_A", &ScalingPrediction::current_A)
      .def_readonly("jet_diameter_m", &ScalingPrediction::jet_diameter_m)
      .def_readonly("droplet_diameter_m", &ScalingPrediction::droplet_diameter_m)
      .def_readonly("droplet_charge_C", &ScalingPrediction::droplet_charge_C)
      .def_readonly("rayleigh_fraction", &ScalingPrediction::rayleigh_fraction)
      .def_readonly("in_validity_range", &ScalingPrediction::in_validity_range)
      .def_readonly("validity", &ScalingPrediction::validity)
      .def_readonly("note", &ScalingPrediction::note);
  m.def("predict", &predict, py::arg("law"), py::arg("ink"), py::arg("flow_m3_per_s"));

  py::class_<WindowOptions>(m, "WindowOptions")
      .def(py::init<>())
      .def_readwrite("multijet_voltage_ratio", &WindowOptions::multijet_voltage_ratio)
      .def_readwrite("min_flow_factor", &WindowOptions::min_flow_factor)
      .def_readwrite("check_corona", &WindowOptions::check_corona);
  py::enum_<ConeJetStatus>(m, "ConeJetStatus")
      .value("stable", ConeJetStatus::stable)
      .value("below_onset", ConeJetStatus::below_onset)
      .value("below_minimum_flow", ConeJetStatus::below_minimum_flow)
      .value("corona", ConeJetStatus::corona)
      .value("multi_jet", ConeJetStatus::multi_jet);
  py::class_<ConeJetResult>(m, "ConeJetResult")
      .def_readonly("status", &ConeJetResult::status)
      .def_readonly("reason", &ConeJetResult::reason)
      .def_readonly("voltage_V", &ConeJetResult::voltage_V)
      .def_readonly("flow_m3_per_s", &ConeJetResult::flow_m3_per_s)
      .def_readonly("onset_voltage_V", &ConeJetResult::onset_voltage_V)
      .def_readonly("multijet_voltage_V", &ConeJetResult::multijet_voltage_V)
      .def_readonly("corona_voltage_V", &ConeJetResult::corona_voltage_V)
      .def_readonly("minimum_flow_m3_per_s", &ConeJetResult::minimum_flow_m3_per_s)
      .def_readonly("tip_field_V_per_m", &ConeJetResult::tip_field_V_per_m)
      .def_readonly("taylor_field_V_per_m", &ConeJetResult::taylor_field_V_per_m)
      .def_readonly("corona_field_V_per_m", &ConeJetResult::corona_field_V_per_m)
      .def_readonly("charge_relaxation_time_s", &ConeJetResult::charge_relaxation_time_s)
      .def_readonly("prediction", &ConeJetResult::prediction)
      .def("stable", &ConeJetResult::stable);
  m.def("analyse_cone_jet", &analyse_cone_jet, py::arg("ink"), py::arg("emitter"),
        py::arg("voltage_V"), py::arg("flow_m3_per_s"), py::arg("law") = ScalingLaw::ganan_calvo,
        py::arg("gas") = Gas{}, py::arg("options") = WindowOptions{},
        "The cone-jet window at (voltage, flow) and the law's current and droplets; a point "
        "outside the window returns its reason, bad input raises ValueError.");
}

void bind_flight(py::module_& m) {
  py::enum_<EmitterShape>(m, "EmitterShape")
      .value("uniform", EmitterShape::uniform)
      .value("point", EmitterShape::point)
      .value("hyperboloid", EmitterShape::hyperboloid);
  py::class_<EmitterField>(m, "EmitterField", "Field of an emitter at V over a grounded plane.")
      .def(py::init<EmitterShape, const EmitterGeometry&, double>(), py::arg("shape"),
           py::arg("geometry"), py::arg("voltage_V"))
      .def("field", &EmitterField::field, py::arg("x"), "E at x (3 floats, m), V/m.")
      .def("potential", &EmitterField::potential, py::arg("x"))
      .def("tip_field_V_per_m", &EmitterField::tip_field_V_per_m);

  py::enum_<Integrator>(m, "Integrator")
      .value("adaptive", Integrator::adaptive)
      .value("rk4", Integrator::rk4);
  py::class_<FlightOptions>(m, "FlightOptions")
      .def(py::init<>())
      .def_readwrite("integrator", &FlightOptions::integrator)
      .def_readwrite("relative_tolerance", &FlightOptions::relative_tolerance)
      .def_readwrite("position_tolerance_m", &FlightOptions::position_tolerance_m)
      .def_readwrite("velocity_tolerance_m_per_s", &FlightOptions::velocity_tolerance_m_per_s)
      .def_readwrite("rk4_step_s", &FlightOptions::rk4_step_s)
      .def_readwrite("max_time_s", &FlightOptions::max_time_s)
      .def_readwrite("max_steps", &FlightOptions::max_steps)
      .def_readwrite("drag", &FlightOptions::drag)
      .def_readwrite("evaporation", &FlightOptions::evaporation)
      .def_readwrite("gravity", &FlightOptions::gravity)
      .def_readwrite("brownian", &FlightOptions::brownian);
  py::class_<Launch>(m, "Launch")
      .def(py::init<>())
      .def_readwrite("position_m", &Launch::position_m)
      .def_readwrite("velocity_m_per_s", &Launch::velocity_m_per_s)
      .def_readwrite("diameter_m", &Launch::diameter_m)
      .def_readwrite("charge_C", &Launch::charge_C);
  py::enum_<FlightStatus>(m, "FlightStatus")
      .value("landed", FlightStatus::landed)
      .value("returned", FlightStatus::returned)
      .value("timed_out", FlightStatus::timed_out)
      .value("step_limit", FlightStatus::step_limit);
  py::class_<FlightResult>(m, "FlightResult")
      .def_readonly("status", &FlightResult::status)
      .def_readonly("position_m", &FlightResult::position_m)
      .def_readonly("velocity_m_per_s", &FlightResult::velocity_m_per_s)
      .def_readonly("time_s", &FlightResult::time_s)
      .def_readonly("diameter_m", &FlightResult::diameter_m)
      .def_readonly("brownian_variance_m2", &FlightResult::brownian_variance_m2)
      .def_readonly("rayleigh_fraction", &FlightResult::rayleigh_fraction)
      .def_readonly("max_reynolds", &FlightResult::max_reynolds)
      .def_readonly("steps", &FlightResult::steps)
      .def_readonly("rejected_steps", &FlightResult::rejected_steps)
      .def_readonly("field_evaluations", &FlightResult::field_evaluations);
  m.def(
      "fly",
      [](const EmitterField& field, const Ink& ink, const Launch& launch, const Gas& gas,
         const FlightOptions& options) {
        return DropletFlight(field, ink, gas, options).fly(launch);
      },
      py::arg("field"), py::arg("ink"), py::arg("launch"), py::arg("gas") = Gas{},
      py::arg("options") = FlightOptions{}, "Fly one droplet to the plane z = 0.");

  py::class_<SprayLaunch>(m, "SprayLaunch")
      .def(py::init<>())
      .def_readwrite("median_diameter_m", &SprayLaunch::median_diameter_m)
      .def_readwrite("geometric_std", &SprayLaunch::geometric_std)
      .def_readwrite("rayleigh_fraction", &SprayLaunch::rayleigh_fraction)
      .def_readwrite("polarity", &SprayLaunch::polarity)
      .def_readwrite("height_m", &SprayLaunch::height_m)
      .def_readwrite("speed_m_per_s", &SprayLaunch::speed_m_per_s)
      .def_readwrite("position_spread_m", &SprayLaunch::position_spread_m)
      .def_readwrite("angle_spread_rad", &SprayLaunch::angle_spread_rad);
  py::class_<SprayOptions>(m, "SprayOptions")
      .def(py::init<>())
      .def_readwrite("droplets", &SprayOptions::droplets)
      .def_readwrite("seed", &SprayOptions::seed)
      .def_readwrite("threads", &SprayOptions::threads)
      .def_readwrite("space_charge", &SprayOptions::space_charge)
      .def_readwrite("current_A", &SprayOptions::current_A)
      .def_readwrite("space_charge_passes", &SprayOptions::space_charge_passes)
      .def_readwrite("space_charge_levels", &SprayOptions::space_charge_levels)
      .def_readwrite("space_charge_sample", &SprayOptions::space_charge_sample);
  py::class_<SprayResult>(m, "SprayResult", "Landings of a Monte Carlo; arrays are NumPy views.")
      .def_property_readonly(
          "x_m", [](py::object self) { return view(self.cast<const SprayResult&>().x_m, self); })
      .def_property_readonly(
          "y_m", [](py::object self) { return view(self.cast<const SprayResult&>().y_m, self); })
      .def_property_readonly(
          "time_s",
          [](py::object self) { return view(self.cast<const SprayResult&>().time_s, self); })
      .def_property_readonly("emitted_diameter_m",
                             [](py::object self) {
                               return view(self.cast<const SprayResult&>().emitted_diameter_m,
                                           self);
                             })
      .def_property_readonly("landing_diameter_m",
                             [](py::object self) {
                               return view(self.cast<const SprayResult&>().landing_diameter_m,
                                           self);
                             })
      .def_property_readonly("landed_mask",
                             [](const SprayResult& r) {
                               py::array_t<bool> out(static_cast<py::ssize_t>(r.status.size()));
                               auto v = out.mutable_unchecked<1>();
                               for (py::ssize_t i = 0; i < v.shape(0); ++i) {
                                 v(i) =
                                     r.status[static_cast<std::size_t>(i)] == FlightStatus::landed;
                               }
                               return out;
                             })
      .def_readonly("landed", &SprayResult::landed)
      .def_readonly("lost", &SprayResult::lost)
      .def_readonly("mean_x_m", &SprayResult::mean_x_m)
      .def_readonly("mean_y_m", &SprayResult::mean_y_m)
      .def_readonly("sigma_x_m", &SprayResult::sigma_x_m)
      .def_readonly("sigma_y_m", &SprayResult::sigma_y_m)
      .def_readonly("radius_rms_m", &SprayResult::radius_rms_m)
      .def_readonly("radius_50_m", &SprayResult::radius_50_m)
      .def_readonly("radius_95_m", &SprayResult::radius_95_m)
      .def_readonly("standard_error_m", &SprayResult::standard_error_m)
      .def_readonly("mean_time_s", &SprayResult::mean_time_s)
      .def_readonly("max_reynolds", &SprayResult::max_reynolds)
      .def_readonly("max_rayleigh_fraction", &SprayResult::max_rayleigh_fraction)
      .def_readonly("mean_steps", &SprayResult::mean_steps)
      .def_readonly("space_charge_residual", &SprayResult::space_charge_residual);
  m.def("simulate_spray", &simulate_spray, py::arg("field"), py::arg("ink"), py::arg("gas"),
        py::arg("flight"), py::arg("launch"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>(),
        "Monte Carlo of landings; droplet i uses RngStream(seed).substream(i).");
}

void bind_deposition_and_case(py::module_& m) {
  py::class_<Defect>(m, "Defect", "An open of length × width × height (m) in a line.")
      .def(py::init([](double length_m, double width_m, double height_m, double packing) {
             return Defect{length_m, width_m, height_m, packing};
           }),
           py::arg("length_m"), py::arg("width_m"), py::arg("height_m"),
           py::arg("packing_fraction") = 0.6)
      .def_readwrite("length_m", &Defect::length_m)
      .def_readwrite("width_m", &Defect::width_m)
      .def_readwrite("height_m", &Defect::height_m)
      .def_readwrite("packing_fraction", &Defect::packing_fraction)
      .def("volume_m3", &Defect::volume_m3);
  py::class_<DepositionResult>(m, "DepositionResult")
      .def_readonly("particle_volume_rate_m3_per_s",
                    &DepositionResult::particle_volume_rate_m3_per_s)
      .def_readonly("captured_fraction", &DepositionResult::captured_fraction)
      .def_readonly("deposited_volume_rate_m3_per_s",
                    &DepositionResult::deposited_volume_rate_m3_per_s)
      .def_readonly("defect_volume_m3", &DepositionResult::defect_volume_m3)
      .def_readonly("metal_volume_needed_m3", &DepositionResult::metal_volume_needed_m3)
      .def_readonly("fill_time_s", &DepositionResult::fill_time_s)
      .def_readonly("particles_per_droplet", &DepositionResult::particles_per_droplet);
  m.def("captured_fraction", &captured_fraction, py::arg("spray"), py::arg("defect"));
  m.def("particle_volume_rate", &particle_volume_rate, py::arg("ink"), py::arg("flow_m3_per_s"));
  m.def("deposition", &deposition, py::arg("ink"), py::arg("flow_m3_per_s"),
        py::arg("captured_fraction"), py::arg("defect"), py::arg("median_droplet_diameter_m"));

  py::class_<ElectrosprayCase>(m, "ElectrosprayCase")
      .def_static("from_config", &ElectrosprayCase::from_config, py::arg("config"))
      .def_readonly("ink", &ElectrosprayCase::ink)
      .def_readonly("shape", &ElectrosprayCase::shape)
      .def_readonly("emitter", &ElectrosprayCase::emitter)
      .def_readonly("voltage_V", &ElectrosprayCase::voltage_V)
      .def_readonly("flow_m3_per_s", &ElectrosprayCase::flow_m3_per_s)
      .def_readonly("law", &ElectrosprayCase::law)
      .def_readonly("gas", &ElectrosprayCase::gas)
      .def_readonly("flight", &ElectrosprayCase::flight)
      .def_readonly("monte_carlo", &ElectrosprayCase::monte_carlo)
      .def_readonly("defect", &ElectrosprayCase::defect)
      .def_readonly("source", &ElectrosprayCase::source);
  py::class_<ElectrosprayReport>(m, "ElectrosprayReport")
      .def_readonly("cone_jet", &ElectrosprayReport::cone_jet)
      .def_readonly("launch", &ElectrosprayReport::launch)
      .def_readonly("spray", &ElectrosprayReport::spray)
      .def_readonly("deposition", &ElectrosprayReport::deposition)
      .def_readonly("notes", &ElectrosprayReport::notes);
  m.def("run_case", &run_case, py::arg("case"), py::call_guard<py::gil_scoped_release>(),
        "Run a case: window, Monte Carlo, deposition (the twin of `psw electrospray`).");
  m.def("format_summary", &format_summary, py::arg("case"), py::arg("report"),
        "The one-screen summary `psw electrospray` prints.");
}

}  // namespace

void bind_electrospray(py::module_& m) {
  bind_inks(m);
  bind_cone_jet(m);
  bind_flight(m);
  bind_deposition_and_case(m);
}

}  // namespace psw::python
