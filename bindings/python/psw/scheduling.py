"""Repair-lot scheduling under tail latency (``psw::scheduling``).

``schedule()`` is the Python twin of ``psw schedule``: every policy on the same Monte Carlo
lots, one :class:`PolicySummary` per policy. A policy can be written in Python by subclassing
:class:`Policy` and passed to ``schedule()`` beside the built-in names::

    class Fifo(psw.scheduling.Policy):
        def name(self):
            return "my_fifo"
        def next(self, view):
            for j in range(view.size()):
                if view.state(j) == psw.scheduling.JointState.pending:
                    return psw.scheduling.Decision.run(j)
            return psw.scheduling.Decision.finish()

    psw.scheduling.schedule(policies=["fifo_wait", Fifo()], lots=100)
"""

from ._psw import scheduling as _s
from .core import Config, load_config

CellModel = _s.CellModel
Decision = _s.Decision
Event = _s.Event
EventKind = _s.EventKind
Joint = _s.Joint
JointState = _s.JointState
LimitAction = _s.LimitAction
Lot = _s.Lot
LotPlan = _s.LotPlan
LotResult = _s.LotResult
LotView = _s.LotView
LogNormal = _s.LogNormal
Policy = _s.Policy
PolicyParameters = _s.PolicyParameters
PolicySummary = _s.PolicySummary
Scenario = _s.Scenario
SinteringPredictor = _s.SinteringPredictor
default_scenario_yaml = _s.default_scenario_yaml
format_table = _s.format_table
make_policy = _s.make_policy
plan_lot = _s.plan_lot
plan_route = _s.plan_route
policy_names = _s.policy_names
run_monte_carlo = _s.run_monte_carlo
simulate_lot = _s.simulate_lot

__all__ = ["CellModel", "Decision", "Event", "EventKind", "Joint", "JointState", "LimitAction",
           "Lot", "LotPlan", "LotResult", "LotView", "LogNormal", "Policy", "PolicyParameters",
           "PolicySummary", "Scenario", "SinteringPredictor", "default_scenario_yaml",
           "format_table", "load_scenario", "make_policy", "plan_lot", "plan_route",
           "policy_names", "run_monte_carlo", "schedule", "simulate_lot"]


def load_scenario(source=None):
    """A :class:`Scenario` from a path, a dict, a Config, or the built-in default when None.

    Read as ``psw schedule`` reads it, with the physics plug-ins: ``sintering: {model:
    sintering, case: …}`` takes sintering times from the sintering module and ``cell: {stage:
    {case: …}}`` the settle time from the stage model (paths relative to the scenario file).
    ``cell.sintering_positions: 2`` lets the laser sinter one joint while the head deposits the
    next (docs/scheduling.md).
    """
    if source is None:
        return Scenario.from_config(Config.parse(default_scenario_yaml(),
                                                 "<built-in default scenario>"))
    if isinstance(source, Scenario):
        return source
    return Scenario.from_config(load_config(source))


def schedule(scenario=None, policies=None, lots=None, threads=None):
    """Compare policies over Monte Carlo lots (the twin of ``psw schedule``).

    ``policies``: built-in names and/or :class:`Policy` objects (all built-ins when None);
    ``lots`` and ``threads`` default to the scenario's ``monte_carlo`` section. A Python policy
    runs on one thread. Returns a list of :class:`PolicySummary`, in the order given.
    """
    s = load_scenario(scenario)
    if policies is None:
        policies = list(policy_names())
    if threads is None:
        threads = 1 if any(not isinstance(p, str) for p in policies) else s.monte_carlo_threads
    return run_monte_carlo(s, list(policies), lots or s.monte_carlo_lots, threads)
