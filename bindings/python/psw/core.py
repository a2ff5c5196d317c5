"""Config loading, RNG streams, logging level and physical constants (``psw::core``)."""

import json
import os

from ._psw import core as _core

Config = _core.Config
Range = _core.Range
RngStream = _core.RngStream
constants = _core.constants
set_log_level = _core.set_log_level
log_level = _core.log_level

__all__ = ["Config", "Range", "RngStream", "constants", "load_config", "log_level",
           "set_log_level"]


def load_config(source):
    """A :class:`Config` from a YAML file path or from a dict with the same keys.

    A dict is written out as JSON (a subset of YAML) and parsed under the name ``<dict>``, so
    its errors read like a file's.
    """
    if isinstance(source, Config):
        return source
    if isinstance(source, dict):
        return Config.parse(json.dumps(source, indent=1), "<dict>")
    if isinstance(source, (str, os.PathLike)):
        return Config.load_file(os.fspath(source))
    raise TypeError(f"load_config takes a path or a dict, got {type(source).__name__}")
