"""Sintering of nanoparticle deposits (``psw::sintering``); ``sinter()`` is the twin of
``psw sinter CASE.yaml``.

- particle scale: :func:`neck_law`, :func:`grow_neck` (surface, grain-boundary, volume
  diffusion and viscous flow), :func:`koch_friedlander_time`,
  :func:`buffat_borel_melting_point`;
- deposit scale: :class:`TemperatureHistory` (constant, ramp, table; a case's ``ttm:`` reads
  one from a ``psw ttm`` results file), :class:`Deposit`
  (master sintering curve, porosity → resistivity, time to a resistivity target);
- statistics: :class:`SinteringTimeDistribution`, :func:`calibrate_volume_distribution`.

Everything is SI (m, s, K, Ω·m); names carry the unit.
"""

from ._psw import sintering as _s
from .core import Config, load_config

ArrheniusLaw = _s.ArrheniusLaw
ConductionModel = _s.ConductionModel
Deposit = _s.Deposit
LognormalVolume = _s.LognormalVolume
MasterCurveParams = _s.MasterCurveParams
Mechanism = _s.Mechanism
NeckLaw = _s.NeckLaw
ResistivityModel = _s.ResistivityModel
SinterCase = _s.SinterCase
SinterReport = _s.SinterReport
SinteringMaterial = _s.SinteringMaterial
SinteringTimeDistribution = _s.SinteringTimeDistribution
TargetStatus = _s.TargetStatus
TemperatureHistory = _s.TemperatureHistory
TimeToTarget = _s.TimeToTarget
VolumeTimeLaw = _s.VolumeTimeLaw
buffat_borel_melting_point = _s.buffat_borel_melting_point
builtin_materials = _s.builtin_materials
calibrate_volume_distribution = _s.calibrate_volume_distribution
grow_neck = _s.grow_neck
koch_friedlander_time = _s.koch_friedlander_time
load_material = _s.load_material
mayadas_shatzkes_factor = _s.mayadas_shatzkes_factor
neck_law = _s.neck_law
run_sinter_case = _s.run_sinter_case
standard_normal_quantile = _s.standard_normal_quantile

__all__ = [
    "ArrheniusLaw", "ConductionModel", "Deposit", "LognormalVolume", "MasterCurveParams",
    "Mechanism", "NeckLaw", "ResistivityModel", "SinterCase", "SinterReport",
    "SinteringMaterial", "SinteringTimeDistribution", "TargetStatus", "TemperatureHistory",
    "TimeToTarget", "VolumeTimeLaw", "buffat_borel_melting_point", "builtin_materials",
    "calibrate_volume_distribution", "grow_neck", "koch_friedlander_time", "load_case",
    "load_material", "mayadas_shatzkes_factor", "neck_law", "run_sinter_case", "sinter",
    "standard_normal_quantile",
]


def load_case(source):
    """A :class:`SinterCase` from a case file path, a dict with a ``sinter`` key, or a Config.

    A relative ``temperature.ttm.results`` path resolves against the case file's directory
    (the working directory for a dict).
    """
    return SinterCase.from_config(load_config(source))


def sinter(case):
    """Run a sintering case (path, dict, Config or SinterCase) and return its SinterReport.

    ``report.summary()`` is the text ``psw sinter`` prints.
    """
    if not isinstance(case, SinterCase):
        case = load_case(case)
    return run_sinter_case(case)
