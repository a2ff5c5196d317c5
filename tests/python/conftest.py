"""Finds the build tree for the Python tests.

PSW_BUILD_DIR names it (scripts/test sets it); otherwise build/release under the source tree.
The package is imported from <build>/python and the program run from <build>/bin/psw.
"""

import os
import pathlib
import sys

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
BUILD_DIR = pathlib.Path(os.environ.get("PSW_BUILD_DIR", SOURCE_DIR / "build" / "release"))

if not (BUILD_DIR / "python" / "psw").is_dir():
    raise RuntimeError(f"no psw package under {BUILD_DIR}/python: build first, or set "
                       "PSW_BUILD_DIR to the build directory")
sys.path.insert(0, str(BUILD_DIR / "python"))


@pytest.fixture
def psw_program():
    """Path of the built `psw` program."""
    return BUILD_DIR / "bin" / "psw"


@pytest.fixture
def data_dir():
    return SOURCE_DIR / "data"
