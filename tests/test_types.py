"""The package's type hints hold: mypy finds no errors in sim/."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is installed with the test extras")
def test_mypy_passes_on_the_package():
    """`mypy sim` reports no issues (configuration in pyproject.toml)."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "sim"], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
