"""The site's data: models of data/*.yaml, the loader that validates and cross-checks them, and
the messages that name every mistake."""

from .dataset import Dataset, formulation
from .errors import DataError
from .loader import load

__all__ = ["DataError", "Dataset", "formulation", "load"]
