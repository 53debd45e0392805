"""Feedback on a typed formula: compared with the expected one across the real line, within bounded work.

:func:`check_expression` reads the answer with :func:`companion.parse_expression` (no code is run,
sizes are bounded) and compares it with the expected SymPy expression numerically: at seeded points
across the real line (negative, near zero, large) and on both sides of every kink of ``Abs``,
``Max``, ``Min``, ``sign`` and ``Heaviside``, with a relative tolerance, rechecking a disagreement
with 30 digits where rounding could explain it. SymPy's ``simplify`` is never called: it has no
bound on its work. Everything runs under a time budget.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
import sympy as sp
from numpy.typing import NDArray

from .expressions import OutOfTimeError, parse_expression, time_budget
from .feedback import Feedback

EXPRESSION_RTOL, EXPRESSION_ATOL = 1e-7, 1e-13
_EPS = np.finfo(np.float64).eps


def check_expression(answer: str | float | sp.Expr, expected: sp.Expr) -> Feedback:
    """Check a formula, typed as text or built in SymPy, against the expected expression.

    Parameters
    ----------
    answer : str, number or sympy.Expr
        The learner's formula, e.g. ``"6*x*y"``. Text is read without evaluating code
        (:func:`companion.parse_expression`).
    expected : sympy.Expr
        The right answer; its symbols are the variables the answer may use.

    Returns
    -------
    Feedback
        Passed when the two agree at every test point (relative tolerance 1e-7). The points cover
        the real line (negative, near zero, large) and both sides of every kink of ``Abs``,
        ``Max``, ``Min``, ``sign`` and ``Heaviside`` in either formula. Within a time budget of
        about 1.5 s of processor time; an answer that needs longer gets a failing Feedback asking
        to simplify it.

    Raises
    ------
    TypeError
        If ``expected`` is not a SymPy expression.

    Notes
    -----
    Points where the expected formula is undefined (a logarithm of a negative number) are skipped;
    where the expected formula is defined and the answer is not, they differ.

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
    >>> print(check_expression("x", sp.Max(0, x)))  # doctest: +ELLIPSIS
    Not yet. your formula is not equivalent to the expected one.
      - It agrees where x > 0 and differs where x < 0.
      - At x = ... yours gives ..., the expected one 0.
    """
    if not isinstance(expected, sp.Expr):
        raise TypeError(f"expected: expected a SymPy expression, got {type(expected).__name__}")
    variables = sorted(expected.free_symbols, key=str)
    try:
        with time_budget(1.5):
            return _check_formula(answer, expected, variables)
    except OutOfTimeError:
        return Feedback(False, "your formula takes too long to check; simplify it and try again.")
    except Exception as problem:  # a last resort: an answer must get feedback, never a traceback
        return Feedback(False, f"your formula could not be checked ({type(problem).__name__}); "
                               "simplify it and try again.")


def _check_formula(answer: object, expected: sp.Expr, variables: list[sp.Symbol]) -> Feedback:
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
    if given == expected:  # the same after SymPy's automatic simplification: cheap, exact
        return Feedback(True, "your formula is equivalent to the expected one.")
    points = _test_points(variables, [given, expected])
    mine, mine_real = _evaluate(given, variables, points)
    right, right_real = _evaluate(expected, variables, points)
    usable = np.isfinite(right) & right_real
    if not usable.any():
        return Feedback(False, "the expected formula is undefined at every test point; tell your instructor.")
    mine, right, points = mine[usable], right[usable], points[usable]
    defined = np.isfinite(mine) & mine_real[usable]
    agree = defined & _close(mine, right)
    if not agree.all() and (~agree).sum() <= 8:  # cancellation near a zero: recheck with 30 digits
        for k in np.flatnonzero(~agree & defined):
            agree[k] = _agree_precisely(given, expected, variables, points[k])
    if agree.all():
        return Feedback(True, "your formula is equivalent to the expected one.")
    return _explain(mine, right, defined, agree, points, variables)


def _test_points(variables: list[sp.Symbol], formulas: list[sp.Expr]) -> NDArray[np.float64]:
    """Seeded points across the real line, rounded to 3 digits, plus both sides of every kink."""
    rng = np.random.default_rng(2026)
    k = max(len(variables), 1)
    magnitudes = 10.0 ** np.vstack([rng.uniform(-4, -3, size=(6, k)), rng.uniform(-2.5, 2, size=(30, k))])
    points = np.vstack([np.full((2, k), [[0.75], [-1.25]]),
                        rng.choice([-1.0, 1.0], size=(36, k)) * magnitudes])
    points = np.array([[float(f"{v:.3g}") for v in row] for row in points])
    if not variables:
        return np.zeros((1, 0))
    kinks = {arg for formula in formulas for node in sp.preorder_traversal(formula)
             for arg in _kink_arguments(node)}
    extra = []
    for g in sorted(kinks, key=str)[:8]:
        g_at = sp.lambdify(variables, _numeric(g), "numpy")
        for base in points[:4]:
            for j in range(k):
                grid = np.unique(points[:, j])
                trial = np.tile(base, (grid.size, 1))
                trial[:, j] = grid
                with np.errstate(all="ignore"):
                    values = np.real(np.broadcast_to(g_at(*trial.T), grid.shape))
                for a in np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)[:2]:
                    along = lambda t, g_at=g_at, base=base, j=j: _at(g_at, base, j, t)  # noqa: E731
                    root = _bisect(along, grid[a], grid[a + 1])
                    for side in (-1, 1):
                        point = base.copy()
                        point[j] = root + side * 1e-3 * max(1.0, abs(root))
                        extra.append(point)
    return np.vstack([points, *extra]) if extra else points


def _kink_arguments(node: sp.Basic) -> list[sp.Expr]:
    if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
        return [node.args[0]]
    if isinstance(node, (sp.Max, sp.Min)):
        return [a - b for i, a in enumerate(node.args) for b in node.args[i + 1:]]
    return []


def _at(g_at: Callable, base: NDArray, j: int, t: float) -> float:
    point = base.copy()
    point[j] = t
    with np.errstate(all="ignore"):
        return float(np.real(g_at(*point)))


def _bisect(g: Callable[[float], float], a: float, b: float) -> float:
    ga = g(a)
    for _ in range(60):
        middle = (a + b) / 2
        gm = g(middle)
        if not np.isfinite(gm) or gm == 0:
            return middle
        if np.sign(gm) == np.sign(ga):
            a, ga = middle, gm
        else:
            b = middle
    return (a + b) / 2


def _numeric(expr: sp.Expr) -> sp.Expr:
    """``expr`` ready for NumPy: huge exact numbers as floats, complex infinity as NaN."""
    replacements = {n: sp.Float(n) for n in expr.atoms(sp.Rational)
                    if max(abs(int(n.p)), int(n.q)).bit_length() > 52}
    replacements.update({sp.zoo: sp.nan, sp.oo: sp.Float("inf"), -sp.oo: sp.Float("-inf")})
    with sp.evaluate(False):  # else SymPy evaluates tan(exp(1e94)) with mpmath, digit by digit
        return expr.xreplace(replacements)


def _evaluate(expr: sp.Expr, variables: list[sp.Symbol],
              points: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Values of ``expr`` at the points (NaN where it fails) and whether each value is real."""
    function = sp.lambdify(variables, _numeric(expr), "numpy")
    with np.errstate(all="ignore"):
        try:
            values = np.broadcast_to(np.asarray(function(*points.T), dtype=complex), points.shape[:1])
        except (ArithmeticError, ValueError, TypeError, AttributeError):
            values = np.array([_one_value(function, p) for p in points])
    real = np.abs(values.imag) <= 1e-12 * np.abs(values.real)
    return values.real.copy(), real


