"""Parameter sweeps (``psw::sweep``): ``run`` is the twin of ``psw sweep``, ``load`` reads the
results file back as NumPy arrays (and a pandas DataFrame when pandas is installed)."""

import numpy as np

from ._psw import sweep as _sweep
from .core import load_config

__all__ = ["run", "load", "models", "sobol", "SweepResults"]

sobol = _sweep.sobol


def run(sweep, output, threads=None, resume=False, progress=None, max_points=0):
    """Run a sweep given as a path, a dict with a ``sweep`` key, or a Config.

    ``output`` is the HDF5 results file; its journal (``output + ".journal"``) makes every
    finished point durable, and ``resume=True`` finishes an interrupted sweep. ``threads``
    defaults to all cores. ``progress``, when given, is called with a dict (done, total, failed,
    resumed, elapsed_s, points_per_s, remaining_s) after each point. A relative ``case`` path in
    a dict is taken from the working directory.

    Returns a dict: total, computed, resumed, failed, complete, model. Bad sweep files raise
    ValueError naming the key.
    """
    return _sweep.run(load_config(sweep), str(output), threads or 0, resume, max_points,
                      progress)


def models():
    """The sweepable models: {name: {description, scalars, fields}}."""
    return _sweep.models()


class SweepResults:
    """A sweep results file: ``parameters`` and ``outputs`` map names to NumPy arrays (one value
    per point), ``ok`` is a boolean array, ``errors`` maps failed point indices to messages."""

    def __init__(self, raw):
        self.parameters = dict(raw["parameters"])
        self.outputs = dict(raw["outputs"])
        self.ok = np.asarray(raw["ok"], dtype=bool)
        self.errors = dict(raw["errors"])

    def __len__(self):
        return len(self.ok)

    def to_dataframe(self):
        """One row per point: the parameters, the outputs and ``ok``. Needs pandas."""
        try:
            import pandas as pd
        except ImportError as e:  # pandas is optional
            raise ImportError("SweepResults.to_dataframe() needs pandas "
                              "(Debian: python3-pandas)") from e
        columns = {**self.parameters, **self.outputs, "ok": self.ok}
        return pd.DataFrame(columns)


def load(path):
    """Read a sweep results file written by ``psw sweep`` or ``run``."""
    return SweepResults(_sweep.load(str(path)))
