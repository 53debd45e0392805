"""Feedback a learner can run: check an answer and get a pass or a specific, kind hint.

Each ``check_*`` function returns a :class:`Feedback` that prints as plain text, shows as a
coloured box in a notebook, and is truthy when the answer is right, so a test or a grader can use
it too. A malformed answer never raises: it gets a failing Feedback that says what could not be read.
A wrong *question* (a function that is not callable, an unknown layout) does raise, as elsewhere in
``companion``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from ._validate import LAYOUTS, as_vector, check_callable, check_choice
from .checking import check_gradient
from .expressions import parse_expression
from .numeric import jacobian

RTOL, ATOL = 1e-5, 1e-7
MAX_LISTED = 4


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``passed``, a one-line ``message`` and optional ``hints``."""

    passed: bool
    message: str
    hints: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = ("Correct. " if self.passed else "Not yet. ") + self.message
        return "\n".join([head, *(f"  - {hint}" for hint in self.hints)])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour, mark = ("#1b7f3b", "Correct.") if self.passed else ("#a33", "Not yet.")
        hints = "".join(f"<li>{html.escape(h)}</li>" for h in self.hints)
        return (f'<div style="border-left: 4px solid {colour}; padding: 0.3em 0.8em">'
                f"<b>{mark}</b> {html.escape(self.message)}{f'<ul>{hints}</ul>' if hints else ''}</div>")


def _read_numbers(answer: object) -> NDArray[np.float64] | Feedback:
    """Return the answer as a float array, or a failing Feedback saying why it could not be read."""
    try:
        if answer is None or isinstance(answer, str):
            raise TypeError
        values = np.array(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"your answer could not be read as numbers: {str(answer)[:80]!r}.",
                        ("Give a NumPy array or a nested list such as [[1, 2], [3, 4]].",))
    if not np.all(np.isfinite(values)):
        return Feedback(False, "your answer contains NaN or infinite values.")
    return values


def _expected_jacobian(f: Callable, x: NDArray) -> NDArray[np.float64]:
    """The reference Jacobian: the complex step where f allows it, central differences otherwise."""
    try:
        return jacobian(f, x, method="complex")
    except TypeError:
        return jacobian(f, x, method="central")


def _compare(values: NDArray, expected: NDArray) -> Feedback:
    """Feedback on two arrays of the same shape: which entries are off, and how."""
    if np.allclose(values, expected, rtol=RTOL, atol=ATOL):
        return Feedback(True, "every entry matches the derivative.")
    hints = []
    if np.allclose(values, -expected, rtol=RTOL, atol=ATOL):
        hints.append("Every entry has the wrong sign: check a minus sign in the chain rule.")
    nonzero = np.abs(expected) > ATOL
    ratios = values[nonzero] / expected[nonzero]
    if (ratios.size and np.allclose(ratios, ratios[0], rtol=RTOL) and not np.isclose(ratios[0], -1)
            and np.allclose(values[~nonzero], 0, atol=ATOL)):
        hints.append(f"Your answer is {ratios[0]:.4g} times the right one: a constant factor is off.")
    square = values.ndim == 2 and values.shape[0] == values.shape[1]
    if square and np.allclose(values.T, expected, rtol=RTOL, atol=ATOL):
        hints.append("Your matrix is the transpose of the right one: rows are outputs, columns are inputs "
                     "in numerator layout.")
    wrong = np.argwhere(~np.isclose(values, expected, rtol=RTOL, atol=ATOL))
    for index in wrong[:MAX_LISTED]:
        where = ", ".join(f"{k + 1}" for k in index)
        mine, right = values[tuple(index)], expected[tuple(index)]
        hints.append(f"Entry ({where}): you have {mine:.6g}, expected {right:.6g} "
                     f"(off by {mine - right:+.3g}).")
    if len(wrong) > MAX_LISTED:
        hints.append(f"... and {len(wrong) - MAX_LISTED} more entries.")
    return Feedback(False, f"{len(wrong)} of {values.size} entries are off.", tuple(hints))


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
        Passed when every entry agrees (relative tolerance 1e-5); otherwise the shape expected and
        why, a note when the answer is in the other layout, and the entries that are off.

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
    expected = _expected_jacobian(f, as_vector("x", x))
    if layout == "denominator":
        expected = expected.T
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
            right_values = np.allclose(values.T, expected, rtol=RTOL, atol=ATOL)
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
    return _compare(values, expected)