def _one_value(function: Callable, point: NDArray) -> complex:
    try:
        return complex(function(*point))
    except (ArithmeticError, ValueError, TypeError, AttributeError):
        return complex(np.nan)


def _close(a: NDArray, b: NDArray) -> NDArray[np.bool_]:
    with np.errstate(all="ignore"):
        return np.abs(a - b) <= EXPRESSION_RTOL * np.maximum(np.abs(a), np.abs(b)) + EXPRESSION_ATOL


def _agree_precisely(a: sp.Expr, b: sp.Expr, variables: list[sp.Symbol], point: NDArray) -> bool:
    """Whether a and b agree at the point when evaluated with 30 digits (rescues cancellation)."""
    at = {v: sp.Float(float(p), 30) for v, p in zip(variables, point, strict=True)}
    try:
        va, vb = complex(a.evalf(30, subs=at)), complex(b.evalf(30, subs=at))
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        return False
    return abs(va - vb) <= 1e-12 * max(abs(va), abs(vb)) + EXPRESSION_ATOL


def _explain(mine: NDArray, right: NDArray, defined: NDArray, agree: NDArray, points: NDArray,
             variables: list[sp.Symbol]) -> Feedback:
    """Feedback on a formula that differs: a sign, a factor, an offset, or where it differs."""
    if not variables:  # a number: say how far off it is, not a factor "at every point"
        if not defined[0]:
            return Feedback(False, "your answer is not a real number.")
        if right[0] == 0:
            return Feedback(False, f"your answer, {mine[0]:.6g}, is not the expected value.")
        relative = (mine[0] - right[0]) / abs(right[0])
        return Feedback(False, f"your answer, {mine[0]:.6g}, is not the expected value.",
                        (f"It is {abs(relative):.2%} too {'small' if relative < 0 else 'large'}.",))
    if defined.all():
        if _close(mine, -right).all() and np.any(np.abs(right) > EXPRESSION_ATOL):
            return Feedback(False, "your formula has the opposite sign.")
        nonzero = np.abs(right) > EXPRESSION_ATOL
        if nonzero.any():
            ratios = mine[nonzero] / right[nonzero]
            if _close(ratios, ratios[0]).all() and _close(mine[~nonzero], 0).all():
                return Feedback(False, f"your formula is {_nice(ratios[0])} times the expected one.")
        offsets = mine - right
        rounding = 16 * _EPS * np.maximum(np.abs(mine), np.abs(right))
        if np.all(np.abs(offsets - offsets[0]) <= 1e-6 * abs(offsets[0]) + rounding):
            return Feedback(False, f"your formula differs from the expected one by a constant, "
                                   f"{_nice(offsets[0])}.")
    hints = []
    for j, v in enumerate(variables):
        for side, other, name in ((points[:, j] < 0, points[:, j] > 0, "<"), (points[:, j] > 0,
                                                                                points[:, j] < 0, ">")):
            if (~agree).any() and np.all(side[~agree]) and agree[other].all() and other.any():
                flip = ">" if name == "<" else "<"
                hints.append(f"It agrees where {v} {flip} 0 and differs where {v} {name} 0.")
    wrong = np.flatnonzero(~agree)
    with np.errstate(divide="ignore"):  # show the point nearest to 1 in size: the easiest to check
        k = wrong[np.argmin(np.max(np.abs(np.log10(np.abs(points[wrong]))), axis=1))]
    shown = ", ".join(f"{v} = {points[k, j]:.6g}" for j, v in enumerate(variables)) or "any point"
    yours = f"{mine[k]:.6g}" if defined[k] else "no real value (undefined there)"
    hints.append(f"At {shown} yours gives {yours}, the expected one {right[k]:.6g}.")
    return Feedback(False, "your formula is not equivalent to the expected one.", tuple(hints))


def _nice(number: float) -> str:
    """A ratio or offset as a simple fraction when it is one (1/2, 3), else to 4 digits."""
    fraction = Fraction(number).limit_denominator(100)
    if abs(float(fraction) - number) <= 1e-9 * max(1.0, abs(number)) and fraction != 0:
        return str(fraction)
    return f"{number:.4g}"
