"""The two-temperature model (``psw::thermal``); ``run_ttm`` is the twin of ``psw ttm``."""

from types import SimpleNamespace

from ._psw import thermal as _thermal
from .core import load_config

__all__ = ["run_ttm", "run_bte", "knudsen_conductivity"]

knudsen_conductivity = _thermal.knudsen_conductivity


def run_ttm(case):
    """Run a TTM case given as a path, a dict with a ``ttm`` key, or a Config.

    Returns a dict of NumPy arrays (no copies of the large fields): ``time_s``, ``x_m``,
    ``Te_K`` and ``Tl_K`` (time x cells), ``energy``, ``haz``, plus ``ok`` and ``message``.
    Bad keys or values raise ValueError naming the key; a solver failure sets ``ok`` False.
    """
    return _thermal.run_ttm(load_config(case))


def run_bte(case):
    """Solve a steady gray phonon BTE slab case (``psw bte``'s twin): a path, a dict with a
    ``bte`` key, or a Config.

    Returns an object whose attributes carry the HDF5 names: ``x_m``, ``T_K``, ``q_W_per_m2``
    (NumPy, per cell), ``flux_ratio`` (q/q_Fourier), ``flux_W_per_m2``, ``fourier_flux_W_per_m2``,
    ``casimir_flux_W_per_m2``, ``hot_jump_K``, ``cold_jump_K``, ``knudsen``, ``status``,
    ``message``, ``iterations``. Bad keys raise ValueError naming the key; non-convergence is a
    ``status``, not an exception.

    With ``transient: {initial_K, time_step_ps, steps}`` in the section the slab is stepped in
    time instead, and the attributes are ``x_m``, ``time_s``, ``T_K`` (time x cells),
    ``hot_flux_W_per_m2``, ``cold_flux_W_per_m2``, ``stored_J_per_m2``,
    ``wall_input_J_per_m2``, ``status``, ``message``, ``sweeps``, ``knudsen``.
    """
    return SimpleNamespace(**_thermal.run_bte(load_config(case)))
