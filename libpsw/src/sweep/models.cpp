// The built-in sweepable models: the two-temperature model, sintering and electrospray. Each
// reports what its command prints and its results file holds, under the same names.
#include <psw/sweep/model.hpp>

#include <psw/core/config.hpp>
#include <psw/electrospray/electrospray_case.hpp>
#include <psw/sintering/sinter_case.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include <algorithm>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace psw::sweep {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double last_or_nan(const std::vector<double>& v) { return v.empty() ? kNaN : v.back(); }

Model ttm_model() {
  Model m;
  m.name = "ttm";
  m.description = "two-temperature model (psw ttm)";
  m.scalars = {"thermal.Te_max_K",
               "thermal.Tl_max_K",
               "thermal.haz.extent_m",
               "thermal.haz.lateral_extent_m",
               "thermal.haz.threshold_K",
               "thermal.haz.electron_diffusion_length_m",
               "thermal.energy.absorbed_J_per_m2",
               "thermal.energy.boundary_loss_J_per_m2",
               "thermal.energy.relative_imbalance",
               "thermal.solver.steps"};
  m.fields = {"thermal.haz.lattice_max_K", "thermal.x_m", "thermal.cell_width_m"};
  m.prepare = [](const Config& root) -> PreparedPoint {
    auto c = std::make_shared<const thermal::TtmCase>(thermal::TtmCase::from_config(root));
    return [c] {
      const thermal::TtmResult r = thermal::run_ttm(*c);
      if (!r.ok) throw std::runtime_error(r.message);
      PointOutputs out;
      out.scalars = {
          {"thermal.Te_max_K", r.haz.electron_max_K},
          {"thermal.Tl_max_K", r.haz.lattice_peak_K},
          {"thermal.haz.extent_m", r.haz.extent_m},
          {"thermal.haz.lateral_extent_m", r.haz.lateral_extent_m},
          {"thermal.haz.threshold_K", r.haz.threshold_K},
          {"thermal.haz.electron_diffusion_length_m", r.haz.electron_diffusion_length_m},
          {"thermal.energy.absorbed_J_per_m2", last_or_nan(r.energy.absorbed_J_per_m2)},
          {"thermal.energy.boundary_loss_J_per_m2",
           last_or_nan(r.energy.boundary_loss_J_per_m2)},
          {"thermal.energy.relative_imbalance", r.energy.relative_imbalance()},
          {"thermal.solver.steps", static_cast<double>(r.steps)}};
      out.fields = {{"thermal.haz.lattice_max_K", r.haz.lattice_max_K},
                    {"thermal.x_m", r.x_m},
                    {"thermal.cell_width_m", r.width_m}};
      return out;
    };
  };
  return m;
}

Model sinter_model() {
  Model m;
  m.name = "sinter";
  m.description = "sintering of one deposit (psw sinter)";
  m.scalars = {"sintering.peak_temperature_K",  "sintering.melting_point_K",
               "sintering.coalescence_time_s",  "sintering.final_density",
               "sintering.final_resistivity_ohm_m", "sintering.target_resistivity_ohm_m",
               "sintering.target_reached",      "sintering.time_to_target_s",
               "sintering.statistics.median_s", "sintering.statistics.p99_s"};
  m.fields = {"sintering.time_s", "sintering.density", "sintering.resistivity_ohm_m"};
  m.prepare = [](const Config& root) -> PreparedPoint {
    auto c = std::make_shared<const sintering::SinterCase>(sintering::SinterCase::from_config(root));
    return [c] {
      const sintering::SinterReport r = sintering::run_sinter_case(*c);
      const bool reached = r.target.status != sintering::TargetStatus::unreachable;
      PointOutputs out;
      out.scalars = {
          {"sintering.peak_temperature_K", r.peak_temperature_K},
          {"sintering.melting_point_K", r.melting_point_K},
          {"sintering.coalescence_time_s", r.coalescence_time_s},
          {"sintering.final_density", last_or_nan(r.density)},
          {"sintering.final_resistivity_ohm_m", last_or_nan(r.resistivity_ohm_m)},
          {"sintering.target_resistivity_ohm_m", r.target_resistivity_ohm_m},
          {"sintering.target_reached", reached ? 1.0 : 0.0},
          {"sintering.time_to_target_s", reached ? r.target.time_s : kNaN},
          {"sintering.statistics.median_s", r.statistics ? r.statistics->median_s : kNaN},
          {"sintering.statistics.p99_s", r.statistics ? r.statistics->p99_s : kNaN}};
      out.fields = {{"sintering.time_s", r.time_s},
                    {"sintering.density", r.density},
                    {"sintering.resistivity_ohm_m", r.resistivity_ohm_m}};
      return out;
    };
  };
  return m;
}

