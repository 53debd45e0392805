"""Feedback a learner can run: check an answer and get a pass or a specific, kind hint.

Each ``check_*`` function returns a :class:`Feedback` that prints as plain text, shows as a
coloured box in a notebook, and is truthy when the answer is right, so a test or a grader can use
it too. A malformed, hostile or crashing answer never raises: it gets a failing Feedback that says
what could not be read, within bounded time. A wrong *question* (a function that is not callable, an
unknown layout) does raise, as elsewhere in ``companion``.

The reference derivative is computed by finite differences on both sides of the point, never by the
complex step, which is wrong for ``abs``, ``np.sign`` and ``np.maximum``. Where the two one-sided
derivatives differ the point is a kink: any value between them is accepted (the course's
convention, 0 for ReLU at 0, is one of them) and the feedback says that it is a kink.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import LAYOUTS, as_vector, check_callable, check_choice

RTOL, ATOL = 1e-5, 1e-7
MAX_LISTED = 4
_EPS = np.finfo(np.float64).eps


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``passed``, a one-line ``message`` and optional ``hints``.

    ``passed`` may be a NumPy boolean (it is stored as a Python ``bool``); ``hints`` is a sequence
    of strings, and a single string is refused, since it would be read one letter at a time.
    """

    passed: bool
    message: str
    hints: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.passed, (bool, np.bool_)):
            raise TypeError(f"passed: expected a bool, got {type(self.passed).__name__}")
        if not isinstance(self.message, str):
            raise TypeError(f"message: expected a string, got {type(self.message).__name__}")
        if isinstance(self.hints, str) or not all(isinstance(h, str) for h in self.hints):
            raise TypeError(f"hints: expected a tuple of strings, got {self.hints!r:.60}; "
                            "for one hint write hints=(hint,)")
        object.__setattr__(self, "passed", bool(self.passed))
        object.__setattr__(self, "hints", tuple(self.hints))

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = ("Correct. " if self.passed else "Not yet. ") + self.message
        return "\n".join([head, *(f"  - {hint}" for hint in self.hints)])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour, mark = ("#1b7f3b", "Correct.") if self.passed else ("#a33", "Not yet.")
        hints = "".join(f"<li>{html.escape(h)}</li>" for h in self.hints)
        return (f'<div class="feedback" style="border-left: 4px solid {colour}; padding: 0.3em 0.8em">'
                f"<b>{mark}</b> {html.escape(self.message)}{f'<ul>{hints}</ul>' if hints else ''}</div>")


def _read_numbers(answer: object, what: str = "your answer") -> NDArray[np.float64] | Feedback:
    """Return the answer as a float array, or a failing Feedback saying why it could not be read."""
    unreadable = Feedback(False, f"{what} could not be read as numbers: {str(answer)[:80]!r}.",
                          ("Give a NumPy array or a nested list such as [[1, 2], [3, 4]].",))
    if answer is None or isinstance(answer, (str, bytes)):
        return unreadable
    try:
        raw = np.asarray(answer)
        if raw.dtype == object:
            raw = raw.astype(complex)
    except (TypeError, ValueError, OverflowError):
        return unreadable
    if raw.dtype.kind not in "iufc":
        return unreadable
    if raw.dtype.kind == "c":
        imaginary = np.argwhere(raw.imag != 0)
        if imaginary.size:
            index = tuple(imaginary[0])
            return Feedback(False, f"{what} has complex entries, e.g. {complex(raw[index]):.4g} at "
                                   f"{_entry(index)}.",
                            ("A derivative of a real function is real; look for a square root or "
                             "a logarithm of a negative number.",))
        raw = raw.real
    values = raw.astype(float)
    if not np.all(np.isfinite(values)):
        return Feedback(False, f"{what} contains NaN or infinite values.",
                        ("Look for a division by zero or an overflow in how you computed it.",))
    return values


def _entry(index: tuple[int, ...]) -> str:
    return "entry (" + ", ".join(str(k + 1) for k in index) + ")"


@dataclass(frozen=True)
class _Reference:
    """The derivative: its value, the interval accepted per entry, and which entries are kinks."""

    value: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    kink: NDArray[np.bool_]
    atol: NDArray[np.float64]

    @property
    def T(self) -> _Reference:  # noqa: N802 (as ndarray.T)
        return _Reference(self.value.T, self.low.T, self.high.T, self.kink.T, self.atol.T)

    def reshape(self, *shape: int) -> _Reference:
        return _Reference(*(a.reshape(*shape) for a in (self.value, self.low, self.high, self.kink,
                                                         self.atol)))


