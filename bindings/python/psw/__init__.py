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
- ``psw.mes``: SECS-II items as bytes, tagged JSON and SML; named messages; ``Host`` and
  ``Equipment`` (HSMS-SS host, GEM equipment);
- ``psw.scheduling``: repair lots under heavy-tailed sintering times; ``schedule()`` is the
  twin of ``psw schedule``;
- ``psw.sintering``: neck growth, densification, resistivity, sintering times;
  ``psw.sintering.sinter()`` is the Python twin of ``psw sinter``;
- ``psw.stage``: piezo stage axes, servo, placement budget; ``psw.stage.run()`` is the twin of
  ``psw stage``;
- ``psw.sweep``: parameter sweeps (``run`` is the twin of ``psw sweep``) and ``load`` for
  their results files;
- ``psw.thermal``: the two-temperature model (``run_ttm``, the twin of ``psw ttm``);
- ``psw.twin``: repair jobs; ``psw.run()`` is the Python twin of ``psw run``.

``psw.sbom()`` is the twin of ``psw sbom``: the CycloneDX SBOM of this build (docs/sbom.md).

C++ errors arrive as ``ValueError`` (bad input), ``IndexError`` (an index out of range) or
``RuntimeError`` (a failure at run time), with the C++ message unchanged.
"""

import json as _json
import os as _os

from . import _psw
from ._psw import __version__, dependency_versions, sbom_path, version_report
from . import (core, electrospray, hal, inference, mes, scheduling, sintering, stage, sweep,
               thermal, twin)
from .twin import run


def sbom(output=None):
    """The CycloneDX 1.5 SBOM of this psw build, as a dict; the Python twin of ``psw sbom``.

    With ``output`` (a path), writes the SBOM's text there atomically instead and returns the
    path. ``ValueError`` when the output's directory does not exist, ``RuntimeError`` naming
    the expected file when this build has no SBOM (see ``_psw.sbom_path()``).
    """
    if output is not None:
        _psw.write_sbom(_os.fspath(output))
        return output
    return _json.loads(_psw.sbom_text())


__all__ = ["__version__", "core", "dependency_versions", "electrospray", "hal", "inference", "mes",
           "run", "sbom", "sbom_path", "scheduling", "sintering", "stage", "sweep", "thermal",
           "twin", "version_report"]
