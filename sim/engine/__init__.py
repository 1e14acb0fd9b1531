"""The SimPy model: states, competing-risk transitions, resources and the spell log."""

from sim.engine.model import Model, ReplicationOutput

__all__ = ["Model", "ReplicationOutput"]