def _call(f: Callable, x: NDArray) -> NDArray[np.float64]:
    """``f(x)`` as a 1-D float array; the question's function must be real and finite here."""
    value = np.asarray(f(x.copy()))
    if value.ndim > 1 or value.dtype.kind not in "biuf":
        raise ValueError(f"f: expected f(x) to return a real scalar or 1-D array, got {value.dtype} "
                         f"of shape {value.shape}")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"f: f(x) is not finite at x = {x.tolist()}")
    return value.astype(float).reshape(-1)


def _reference(f: Callable, x: NDArray[np.float64]) -> _Reference:
    """The numerator-layout Jacobian of f at x, from differences on both sides of x.

    Second-order one-sided differences give the derivative from the left and from the right; where
    they agree the central difference is the value, where they differ x sits on a kink and every
    value between the two is accepted.
    """
    f0 = _call(f, x)
    left, right, central = (np.empty((f0.size, x.size)) for _ in range(3))
    atol = np.empty((f0.size, x.size))
    for j in range(x.size):
        h = _EPS ** (1 / 3) * max(1.0, abs(x[j]))
        e = np.zeros_like(x)
        e[j] = h
        p1, p2, m1, m2 = (_call(f, x + k * e) for k in (1, 2, -1, -2))
        right[:, j] = (-3 * f0 + 4 * p1 - p2) / (2 * h)
        left[:, j] = (3 * f0 - 4 * m1 + m2) / (2 * h)
        central[:, j] = (p1 - m1) / (2 * h)
        scale = np.max(np.abs(np.stack([f0, p1, p2, m1, m2])), axis=0)
        atol[:, j] = ATOL + 100 * _EPS * scale / h  # round-off of the differences
    kink = np.abs(right - left) > 1e-3 * np.maximum(1.0, np.maximum(np.abs(right), np.abs(left)))
    low = np.where(kink, np.minimum(left, right), central)
    high = np.where(kink, np.maximum(left, right), central)
    return _Reference(central, low, high, kink, atol)


def _kink_note(reference: _Reference) -> str:
    entries = [_entry(tuple(i)) for i in np.argwhere(reference.kink)[:MAX_LISTED]]
    return (f"f has a kink at this point ({', '.join(entries)}): there any value between the "
            "derivatives from the left and from the right is accepted (the course takes 0 for ReLU at 0).")


def _compare(values: NDArray, reference: _Reference) -> Feedback:
    """Feedback on an answer and a reference of the same shape: which entries are off, and how."""
    expected = reference.value
    tol = RTOL * np.maximum(np.abs(reference.low), np.abs(reference.high)) + reference.atol
    right = (values >= reference.low - tol) & (values <= reference.high + tol)
    kinks = (_kink_note(reference),) if reference.kink.any() else ()
    if right.all():
        return Feedback(True, "every entry matches the derivative.", kinks)
    close = lambda a, b: np.all(np.abs(a - b) <= RTOL * np.abs(b) + reference.atol)  # noqa: E731
    hints = []
    smooth = not reference.kink.any()  # a sign or a factor means little where it is an interval
    if smooth and close(values, -expected) and np.any(np.abs(expected) > reference.atol):
        hints.append("Every entry has the wrong sign: check a minus sign in the chain rule.")
    nonzero = np.abs(expected) > reference.atol
    ratios = values[nonzero] / expected[nonzero]
    if (smooth and ratios.size and np.allclose(ratios, ratios[0], rtol=RTOL)
            and not np.isclose(ratios[0], -1)
            and np.all(np.abs(values[~nonzero]) <= reference.atol[~nonzero])):
        hints.append(f"Your answer is {ratios[0]:.4g} times the right one: a constant factor is off.")
    square = values.ndim == 2 and values.shape[0] == values.shape[1]
    if smooth and square and close(values.T, expected):
        hints.append("Your matrix is the transpose of the right one: rows are outputs, columns are inputs "
                     "in numerator layout.")
    wrong = np.argwhere(~right)
    for index in wrong[:MAX_LISTED]:
        index = tuple(index)
        mine = values[index]
        if reference.kink[index]:
            hints.append(f"{_entry(index).capitalize()} sits on a kink: you have {mine:.6g}, expected a "
                         f"value between {reference.low[index]:.6g} and {reference.high[index]:.6g}.")
        else:
            hints.append(f"{_entry(index).capitalize()}: you have {mine:.6g}, expected "
                         f"{expected[index]:.6g} (off by {mine - expected[index]:+.3g}).")
    if len(wrong) > MAX_LISTED:
        hints.append(f"... and {len(wrong) - MAX_LISTED} more entries.")
    return Feedback(False, f"{len(wrong)} of {values.size} entries are off.", tuple(hints) + kinks)