Model electrospray_model() {
  Model m;
  m.name = "electrospray";
  m.description = "cone-jet window, droplet flight and deposition (psw electrospray)";
  m.scalars = {"electrospray.stable",          "electrospray.onset_voltage_V",
               "electrospray.multijet_voltage_V", "electrospray.tip_field_V_per_m",
               "electrospray.landed_fraction", "electrospray.sigma_x_m",
               "electrospray.sigma_y_m",       "electrospray.radius_95_m",
               "electrospray.captured_fraction", "electrospray.fill_time_s"};
  m.fields = {"electrospray.landing_x_m", "electrospray.landing_y_m"};
  m.prepare = [](const Config& root) -> PreparedPoint {
    auto c = std::make_shared<const electrospray::ElectrosprayCase>(
        electrospray::ElectrosprayCase::from_config(root));
    return [c] {
      const electrospray::ElectrosprayReport r = electrospray::run_case(*c);
      const bool stable = r.cone_jet.status == electrospray::ConeJetStatus::stable;
      PointOutputs out;
      out.scalars = {{"electrospray.stable", stable ? 1.0 : 0.0},
                     {"electrospray.onset_voltage_V", r.cone_jet.onset_voltage_V},
                     {"electrospray.multijet_voltage_V", r.cone_jet.multijet_voltage_V},
                     {"electrospray.tip_field_V_per_m", r.cone_jet.tip_field_V_per_m}};
      const auto& s = r.spray;
      const double launched = s ? static_cast<double>(s->x_m.size()) : 0.0;
      out.scalars["electrospray.landed_fraction"] =
          s && launched > 0 ? static_cast<double>(s->landed) / launched : kNaN;
      out.scalars["electrospray.sigma_x_m"] = s ? s->sigma_x_m : kNaN;
      out.scalars["electrospray.sigma_y_m"] = s ? s->sigma_y_m : kNaN;
      out.scalars["electrospray.radius_95_m"] = s ? s->radius_95_m : kNaN;
      out.scalars["electrospray.captured_fraction"] =
          r.deposition ? r.deposition->captured_fraction : kNaN;
      out.scalars["electrospray.fill_time_s"] = r.deposition ? r.deposition->fill_time_s : kNaN;
      if (s) {
        out.fields = {{"electrospray.landing_x_m", s->x_m}, {"electrospray.landing_y_m", s->y_m}};
      } else {
        out.fields = {{"electrospray.landing_x_m", {}}, {"electrospray.landing_y_m", {}}};
      }
      return out;
    };
  };
  return m;
}

struct Registry {
  std::mutex mutex;
  std::vector<std::unique_ptr<Model>> models;
  Registry() {
    models.push_back(std::make_unique<Model>(ttm_model()));
    models.push_back(std::make_unique<Model>(sinter_model()));
    models.push_back(std::make_unique<Model>(electrospray_model()));
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void register_model(Model model) {
  if (model.name.empty() || !model.prepare) {
    throw std::invalid_argument("register_model: a model needs a name and a prepare function");
  }
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  for (auto& existing : r.models) {
    if (existing->name == model.name) {
      *existing = std::move(model);
      return;
    }
  }
  r.models.push_back(std::make_unique<Model>(std::move(model)));
}

const Model* find_model(std::string_view section) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& m : r.models) {
    if (m->name == section) return m.get();
  }
  return nullptr;
}

std::vector<const Model*> models() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<const Model*> out;
  for (const auto& m : r.models) out.push_back(m.get());
  std::sort(out.begin(), out.end(), [](const Model* a, const Model* b) { return a->name < b->name; });
  return out;
}

}  // namespace psw::sweep
