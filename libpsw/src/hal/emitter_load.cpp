#include <psw/hal/emitter_load.hpp>

namespace psw::hal {

std::function<double(double)> cone_jet_spray_current(const ConeJetLoad& load) {
  // The window and the law once, at the onset voltage itself: V_on and I do not depend on V.
  const double onset_V =
      electrospray::onset_voltage(load.ink.surface_tension_N_per_m, load.emitter);
  const auto at_onset = electrospray::analyse_cone_jet(load.ink, load.emitter, onset_V,
                                                       load.flow_m3_per_s, load.law, load.gas);
  const double current_A = at_onset.prediction.current_A;
  return [onset_V, current_A](double voltage_V) { return voltage_V >= onset_V ? current_A : 0.0; };
}

IsegSimulatorOptions cone_jet_hv_options(const ConeJetLoad& load, IsegSimulatorOptions base) {
  base.onset_V = electrospray::onset_voltage(load.ink.surface_tension_N_per_m, load.emitter);
  base.spray_current_at = cone_jet_spray_current(load);
  base.validate();
  return base;
}

}  // namespace psw::hal
