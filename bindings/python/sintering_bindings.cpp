// psw.sintering: neck growth, coalescence, melting, densification, resistivity, time to a
// resistivity target, sintering-time statistics, and `psw sinter`'s Python twin.
#include <optional>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <psw/core/config.hpp>
#include <psw/sintering/coalescence.hpp>
#include <psw/sintering/deposit.hpp>
#include <psw/sintering/neck_growth.hpp>
#include <psw/sintering/sinter_case.hpp>
#include <psw/sintering/sintering_time.hpp>
#include <psw/sintering/size_dependent_melting.hpp>

#include "bindings.hpp"

namespace py = pybind11;

namespace psw::python {
namespace {

using namespace psw::sintering;

py::array_t<double> to_array(const std::vector<double>& v) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
}

std::vector<double> from_array(
    const py::array_t<double, py::array::c_style | py::array::forcecast>& a) {
  return std::vector<double>(a.data(), a.data() + a.size());
}

void bind_material(py::module_& m) {
  py::class_<ArrheniusLaw>(m, "ArrheniusLaw", "k(T) = prefactor·exp(−Q/RT).")
      .def_readonly("prefactor", &ArrheniusLaw::prefactor)
      .def_readonly("activation_J_per_mol", &ArrheniusLaw::activation_J_per_mol)
      .def_readonly("source", &ArrheniusLaw::source)
      .def("__call__", &ArrheniusLaw::operator(), py::arg("T_K"));
  py::class_<MasterCurveParams>(m, "MasterCurveParams")
      .def_readonly("activation_J_per_mol", &MasterCurveParams::activation_J_per_mol)
      .def_readonly("ln_theta50", &MasterCurveParams::ln_theta50)
      .def_readonly("width", &MasterCurveParams::width)
      .def_readonly("green_density", &MasterCurveParams::green_density)
      .def_readonly("max_density", &MasterCurveParams::max_density)
      .def_readonly("reference_diameter_m", &MasterCurveParams::reference_diameter_m)
      .def_readonly("size_exponent", &MasterCurveParams::size_exponent)
      .def_readonly("source", &MasterCurveParams::source);
  py::class_<SinteringMaterial>(m, "SinteringMaterial",
                                "Particle-material data (SI) from data/sintering/*.yaml.")
      .def_readonly("name", &SinteringMaterial::name)
      .def_readonly("melting_point_K", &SinteringMaterial::melting_point_K)
      .def_readonly("solid_density_kg_per_m3", &SinteringMaterial::solid_density_kg_per_m3)
      .def_readonly("liquid_density_kg_per_m3", &SinteringMaterial::liquid_density_kg_per_m3)
      .def_readonly("latent_heat_J_per_kg", &SinteringMaterial::latent_heat_J_per_kg)
      .def_readonly("surface_energy_J_per_m2", &SinteringMaterial::surface_energy_J_per_m2)
      .def_readonly("bulk_resistivity_ohm_m", &SinteringMaterial::bulk_resistivity_ohm_m)
      .def_readonly("electron_mean_free_path_m", &SinteringMaterial::electron_mean_free_path_m)
      .def_readonly("grain_boundary_reflection", &SinteringMaterial::grain_boundary_reflection)
      .def_readonly("lattice_diffusion", &SinteringMaterial::lattice_diffusion)
      .def_readonly("boundary_diffusion", &SinteringMaterial::boundary_diffusion)
      .def_readonly("surface_diffusion", &SinteringMaterial::surface_diffusion)
      .def_readonly("master_curve", &SinteringMaterial::master_curve)
      .def("atomic_volume_m3", &SinteringMaterial::atomic_volume_m3)
      .def("__repr__", [](const SinteringMaterial& s) {
        return "<psw.sintering.SinteringMaterial " + s.name + ">";
      });
  m.def("load_material", &load_material, py::arg("name"),
        "A built-in material by name ('Ag', 'Cu'); ValueError for an unknown one.");
  m.def("builtin_materials", &builtin_materials);
}

void bind_particle_scale(py::module_& m) {
  py::enum_<Mechanism>(m, "Mechanism")
      .value("viscous_flow", Mechanism::viscous_flow)
      .value("volume_diffusion", Mechanism::volume_diffusion)
      .value("grain_boundary_diffusion", Mechanism::grain_boundary_diffusion)
      .value("surface_diffusion", Mechanism::surface_diffusion);
  py::class_<NeckLaw>(m, "NeckLaw", "(x/a)^n = B·t/a^m; B in m^m/s.")
      .def_readonly("n", &NeckLaw::n)
      .def_readonly("m", &NeckLaw::m)
      .def_readonly("B", &NeckLaw::B)
      .def("neck_ratio", &NeckLaw::neck_ratio, py::arg("radius_m"), py::arg("t_s"))
      .def("time_to", &NeckLaw::time_to, py::arg("radius_m"), py::arg("x_over_a"));
  m.def("neck_law", &neck_law, py::arg("material"), py::arg("mechanism"), py::arg("T_K"),
        py::arg("viscosity_Pa_s") = py::none(),
        "The neck-growth law of one mechanism at temperature T_K (K).");
  m.def(
      "grow_neck",
      [](const SinteringMaterial& material, double radius_m, const TemperatureHistory& history,
         double end_time_s, std::optional<std::vector<Mechanism>> mechanisms,
         std::optional<double> viscosity_Pa_s, double relative_tolerance, double stop_ratio) {
        NeckGrowthOptions o;
        if (mechanisms) o.mechanisms = *mechanisms;
        o.viscosity_Pa_s = viscosity_Pa_s;
        o.relative_tolerance = relative_tolerance;
        o.stop_ratio = stop_ratio;
        const NeckGrowthResult r = grow_neck(material, radius_m, history, end_time_s, o);
        py::list dominant;
        for (Mechanism d : r.dominant) dominant.append(std::string(to_string(d)));
        py::dict out;
        out["time_s"] = to_array(r.time_s);
        out["x_over_a"] = to_array(r.x_over_a);
        out["dominant"] = dominant;
        out["steps"] = r.steps;
        out["rejected"] = r.rejected;
        out["reached_stop"] = r.reached_stop;
        return out;
      },
      py::arg("material"), py::arg("radius_m"), py::arg("history"), py::arg("end_time_s"),
      py::arg("mechanisms") = py::none(), py::arg("viscosity_Pa_s") = py::none(),
      py::arg("relative_tolerance") = 1e-8, py::arg("stop_ratio") = 0.5,
      "Neck ratio x/a against time with all selected mechanisms acting together (adaptive "
      "Dormand–Prince). Returns a dict of NumPy arrays.");
  m.def("koch_friedlander_time",
        py::overload_cast<const SinteringMaterial&, double, double>(&koch_friedlander_time),
        py::arg("material"), py::arg("T_K"), py::arg("diameter_m"),
        "Coalescence time (s) with lattice self-diffusion.");
  m.def("buffat_borel_melting_point", &buffat_borel_melting_point, py::arg("material"),
        py::arg("radius_m"), "Melting point (K) of a particle of radius_m ∈ [1 nm, 1 m].");
}

void bind_deposit(py::module_& m) {
  py::class_<TemperatureHistory>(m, "TemperatureHistory",
                                 "Piecewise-linear T(t), held at the last temperature.")
      .def_static("constant", &TemperatureHistory::constant, py::arg("T_K"))
      .def_static("ramp", &TemperatureHistory::ramp, py::arg("start_K"), py::arg("end_K"),
                  py::arg("duration_s"))
      .def_static(
          "table",
          [](const py::array_t<double, py::array::c_style | py::array::forcecast>& t,
             const py::array_t<double, py::array::c_style | py::array::forcecast>& T) {
            return TemperatureHistory::table(from_array(t), from_array(T));
          },
          py::arg("time_s"), py::arg("temperature_K"))
      .def("at", &TemperatureHistory::at, py::arg("t_s"))
      .def_property_readonly(
          "times_s",
          [](const TemperatureHistory& h) {
            return to_array(std::vector<double>(h.times_s().begin(), h.times_s().end()));
          },
          "The points' times (s), from 0.")
      .def_property_readonly(
          "temperatures_K",
          [](const TemperatureHistory& h) {
            const auto T = h.temperatures_K();
            return to_array(std::vector<double>(T.begin(), T.end()));
          },
          "The points' temperatures (K).")
      .def("theta", &TemperatureHistory::theta, py::arg("t_s"), py::arg("activation_J_per_mol"),
           "Work of sintering ∫exp(−Q/RT)/T dt, s/K.")
      .def("time_to_theta", &TemperatureHistory::time_to_theta, py::arg("theta_target"),
           py::arg("activation_J_per_mol"));

  py::enum_<ConductionModel>(m, "ConductionModel")
      .value("bruggeman", ConductionModel::bruggeman)
      .value("percolation", ConductionModel::percolation);
  py::class_<ResistivityModel>(m, "ResistivityModel")
      .def(py::init<>())
      .def_readwrite("conduction", &ResistivityModel::conduction)
      .def_readwrite("percolation_threshold", &ResistivityModel::percolation_threshold)
      .def_readwrite("percolation_exponent", &ResistivityModel::percolation_exponent)
      .def_readwrite("bulk_resistivity_ohm_m", &ResistivityModel::bulk_resistivity_ohm_m)
      .def_readwrite("mean_free_path_m", &ResistivityModel::mean_free_path_m)
      .def_readwrite("reflection", &ResistivityModel::reflection)
      .def("conductance_fraction", &ResistivityModel::conductance_fraction,
           py::arg("solid_fraction"))
      .def("resistivity", &ResistivityModel::resistivity, py::arg("solid_fraction"),
           py::arg("grain_size_m"))
      .def("solid_fraction_for_resistivity", &ResistivityModel::solid_fraction_for_resistivity,
           py::arg("target_ohm_m"), py::arg("grain_size_m"));
  m.def("mayadas_shatzkes_factor", &mayadas_shatzkes_factor, py::arg("grain_size_m"),
        py::arg("mean_free_path_m"), py::arg("reflection"));

  py::enum_<TargetStatus>(m, "TargetStatus")
      .value("reached", TargetStatus::reached)
      .value("already_met", TargetStatus::already_met)
      .value("unreachable", TargetStatus::unreachable)
      .value("not_in_history", TargetStatus::not_in_history);
  py::class_<TimeToTarget>(m, "TimeToTarget")
      .def_readonly("status", &TimeToTarget::status)
      .def_readonly("time_s", &TimeToTarget::time_s)
      .def_readonly("density", &TimeToTarget::density)
      .def_readonly("theta_s_per_K", &TimeToTarget::theta_s_per_K)
      .def_readonly("message", &TimeToTarget::message);
  py::class_<Deposit>(m, "Deposit", "Densification (master sintering curve) and resistivity.")
      .def(py::init([](const SinteringMaterial& material, double particle_diameter_m,
                       double grain_size_m, std::optional<ResistivityModel> resistivity) {
             DepositOptions o = deposit_options_for(material, particle_diameter_m);
             o.grain_size_m = grain_size_m;
             if (resistivity) o.resistivity = *resistivity;
             return Deposit(material, o);
           }),
           py::arg("material"), py::arg("particle_diameter_m"), py::arg("grain_size_m") = 0.0,
           py::arg("resistivity") = py::none())
      .def_property_readonly("grain_size_m", &Deposit::grain_size_m)
      .def("density_at", &Deposit::density_at, py::arg("history"), py::arg("t_s"))
      .def("resistivity_at", &Deposit::resistivity_at, py::arg("history"), py::arg("t_s"))
      .def("resistivity_for_density", &Deposit::resistivity_for_density, py::arg("density"))
      .def("time_to_resistivity", &Deposit::time_to_resistivity, py::arg("history"),
           py::arg("target_ohm_m"))
      .def("time_to_resistivity_ratio", &Deposit::time_to_resistivity_ratio, py::arg("history"),
           py::arg("ratio") = 3.0);
}

void bind_statistics(py::module_& m) {
  m.def("standard_normal_quantile", &standard_normal_quantile, py::arg("p"));
  py::class_<LognormalVolume>(m, "LognormalVolume", "ln V ~ N(ln median_m3, sigma_ln²).")
      .def(py::init([](double median_m3, double sigma_ln) {
             LognormalVolume v{median_m3, sigma_ln};
             v.validate();
             return v;
           }),
           py::arg("median_m3"), py::arg("sigma_ln"))
      .def_readonly("median_m3", &LognormalVolume::median_m3)
      .def_readonly("sigma_ln", &LognormalVolume::sigma_ln)
      .def("quantile_m3", &LognormalVolume::quantile_m3, py::arg("p"));
  py::class_<VolumeTimeLaw>(m, "VolumeTimeLaw", "t(V) = reference_time_s·(V/V_ref)^β.")
      .def(py::init([](double reference_time_s, double reference_volume_m3, double exponent) {
             VolumeTimeLaw law{reference_time_s, reference_volume_m3, exponent};
             law.validate();
             return law;
           }),
           py::arg("reference_time_s"), py::arg("reference_volume_m3"),
           py::arg("volume_exponent") = 1.0)
      .def_readonly("reference_time_s", &VolumeTimeLaw::reference_time_s)
      .def_readonly("reference_volume_m3", &VolumeTimeLaw::reference_volume_m3)
      .def_readonly("volume_exponent", &VolumeTimeLaw::volume_exponent)
      .def("time_s", &VolumeTimeLaw::time_s, py::arg("volume_m3"))
      .def("volume_m3", &VolumeTimeLaw::volume_m3, py::arg("time_s"));
  py::class_<SinteringTimeDistribution>(m, "SinteringTimeDistribution")
      .def(py::init<LognormalVolume, VolumeTimeLaw>(), py::arg("volume"), py::arg("law"))
      .def_property_readonly("volume", &SinteringTimeDistribution::volume)
      .def_property_readonly("law", &SinteringTimeDistribution::law)
      .def("median_s", &SinteringTimeDistribution::median_s)
      .def("mean_s", &SinteringTimeDistribution::mean_s)
      .def("sigma_ln_time", &SinteringTimeDistribution::sigma_ln_time)
      .def("quantile_s", &SinteringTimeDistribution::quantile_s, py::arg("p"))
      .def(
          "sample_times",
          [](const SinteringTimeDistribution& d, std::size_t n, const RngStream& rng) {
            return to_array(d.sample_times(n, rng));
          },
          py::arg("n"), py::arg("rng"),
          "n sintering times (s), joint i drawn from rng.substream(i).");
  m.def("calibrate_volume_distribution", &calibrate_volume_distribution, py::arg("median_s"),
        py::arg("p99_s"), py::arg("law"),
        "The LognormalVolume whose sintering times have this median and P99 under `law`.");
}

void bind_case(py::module_& m) {
  py::class_<SinterCase>(m, "SinterCase")
      .def_static("from_config", &SinterCase::from_config, py::arg("config"))
      .def_readonly("material", &SinterCase::material)
      .def_readonly("particle_diameter_m", &SinterCase::particle_diameter_m)
      .def_readonly("duration_s", &SinterCase::duration_s)
      .def_readonly("history", &SinterCase::history);
  py::class_<StatisticsSummary>(m, "StatisticsSummary")
      .def_readonly("volume", &StatisticsSummary::volume)
      .def_readonly("law", &StatisticsSummary::law)
      .def_readonly("median_s", &StatisticsSummary::median_s)
      .def_readonly("p99_s", &StatisticsSummary::p99_s)
      .def_readonly("mean_s", &StatisticsSummary::mean_s)
      .def_readonly("sample_median_s", &StatisticsSummary::sample_median_s)
      .def_readonly("sample_p99_s", &StatisticsSummary::sample_p99_s)
      .def_readonly("samples", &StatisticsSummary::samples);
  py::class_<SinterReport>(m, "SinterReport")
      .def_readonly("material", &SinterReport::material)
      .def_readonly("particle_diameter_m", &SinterReport::particle_diameter_m)
      .def_readonly("grain_size_m", &SinterReport::grain_size_m)
      .def_readonly("peak_temperature_K", &SinterReport::peak_temperature_K)
      .def_readonly("melting_point_K", &SinterReport::melting_point_K)
      .def_readonly("coalescence_time_s", &SinterReport::coalescence_time_s)
      .def_property_readonly("time_s", [](const SinterReport& r) { return to_array(r.time_s); })
      .def_property_readonly("temperature_K",
                             [](const SinterReport& r) { return to_array(r.temperature_K); })
      .def_property_readonly("density", [](const SinterReport& r) { return to_array(r.density); })
      .def_property_readonly("resistivity_ohm_m",
                             [](const SinterReport& r) { return to_array(r.resistivity_ohm_m); })
      .def_readonly("bulk_resistivity_ohm_m", &SinterReport::bulk_resistivity_ohm_m)
      .def_readonly("target_resistivity_ohm_m", &SinterReport::target_resistivity_ohm_m)
      .def_readonly("target", &SinterReport::target)
      .def_readonly("statistics", &SinterReport::statistics)
      .def_property_readonly(
          "neck",
          [](const SinterReport& r) {
            // The same dict as grow_neck(): all mechanisms together over the case's duration.
            py::list dominant;
            for (Mechanism d : r.neck.dominant) dominant.append(std::string(to_string(d)));
            py::dict out;
            out["time_s"] = to_array(r.neck.time_s);
            out["x_over_a"] = to_array(r.neck.x_over_a);
            out["dominant"] = dominant;
            out["steps"] = r.neck.steps;
            out["rejected"] = r.neck.rejected;
            out["reached_stop"] = r.neck.reached_stop;
            return out;
          },
          "The neck of all mechanisms together: a dict like grow_neck()'s.")
      .def_property_readonly(
          "mechanisms",
          [](const SinterReport& r) {
            py::list out;
            for (const MechanismSummary& s : r.mechanisms) {
              py::dict d;
              d["mechanism"] = std::string(to_string(s.mechanism));
              d["n"] = s.n;
              d["m"] = s.m;
              d["B"] = s.B;
              d["time_to_neck_0p3_s"] = s.time_to_neck_0p3_s;
              out.append(d);
            }
            return out;
          },
          "Each mechanism alone at the peak temperature: n, m, B (m^m/s), time to x/a = 0.3.")
      .def("summary", &format_summary);
  m.def("run_sinter_case", &run_sinter_case, py::arg("case"));
}

}  // namespace

void bind_sintering(py::module_& m) {
  bind_material(m);
  bind_particle_scale(m);
  bind_deposit(m);
  bind_statistics(m);
  bind_case(m);
}

}  // namespace psw::python
