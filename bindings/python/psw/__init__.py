"""psw: physics and digital twin for electrospray nanowelding.

The compiled core lives in ``psw._psw``; this package re-exports it by module:

- ``psw.core``: YAML config loading with validation, seeded RNG streams, logging, constants;
- ``psw.twin``: repair jobs; ``psw.run()`` is the Python twin of ``psw run``.

C++ errors arrive as ``ValueError`` (bad input), ``IndexError`` (an index out of range) or
``RuntimeError`` (a failure at run time), with the C++ message unchanged.
"""

from ._psw import __version__, dependency_versions, version_report
from . import core, twin
from .twin import run
from . import mes  # psw.mes: SECS-II items as bytes, tagged JSON and SML

__all__ = ["__version__", "core", "dependency_versions", "run", "twin", "version_report"]