def check_gradient_answer(answer: ArrayLike, f: Callable[[NDArray], float], x: ArrayLike) -> Feedback:
    """Check a gradient computed by hand against the derivative of a scalar ``f`` at ``x``.

    Parameters
    ----------
    answer : array_like, shape (n,), (1, n) or (n, 1)
        The learner's gradient; as a row, a column or a flat vector.
    f : callable
        A scalar-valued function of a vector of shape (n,).
    x : array_like, shape (n,)
        The point.

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
    expected = _expected_jacobian(f, as_vector("x", x))
    if expected.shape[0] != 1:
        raise ValueError(f"f: expected a scalar-valued function, got {expected.shape[0]} outputs; "
                         "use check_jacobian_answer")
    values = _read_numbers(answer)
    if isinstance(values, Feedback):
        return values
    if values.size != expected.size or values.ndim > 2 or (values.ndim == 2 and 1 not in values.shape):
        return Feedback(False, f"your answer has shape {values.shape}, expected {expected.shape[1]} numbers.",
                        (f"A gradient has one entry per input: {expected.shape[1]} here.",))
    return _compare(values.reshape(-1), expected.reshape(-1))


def check_expression(answer: str | sp.Expr, expected: sp.Expr) -> Feedback:
    """Check a formula, typed as text or built in SymPy, against the expected expression.

    Parameters
    ----------
    answer : str or sympy.Expr
        The learner's formula, e.g. ``"6*x*y"``. Text is read without evaluating code
        (:func:`companion.parse_expression`).
    expected : sympy.Expr
        The right answer; its symbols are the variables the answer may use.

    Returns
    -------
    Feedback
        Passed when SymPy finds the two equal (by simplification, or at 5 random points).

    Raises
    ------
    TypeError
        If ``expected`` is not a SymPy expression.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> print(check_expression("6*y*x", 6 * x * y))
    Correct. your formula is equivalent to the expected one.
    >>> print(check_expression("3*x*y", 6 * x * y))
    Not yet. your formula is 1/2 times the expected one.
    >>> print(check_expression("6xy", 6 * x * y))
    Not yet. could not read '6xy' as a formula; write products with * (2*x, not 2x) and powers with ^ or **
    """
    if not isinstance(expected, sp.Expr):
        raise TypeError(f"expected: expected a SymPy expression, got {type(expected).__name__}")
    variables = sorted(expected.free_symbols, key=str)
    if isinstance(answer, sp.Expr):
        given = answer
    else:
        try:
            given = parse_expression(answer, variables)
        except (TypeError, ValueError) as error:
            return Feedback(False, str(error).removeprefix("answer: "))
    extra = sorted(map(str, given.free_symbols - expected.free_symbols))
    if extra:
        return Feedback(False, f"your formula uses {', '.join(extra)}, which the answer does not depend on.")
    if sp.simplify(given - expected) == 0 or _equal_at_random_points(given, expected, variables):
        return Feedback(True, "your formula is equivalent to the expected one.")
    if sp.simplify(given + expected) == 0:
        return Feedback(False, "your formula has the opposite sign.")
    ratio = sp.simplify(given / expected) if expected != 0 else None
    if ratio is not None and ratio.is_number:
        return Feedback(False, f"your formula is {ratio} times the expected one.")
    point = {v: sp.Rational(k + 2, 3) for k, v in enumerate(variables)}
    shown = ", ".join(f"{v} = {point[v]}" for v in variables)
    return Feedback(False, "your formula is not equivalent to the expected one.",
                    (f"At {shown} yours gives {sp.N(given.subs(point), 6)}, the expected one "
                     f"{sp.N(expected.subs(point), 6)}.",))


def _equal_at_random_points(a: sp.Expr, b: sp.Expr, variables: list[sp.Symbol]) -> bool:
    """Compare two expressions numerically at a few seeded points (where simplify gives up)."""
    rng = np.random.default_rng(0)
    f = sp.lambdify(variables, a - b, "numpy")
    scale = max(1.0, abs(complex(sp.N(b.subs({v: 0.7 for v in variables})))))
    values = [complex(f(*rng.uniform(0.3, 1.7, len(variables)))) for _ in range(5)]
    return all(abs(v) < 1e-9 * scale for v in values)


def check_gradient_function(f: Callable[[NDArray], float], grad: Callable[[NDArray], ArrayLike],
                            x: ArrayLike) -> Feedback:
    """Check a hand-written gradient function with :func:`companion.check_gradient`.

    Parameters
    ----------
    f : callable
        A scalar-valued function of a vector of shape (n,).
    grad : callable
        The learner's gradient of ``f``, returning shape (n,).
    x : array_like, shape (n,)
        The point; keep it away from kinks.

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
    """
    check_callable("f", f)
    check_callable("grad", grad)
    x = as_vector("x", x)
    try:
        error = check_gradient(f, grad, x)
    except (TypeError, ValueError, ArithmeticError, IndexError) as problem:
        return Feedback(False, f"your gradient function could not be checked: {problem}")
    if error < 1e-6:
        return Feedback(True, "the gradient matches f (relative error below 1e-6).")
    comparison = _compare(np.asarray(grad(x.copy()), dtype=float).reshape(-1), _expected_jacobian(f, x)[0])
    return Feedback(False, f"relative error {error:.2g}: the gradient does not match f.", comparison.hints)
