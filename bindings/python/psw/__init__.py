"""psw: physics and digital twin for electrospray nanowelding.

The compiled core lives in ``psw._psw``; this package re-exports it by module:

- ``psw.core``: YAML config loading with validation, seeded RNG streams, logging, constants;
- ``psw.electrospray``: inks, cone-jet window, droplet flight and landing, deposition;
  ``psw.electrospray.run()`` is the Python twin of ``psw electrospray``;
- ``psw.inference``: defect images (PNG/TIFF with pixel size), a synthetic RDL defect
  generator with ground truth, repairability rules, explanations, preprocessing and the ONNX
  classifier;
- ``psw.hal``: device URIs, the PI GCS positioner and iseg HV supply drivers, the safety
  policy;
- ``psw.mes``: SECS-II items as bytes, tagged JSON and SML; named messages;
- ``psw.scheduling``: repair lots under heavy-tailed sintering times; ``schedule()`` is the
  twin of ``psw schedule``;
- ``psw.sintering``: neck growth, densification, resistivity, sintering times;
  ``psw.sintering.sinter()`` is the Python twin of ``psw sinter``;
- ``psw.stage``: piezo stage axes, servo, placement budget; ``psw.stage.run()`` is the twin of
  ``psw stage``;
- ``psw.thermal``: the two-temperature model (``run_ttm``, the twin of ``psw ttm``);
- ``psw.twin``: repair jobs; ``psw.run()`` is the Python twin of ``psw run``.

C++ errors arrive as ``ValueError`` (bad input), ``IndexError`` (an index out of range) or
``RuntimeError`` (a failure at run time), with the C++ message unchanged.
"""

from ._psw import __version__, dependency_versions, version_report
from . import core, electrospray, hal, inference, mes, scheduling, sintering, stage, thermal, twin
from .twin import run

__all__ = ["__version__", "core", "dependency_versions", "electrospray", "hal", "inference", "mes", "run",
           "scheduling", "sintering", "stage", "thermal", "twin", "version_report"]
