"""The one error the engine raises: a plan that cannot give a safe, takeable schedule."""

from __future__ import annotations


class PlanError(ValueError):
    """A plan that cannot give a safe, takeable schedule (the build must stop)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field  # the schedule parameter at fault, for the error message
