// The electrospray emitter as the simulated HV supply's load, from psw::electrospray's
// cone-jet model: I_spray(V) = I_cone-jet (the scaling law's current at the ink's flow rate)
// when V ≥ V_onset (Smith's onset voltage of the emitter), 0 below.
//
// The published scaling laws (cone_jet.hpp) give a current that depends on the ink and the
// flow rate, not on the voltage: I = f(ε)·(γKQ/ε)^½, (γKQ)^½, … The voltage enters through the
// onset only, so the load is a step at V_onset whose height is the law's current. Above the
// multi-jet or corona bound the cone-jet model no longer holds; the load keeps the cone-jet
// current there (a known simplification: real emitters draw more in multi-jet and corona).
//
// Use it through cone_jet_hv_options(), which also sets the simulator's onset_V, so the
// channel's status, arcs and trip follow the same onset.
#pragma once

#include <functional>

#include <psw/electrospray/cone_jet.hpp>
#include <psw/hal/iseg_simulator.hpp>

namespace psw::hal {

struct ConeJetLoad {
  electrospray::Ink ink;  ///< must be valid (Ink::validate)
  electrospray::EmitterGeometry emitter;
  double flow_m3_per_s = 1e-13;  ///< Q, > 0
  electrospray::ScalingLaw law = electrospray::ScalingLaw::ganan_calvo;
  electrospray::Gas gas;
};

/// I_spray(V) as described above. @throws std::invalid_argument for a bad ink, emitter or flow.
std::function<double(double)> cone_jet_spray_current(const ConeJetLoad& load);

/// `base` with onset_V and spray_current_at taken from the cone-jet load.
/// @throws std::invalid_argument for a bad load, or an onset above base.max_voltage_V.
IsegSimulatorOptions cone_jet_hv_options(const ConeJetLoad& load, IsegSimulatorOptions base = {});

}  // namespace psw::hal
