"""Piezo stage dynamics, servo and the placement budget (``psw::stage``).

``run()`` is the twin of ``psw stage CASE.yaml``; ``load_stage()`` reads a stage file
(``data/stages/*.yaml``) or a dict with the same keys. Everything is in SI inside.
"""

import os

from ._psw import stage as _stage
from .core import Config, load_config

Axis = _stage.Axis
AxisParams = _stage.AxisParams
BodeData = _stage.BodeData
BoucWen = _stage.BoucWen
BoucWenInverse = _stage.BoucWenInverse
CreepParams = _stage.CreepParams
ErrorDistribution = _stage.ErrorDistribution
ErrorTerm = _stage.ErrorTerm
FlexureParams = _stage.FlexureParams
HigherMode = _stage.HigherMode
HysteresisKind = _stage.HysteresisKind
MoveStatus = _stage.MoveStatus
PlacementBudget = _stage.PlacementBudget
PlacementResult = _stage.PlacementResult
PrandtlIshlinskii = _stage.PrandtlIshlinskii
ServoParams = _stage.ServoParams
StageCaseResult = _stage.StageCaseResult
StepResponse = _stage.StepResponse
XyzParams = _stage.XyzParams
XyzStage = _stage.XyzStage
irc_best_gain = _stage.irc_best_gain
irc_damping = _stage.irc_damping
bode = _stage.bode
closed_loop_spectral_radius = _stage.closed_loop_spectral_radius
placement_monte_carlo = _stage.placement_monte_carlo
settled_stage_errors = _stage.settled_stage_errors
step_response = _stage.step_response

__all__ = ["Axis", "AxisParams", "BodeData", "BoucWen", "BoucWenInverse", "CreepParams", "ErrorDistribution",
           "ErrorTerm", "FlexureParams", "HigherMode", "HysteresisKind", "MoveStatus",
           "PlacementBudget", "PlacementResult", "PrandtlIshlinskii", "ServoParams",
           "StageCaseResult", "StepResponse", "XyzParams", "XyzStage", "bode",
           "closed_loop_spectral_radius", "irc_best_gain", "irc_damping", "load_stage", "placement_monte_carlo", "run",
           "settled_stage_errors", "step_response"]


def load_stage(source):
    """:class:`XyzParams` from a stage file path or a dict holding ``stage:``."""
    if isinstance(source, (str, os.PathLike)):
        return _stage.load_stage_file(os.fspath(source))
    root = load_config(source)
    params = _stage.stage_from_config(root.section("stage"))
    root.finish()
    return params


def run(case):
    """Run a stage case (path, dict or Config); returns a :class:`StageCaseResult`.

    The Python twin of ``psw stage CASE.yaml``: ``result.summary`` holds the lines the program
    prints, the traces and figures are in ``result.step``, ``.bode``, ``.moves`` or
    ``.placement``. A relative ``stage:`` path is read relative to the case file (relative to
    the working directory for a dict).
    """
    return _stage.run_stage_case(case if isinstance(case, Config) else load_config(case))
