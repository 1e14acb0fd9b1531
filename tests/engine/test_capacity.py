"""Places and caseworkers: first come, first served, and waits are recorded."""

from __future__ import annotations

import simpy

from sim.engine.capacity import Pool
from sim.engine.model import Model
from sim.rng import Streams
from sim.states import STATE_INDEX, State
from tests.conftest import variant


def test_pool_grants_waiting_requests_in_order():
    """When a unit is freed the longest-waiting request gets it."""
    env = simpy.Environment()
    pool = Pool(env, capacity=1)
    assert pool.try_acquire()
    first, second = pool.request(), pool.request()
    pool.free()
    assert first.triggered and not second.triggered
    pool.free()
    assert second.triggered and pool.count == 1


def test_a_cancelled_request_leaves_the_queue():
    """A person who gives up waiting no longer holds a place in the queue."""
    env = simpy.Environment()
    pool = Pool(env, capacity=1)
    pool.try_acquire()
    gone, stays = pool.request(), pool.request()
    gone.cancel()
    pool.free()
    assert stays.triggered and not gone.triggered


def test_scarce_places_make_people_wait(baseline):
    """With very few municipal places, people queue: waits are recorded, some give up, and occupancy never exceeds capacity."""
    scarce = variant(baseline, {"capacity.municipal_activity_places": 400})
    output = Model(scarce, Streams(3, 0), scale=0.01, horizon=24).run()
    waits = output.waits[output.waits["resource"] == "municipal_activity_places"]
    assert len(waits) > 0 and (~waits["granted"]).any()
    assert (waits["end"] >= waits["start"]).all()
    spells = output.spells
    in_m = spells[spells["state"] == STATE_INDEX[State.MUNICIPAL_ACTIVITY]]
    times = sorted(set(in_m["start"]))[::50]
    for t in times:
        present = ((in_m["start"] <= t) & (in_m["end"] > t)).sum()
        assert present <= 4


def test_unlimited_capacity_means_no_waits(baseline):
    """Without capacity limits, caseworkers or decision delays nobody waits."""
    free = variant(
        baseline,
        {
            "capacity": {"municipal_activity_places": None, "af_programme_places": None, "caseworkers": None},
            "caseworker.decision_delay_months": 0.0,
        },
    )
    output = Model(free, Streams(3, 0), scale=0.005, horizon=12).run()
    assert output.waits.empty