def check_jacobian_answer(answer: ArrayLike, f: Callable[[NDArray], ArrayLike], x: ArrayLike, *,
                          layout: str = "numerator") -> Feedback:
    """Check a Jacobian computed by hand against ``f``'s derivative at ``x``.

    Parameters
    ----------
    answer : array_like, shape (m, n)
        The learner's Jacobian (shape (n, m) with ``layout="denominator"``).
    f : callable
        The function, of a vector of shape (n,).
    x : array_like, shape (n,)
        The point.
    layout : {"numerator", "denominator"}
        The layout the exercise asks for.

    Returns
    -------
    Feedback
        Passed when every entry agrees (relative tolerance 1e-5) with the derivative, or, at a kink
        of f, lies between the derivatives from the left and from the right; otherwise the shape
        expected and why, a note when the answer is in the other layout, and the entries that are off.

    Raises
    ------
    TypeError, ValueError
        If ``f``, ``x`` or ``layout`` is not a valid question (never for a malformed answer).

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda v: np.array([v[0] * v[1], v[0] + v[1] ** 2, np.sin(v[0])])
    >>> print(check_jacobian_answer([[2, 1], [1, 4], [np.cos(1), 0]], f, [1.0, 2.0]))
    Correct. every entry matches the derivative.
    >>> print(check_jacobian_answer([[2, 1, np.cos(1)], [1, 4, 0]], f, [1.0, 2.0]))
    ... # doctest: +NORMALIZE_WHITESPACE
    Not yet. your matrix has shape (2, 3): it is in denominator layout.
      - In numerator layout a Jacobian has one row per output (3) and one column per input (2),
        shape (3, 2). Transpose your answer.
    """
    check_callable("f", f)
    check_choice("layout", layout, LAYOUTS)
    reference = _reference(f, as_vector("x", x, nonempty=True))
    if layout == "denominator":
        reference = reference.T
    expected = reference.value
    values = _read_numbers(answer)
    if isinstance(values, Feedback):
        return values
    if layout == "numerator":
        m, n = expected.shape
        rule = f"one row per output ({m}) and one column per input ({n}), shape {(m, n)}"
    else:
        n, m = expected.shape
        rule = f"one row per input ({n}) and one column per output ({m}), shape {(n, m)}"
    other = "denominator" if layout == "numerator" else "numerator"
    if values.shape != expected.shape:
        if values.shape == expected.T.shape:
            right_values = bool(_compare(values.T, reference))
            message = (f"your matrix has shape {values.shape}: it is in {other} layout." if right_values
                       else f"your matrix has shape {values.shape}, the shape of {other} layout.")
            hint = f"In {layout} layout a Jacobian has {rule}. Transpose your answer."
            if not right_values:
                hint += " Some entries are also off; compare them after transposing."
            return Feedback(False, message, (hint,))
        if values.size == expected.size:
            return Feedback(False, f"your answer has shape {values.shape}, expected {expected.shape}.",
                            (f"A Jacobian is a 2-D array: in {layout} layout it has {rule}. "
                             f"For example np.reshape(answer, {expected.shape}).",))
        return Feedback(False, f"your answer has shape {values.shape}, expected {expected.shape}.",
                        (f"In {layout} layout the Jacobian has {rule}.",))
    return _compare(values, reference)


def _scalar_reference(f: Callable, x: NDArray) -> _Reference:
    reference = _reference(f, x)
    if reference.value.shape[0] != 1:
        raise ValueError(f"f: expected a scalar-valued function, got {reference.value.shape[0]} outputs; "
                         "use check_jacobian_answer")
    return reference.reshape(-1)


