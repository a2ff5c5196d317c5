// Subcommands of the `psw` program. Each registers itself on the CLI11 app and returns the
// action to run after parsing; the action returns the process exit code.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace psw::cli {

using Action = std::function<int()>;

/// A registered subcommand and what to do when it was given.
struct Command {
  CLI::App* app;
  Action action;
};

/// `psw run [JOB.yaml]`: the main job (the embedded demo when no file is given).
Command add_run_command(CLI::App& app);

/// `psw ttm CASE.yaml [-o OUT.h5]`: a two-temperature-model run.
Command add_ttm_command(CLI::App& app);

/// `psw sinter CASE.yaml [-o OUT.h5]`: sintering of one deposit (psw::sintering), summary on stdout.
Command add_sinter_command(CLI::App& app);

/// `psw stage CASE.yaml [-o OUT.h5]`: stage dynamics (step, Bode, moves, placement budget).
Command add_stage_command(CLI::App& app);

/// `psw schedule [SCENARIO.yaml] [-o OUT.h5]`: scheduling policies compared over Monte Carlo lots.
Command add_schedule_command(CLI::App& app);

/// `psw electrospray CASE.yaml [-o OUT.h5]`: cone-jet window, droplet landing, deposition.
Command add_electrospray_command(CLI::App& app);

/// `psw mes encode|decode`: SECS-II items between tagged JSON, SML and hex bytes.
Command add_mes_command(CLI::App& app);

/// `psw info RESULTS.h5`: what a results file holds (attributes, datasets and shapes).
Command add_info_command(CLI::App& app);

/// `psw hal URI ACTION...`: one-off commands to a positioner or HV supply (psw::hal).
Command add_hal_command(CLI::App& app);

/// `psw sweep SWEEP.yaml -o RESULTS.h5`: a parameter sweep on threads (or MPI ranks), resumable.
Command add_sweep_command(CLI::App& app);

/// `psw twin serve`: the simulated instruments over TCP, speaking their real protocols.
Command add_twin_command(CLI::App& app);

/// `psw bte CASE.yaml [-o OUT.h5]`: steady gray phonon BTE across a slab (psw::thermal).
Command add_bte_command(CLI::App& app);

/// `psw sbom [-o FILE]`: the CycloneDX SBOM of this build (psw::io, docs/sbom.md).
Command add_sbom_command(CLI::App& app);

/// `psw synth --count N -o DIR`: synthetic defect images with masks, truth and labels.
Command add_synth_command(CLI::App& app);
/// `psw classify IMAGE... [--model M.onnx] [--backend B] [--json]`: defect classification.
Command add_classify_command(CLI::App& app);

/// `psw explain IMAGE... [--pixel-size-um X] [--json]`: defects measured and said in words.
Command add_explain_command(CLI::App& app);

}  // namespace psw::cli
