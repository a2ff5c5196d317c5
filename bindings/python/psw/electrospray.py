"""Electrospray: inks, the cone-jet window, droplet flight and landing (``psw::electrospray``).

``run(case)`` is the Python twin of ``psw electrospray CASE.yaml``: it takes a case file path,
a dict with the same keys, or a :class:`psw.core.Config`, and returns an
:class:`ElectrosprayReport`; ``summary(case)`` gives the text the program prints. Everything is
in SI units; NumPy arrays of landings are views into the C++ result.
"""

import os

from ._psw import electrospray as _es
from .core import Config, load_config

# Re-export the compiled API under the names the C++ uses.
for _name in dir(_es):
    if not _name.startswith("_"):
        globals()[_name] = getattr(_es, _name)

__all__ = [n for n in dir(_es) if not n.startswith("_")] + ["load_case", "load_ink", "run",
                                                          "summary"]


def load_ink(source):
    """An :class:`Ink` from a built-in name, an ink file path, or a dict like an ink file's
    ``ink:`` map (with ``sources``)."""
    if isinstance(source, _es.Ink):
        return source
    if isinstance(source, dict):
        return _es.Ink.from_config(load_config({"ink": source}).section("ink"))
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        if text in _es.builtin_ink_names():
            return _es.builtin_ink(text)
        if os.path.exists(text):
            return _es.load_ink_file(text)
        return _es.builtin_ink(text)  # raises ValueError naming the known inks
    raise TypeError(f"load_ink takes a name, a path or a dict, got {type(source).__name__}")


def load_case(source):
    """An :class:`ElectrosprayCase` from a path, a dict (``{"electrospray": {...}}``) or a
    Config."""
    if isinstance(source, _es.ElectrosprayCase):
        return source
    return _es.ElectrosprayCase.from_config(load_config(source))


def run(case):
    """Run a case (path, dict, Config or ElectrosprayCase); returns an ElectrosprayReport."""
    return _es.run_case(load_case(case))


def summary(case, report=None):
    """The one-screen text of ``psw electrospray`` for a case (and its report, run if None)."""
    case = load_case(case)
    return _es.format_summary(case, report if report is not None else _es.run_case(case))
