"""Argument checks shared by the public functions.

Every check raises ``TypeError`` (wrong kind of object) or ``ValueError``
(right kind, wrong value) with a message naming the argument, what was
expected and what was received, so a learner can fix the call at once.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _describe(value: object) -> str:
    """Describe ``value`` briefly for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def as_array(name: str, value: ArrayLike, *, ndim: int, finite: bool = True) -> NDArray[np.float64]:
    """Return ``value`` as a float array with ``ndim`` dimensions, or raise."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}: expected an array of real numbers, got {_describe(value)}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists, for instance
        raise TypeError(f"{name}: expected an array of real numbers, got {_describe(value)}") from exc
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name}: expected an array of real numbers, got {_describe(array)}")
    if np.iscomplexobj(array):
        raise TypeError(f"{name}: expected real numbers, got complex dtype {array.dtype}")
    if array.ndim != ndim:
        kind = {0: "a scalar", 1: "a 1-D array (a vector)", 2: "a 2-D array (a matrix)"}[ndim]
        raise ValueError(f"{name}: expected {kind}, got an array of shape {array.shape}")
    array = np.asarray(array, dtype=np.float64)  # no copy when it is already float64
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: expected finite values, got {array.size - np.isfinite(array).sum()} "
                         "NaN or infinite entries")
    return array


def as_vector(name: str, value: ArrayLike, *, finite: bool = True) -> NDArray[np.float64]:
    """Return ``value`` as a 1-D float array; a scalar becomes a vector of length 1."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = [value]
    elif isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.reshape(1)
    return as_array(name, value, ndim=1, finite=finite)


def as_scalar(name: str, value: object) -> float:
    """Return ``value`` as a finite Python float, or raise."""
    if isinstance(value, np.ndarray) and value.shape in {(), (1,)}:
        value = value.reshape(()).item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value}")
    return value


def as_positive_int(name: str, value: object, *, allow_zero: bool = True) -> int:
    """Return ``value`` as a non-negative (or positive) int, or raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, got {_describe(value)}")
    lowest = 0 if allow_zero else 1
    if value < lowest:
        raise ValueError(f"{name}: expected an integer >= {lowest}, got {value}")
    return int(value)


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, or raise naming them."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}: expected one of {listed}, got {value!r}")
    return value


def check_callable(name: str, value: object) -> Callable:
    """Return ``value`` if it can be called, or raise."""
    if not callable(value):
        raise TypeError(f"{name}: expected a function, got {_describe(value)}")
    return value


def check_same_length(name_a: str, a: NDArray, name_b: str, b: NDArray) -> None:
    """Raise if two vectors differ in length (element-wise rules need equal lengths)."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"{name_a} and {name_b}: expected vectors of the same length, "
                         f"got lengths {a.shape[0]} and {b.shape[0]}")


LAYOUTS = ("numerator", "denominator")


def apply_layout(jacobian: NDArray[np.float64], layout: str) -> NDArray[np.float64]:
    """Return the numerator-layout ``jacobian`` in the requested ``layout``."""
    check_choice("layout", layout, LAYOUTS)
    return jacobian if layout == "numerator" else jacobian.T