def _as_gradient(values: NDArray, n: int, what: str) -> NDArray | Feedback:
    """A row, a column or a flat vector of n numbers as a flat vector, or a Feedback on its shape."""
    if values.size != n or values.ndim > 2 or (values.ndim == 2 and 1 not in values.shape):
        return Feedback(False, f"{what} has shape {values.shape}, expected {n} numbers.",
                        (f"A gradient has one entry per input: {n} here.",))
    return values.reshape(-1)


def check_gradient_answer(answer: ArrayLike, f: Callable[[NDArray], float], x: ArrayLike) -> Feedback:
    """Check a gradient computed by hand against the derivative of a scalar ``f`` at ``x``.

    Parameters
    ----------
    answer : array_like, shape (n,), (1, n) or (n, 1)
        The learner's gradient; as a row, a column or a flat vector.
    f : callable
        A scalar-valued function of a vector of shape (n,).
    x : array_like, shape (n,)
        The point. At a kink of f any value between the one-sided derivatives is accepted.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError, ValueError
        If ``f`` or ``x`` is not a valid question.

    Examples
    --------
    >>> print(check_gradient_answer([12, 3], lambda v: 3 * v[0] ** 2 * v[1], [1.0, 2.0]))
    Correct. every entry matches the derivative.
    >>> print(check_gradient_answer([6, 3], lambda v: 3 * v[0] ** 2 * v[1], [1.0, 2.0]))
    Not yet. 1 of 2 entries are off.
      - Entry (1): you have 6, expected 12 (off by -6).
    """
    check_callable("f", f)
    reference = _scalar_reference(f, as_vector("x", x, nonempty=True))
    values = _read_numbers(answer)
    if isinstance(values, Feedback):
        return values
    values = _as_gradient(values, reference.value.size, "your answer")
    return values if isinstance(values, Feedback) else _compare(values, reference)


def check_gradient_function(f: Callable[[NDArray], float], grad: Callable[[NDArray], ArrayLike],
                            x: ArrayLike) -> Feedback:
    """Check a hand-written gradient function with :func:`companion.check_gradient`.

    Parameters
    ----------
    f : callable
        A scalar-valued function of a vector of shape (n,).
    grad : callable
        The learner's gradient of ``f``, returning shape (n,). It is called once, on a copy of
        ``x``; whatever it raises or returns (complex, NaN, the wrong shape) becomes feedback.
    x : array_like, shape (n,)
        The point. At a kink of f any value between the one-sided derivatives is accepted.

    Returns
    -------
    Feedback
        Passed when the relative error is below 1e-6; otherwise the error and, where it can tell,
        the entries that are off.

    Raises
    ------
    TypeError
        If ``f`` or ``grad`` is not callable.

    Examples
    --------
    >>> import numpy as np
    >>> print(check_gradient_function(lambda v: v @ v, lambda v: 2 * v, [1.0, -2.0]))
    Correct. the gradient matches f (relative error below 1e-6).
    >>> print(check_gradient_function(lambda v: v @ v, lambda v: 2 * w, [1.0, -2.0]))
    Not yet. your gradient function raised NameError: name 'w' is not defined
      - Call it on its own, grad(x), to see the whole error.
    """
    check_callable("f", f)
    check_callable("grad", grad)
    x = as_vector("x", x, nonempty=True)
    reference = _scalar_reference(f, x)
    try:
        returned = grad(x.copy())
    except Exception as problem:  # any error in the learner's code is feedback, not a crash
        return Feedback(False, f"your gradient function raised {type(problem).__name__}: "
                               f"{str(problem)[:200]}",
                        ("Call it on its own, grad(x), to see the whole error.",))
    values = _read_numbers(returned, "what your gradient function returned")
    if isinstance(values, Feedback):
        return values
    values = _as_gradient(values, x.size, "what your gradient function returned")
    if isinstance(values, Feedback):
        return values
    comparison = _compare(values, reference)
    if reference.kink.any():
        message = ("the gradient matches f." if comparison
                   else "the gradient does not match f.")
        return Feedback(comparison.passed, message, comparison.hints)
    # the relative error of check_gradient, from the central differences the reference already holds
    scale = max(np.linalg.norm(values) + np.linalg.norm(reference.value), 1e-300)
    error = float(np.linalg.norm(values - reference.value) / scale)
    if error < 1e-6:
        return Feedback(True, "the gradient matches f (relative error below 1e-6).")
    return Feedback(False, f"relative error {error:.2g}: the gradient does not match f.", comparison.hints)
