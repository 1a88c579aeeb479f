"""From data to schedules: each example schedule's parameters become an engine Plan and its rows."""

from .plans import compute, compute_all, plan_for, unswitchable

__all__ = ["compute", "compute_all", "plan_for", "unswitchable"]
