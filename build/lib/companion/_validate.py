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
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"an int of {len(str(abs(value)))} digits"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


REAL_NUMBERS_RULE = ("real numbers: Python or NumPy ints and floats; bools, complex numbers, "
                     "dates and times, strings and masked arrays are refused")


def as_array(name: str, value: ArrayLike, *, ndim: int, nonempty: bool = False,
             finite: bool = True) -> NDArray[np.float64]:
    """Return ``value`` as a float array with ``ndim`` dimensions, or raise.

    The one rule for numbers, everywhere in the package: only real numbers (ints and floats) are
    accepted. Bools are refused (``True`` is not a coordinate), as are complex numbers, dates and
    times, strings, and masked arrays (whose mask NumPy would silently drop).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}: expected an array of real numbers, got {_describe(value)}")
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(f"{name}: expected a plain array of real numbers, got a masked array; "
                        "fill the masked entries first, e.g. value.filled(0.0)")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError) as exc:  # ragged nested lists, for instance
        raise TypeError(f"{name}: expected an array of real numbers, got {_describe(value)}") from exc
    if array.dtype == bool:
        raise TypeError(f"{name}: expected real numbers, got booleans; convert them explicitly "
                        "if you mean 0 and 1, e.g. x.astype(float)")
    if np.iscomplexobj(array):
        raise TypeError(f"{name}: expected real numbers, got complex dtype {array.dtype}")
    if array.dtype.kind not in "iuf":  # signed, unsigned, float: not timedelta64 ("m"), object, ...
        raise TypeError(f"{name}: expected an array of real numbers, got {_describe(array)}")
    if array.ndim != ndim:
        kind = {0: "a scalar", 1: "a 1-D array (a vector)", 2: "a 2-D array (a matrix)"}[ndim]
        raise ValueError(f"{name}: expected {kind}, got an array of shape {array.shape}")
    if nonempty and array.size == 0:
        raise ValueError(f"{name}: expected at least one value, got an empty array of shape {array.shape}")
    array = np.asarray(array, dtype=np.float64)  # no copy when it is already float64
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: expected finite values, got {array.size - np.isfinite(array).sum()} "
                         "NaN or infinite entries")
    return array


def as_vector(name: str, value: ArrayLike, *, nonempty: bool = False) -> NDArray[np.float64]:
    """Return ``value`` as a finite 1-D float array; a scalar becomes a vector of length 1."""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        value = [value]
    elif isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.reshape(1)
    return as_array(name, value, ndim=1, nonempty=nonempty)


def as_scalar(name: str, value: object) -> float:
    """Return ``value`` as a finite Python float, or raise."""
    if isinstance(value, np.ndarray) and value.shape in {(), (1,)}:
        value = value.reshape(()).item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {_describe(value)}")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{name}: expected a finite number, got an integer too large for a float "
                         f"({len(str(abs(int(value))))} digits)") from None
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value}")
    return value


def as_positive_int(name: str, value: object) -> int:
    """Return ``value`` as a non-negative int, or raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, got {_describe(value)}")
    if value < 0:
        raise ValueError(f"{name}: expected an integer >= 0, got {value}")
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


def apply_layout(jacobian, layout: str):
    """Return the numerator-layout ``jacobian`` (a NumPy array or SymPy Matrix) in ``layout``.

    The one place where the two layouts differ: denominator layout is the transpose. Callers check
    ``layout`` with ``check_choice`` where it enters, before doing any work.
    """
    return jacobian if layout == "numerator" else jacobian.T
