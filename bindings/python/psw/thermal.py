"""The two-temperature model (``psw::thermal``); ``run_ttm`` is the twin of ``psw ttm``."""

from ._psw import thermal as _thermal
from .core import load_config

__all__ = ["run_ttm"]


def run_ttm(case):
    """Run a TTM case given as a path, a dict with a ``ttm`` key, or a Config.

    Returns a dict of NumPy arrays (no copies of the large fields): ``time_s``, ``x_m``,
    ``Te_K`` and ``Tl_K`` (time x cells), ``energy``, ``haz``, plus ``ok`` and ``message``.
    Bad keys or values raise ValueError naming the key; a solver failure sets ``ok`` False.
    """
    return _thermal.run_ttm(load_config(case))
