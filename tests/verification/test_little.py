"""Little's law: holds in steady state, fails when the window is not in steady state or is censored."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiments.verification.little import LittleDesign, little_checks, run_little, sides

pytestmark = pytest.mark.statistical

DESIGN = LittleDesign(replications=10, persons=400, window=480.0)


@pytest.fixture(scope="module")
def outputs(baseline):
    return run_little(baseline, DESIGN, seed=4)


def test_sides_of_a_deterministic_queue():
    """One interval [1, 3) per month starting at 0..9: L = 2 over [2, 8), λ = 1, W = 2."""
    begin = np.arange(10.0)
    s = sides(begin, begin + 2.0, np.zeros(10, dtype=bool), 2.0, 8.0)
    assert s.present == pytest.approx(2.0) and s.flow == pytest.approx(2.0)
    assert s.entries == 6 and s.mean_stay == 2.0


def test_little_holds_on_every_state_and_the_queue(outputs):
    """In steady state, L = λW within 4 SE for every state with entries and for the places queue."""
    results = little_checks(outputs, DESIGN.warmup, DESIGN.warmup + DESIGN.window)
    names = {r.name for r in results}
    assert {"little: assistance", "little: employment", "little: queue for municipal_activity_places"} <= names
    assert all(r.passed for r in results), [r for r in results if not r.passed]


def test_a_window_before_steady_state_fails(outputs):
    """The first ten years (everyone starts on assistance) are not in steady state: the check fails."""
    assert not all(r.passed for r in little_checks(outputs, 0.0, 120.0))


def test_a_window_cut_off_by_the_horizon_fails(outputs):
    """Sojourns cut off at the horizon understate W: a window ending at the horizon fails."""
    results = little_checks(outputs, DESIGN.horizon - DESIGN.window, DESIGN.horizon)
    assert not all(r.passed for r in results)
    assert any("open at the horizon" in r.detail and not r.detail.startswith("0") for r in results)
