"""The two-temperature model (``psw::thermal``); ``run_ttm`` is the twin of ``psw ttm``."""

from types import SimpleNamespace

from ._psw import thermal as _thermal
from .core import load_config

__all__ = ["run_ttm", "run_bte", "run_bte_2d", "knudsen_conductivity"]

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


def run_bte_2d(case):
    """Solve a 2-D gray phonon BTE case (``psw bte`` with a ``bte_2d`` section): a path, a dict
    with a ``bte_2d`` key, or a Config.

    Returns an object with ``x_m``, ``y_m``, ``T_K``, ``qx_W_per_m2``, ``qy_W_per_m2`` (NumPy,
    y rows by x columns), ``wall_out_W_per_m`` (a dict: the net heat per unit depth leaving
    through ``left``, ``right``, ``bottom`` and ``top``), ``sink_in_W_per_m`` (absorbed by the
    ``sinks`` regions), ``source_W_per_m``, ``knudsen``,
    ``status``, ``message`` and ``iterations``; with ``transient: {time_step_ps, steps}`` also
    ``time_s``, ``T_history_K`` (time x y x x), ``stored_J_per_m`` and ``input_J_per_m``.
    Bad keys raise ValueError naming the key; non-convergence is a ``status``.
    """
    return SimpleNamespace(**_thermal.run_bte_2d(load_config(case)))
