"""Symbolic Jacobians with SymPy, in either layout.

SymPy's ``Matrix.jacobian`` is already in numerator layout; this wrapper adds the
argument checks and the ``layout=`` switch that every Jacobian of the course offers. Both functions
raise ``TypeError`` for what is not a SymPy expression or Symbol (an equation, a string) and
``ValueError`` for empty or repeated variables, non-finite expressions, an unknown layout, or (in
:func:`to_function`) symbols missing from ``variables``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike
from sympy.core.function import AppliedUndef

from ._validate import LAYOUTS, apply_layout, check_choice


def _as_column(exprs: object) -> sp.Matrix:
    """Return ``exprs`` (an expression, a sequence or a Matrix) as a column Matrix."""
    if isinstance(exprs, str):
        raise TypeError("exprs: expected SymPy expressions, got a string; build the expression "
                        "from symbols, e.g. x, y = sympy.symbols('x y'); 3*x**2*y")
    items = list(exprs) if isinstance(exprs, (sp.MatrixBase, Sequence)) else [exprs]
    if not items:
        raise ValueError("exprs: expected at least one expression, got an empty sequence")
    column = []
    for item in items:
        if not isinstance(item, (sp.Basic, int, float)) or isinstance(item, bool):
            raise TypeError(f"exprs: expected SymPy expressions, got {type(item).__name__} {item!r}")
        expr = sp.sympify(item)
        if not isinstance(expr, sp.Expr):  # an equation, an inequality, True, a set, ...
            raise TypeError(f"exprs: expected SymPy expressions with a value to differentiate, got "
                            f"{type(expr).__name__} {expr}; for an equation lhs = rhs use lhs - rhs")
        if expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise ValueError(f"exprs: expected finite expressions, got {expr}")
        column.append(expr)
    return sp.Matrix(column)


def _as_symbols(variables: object) -> list[sp.Symbol]:
    """Return ``variables`` as a list of distinct SymPy symbols."""
    items = list(variables) if isinstance(variables, (Sequence, sp.MatrixBase)) else [variables]
    if not items:
        raise ValueError("variables: expected at least one symbol, got an empty sequence")
    for item in items:
        if not isinstance(item, sp.Symbol):
            raise TypeError(f"variables: expected SymPy symbols, got {type(item).__name__} {item!r}")
    if len(set(items)) != len(items):
        raise ValueError(f"variables: expected distinct symbols, got {items}")
    return items


def symbolic_jacobian(exprs: object, variables: object, *, layout: str = "numerator") -> sp.Matrix:
    r"""Differentiate expressions with respect to variables, giving a SymPy Matrix.

    Parameters
    ----------
    exprs : sympy expression, sequence of expressions, or sympy.Matrix
        The m components :math:`f_1, \dots, f_m` of the function.
    variables : sympy.Symbol or sequence of n symbols
        The variables :math:`x_1, \dots, x_n`.
    layout : {"numerator", "denominator"}
        Numerator layout (default) gives an m x n Matrix with element (i, j) equal to
        :math:`\partial f_i / \partial x_j`; denominator layout gives its transpose, n x m.

    Returns
    -------
    sympy.Matrix, shape (m, n) or (n, m)

    Notes
    -----
    .. math::

        J = \begin{bmatrix} \nabla f_1(x)^\top \\ \vdots \\ \nabla f_m(x)^\top \end{bmatrix},
        \qquad J_{ij} = \frac{\partial f_i}{\partial x_j}.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> symbolic_jacobian([3 * x**2 * y, 2 * x + y**8], [x, y])
    Matrix([
    [6*x*y, 3*x**2],
    [    2, 8*y**7]])
    >>> symbolic_jacobian(3 * x**2 * y, [x, y], layout="denominator")
    Matrix([
    [ 6*x*y],
    [3*x**2]])
    """
    check_choice("layout", layout, LAYOUTS)
    return apply_layout(_as_column(exprs).jacobian(_as_symbols(variables)), layout)


def to_function(exprs: object, variables: object) -> Callable[[ArrayLike], np.ndarray | float]:
    r"""Turn SymPy expressions into a NumPy function of one vector, for :func:`companion.jacobian`.

    Parameters
    ----------
    exprs : sympy expression, sequence of expressions, or sympy.Matrix
        What to evaluate.
    variables : sympy.Symbol or sequence of n symbols
        The variables, in the order of the vector's entries.

    Returns
    -------
    callable
        ``f(v)`` with ``v`` of shape (n,): a float for a single expression, shape (m,) for a
        sequence or a column, shape (m, k) for a Matrix with k > 1 columns. Complex ``v`` gives
        complex values, so ``method="complex"`` works.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> f = to_function(3 * x**2 * y, [x, y])
    >>> f([1.0, 2.0])
    6.0
    >>> to_function(symbolic_jacobian([x * y, x + y], [x, y]), [x, y])([3.0, 4.0])
    array([[4., 3.],
           [1., 1.]])
    """
    single = not isinstance(exprs, (Sequence, sp.MatrixBase)) and not isinstance(exprs, str)
    matrix = _as_column(exprs) if not isinstance(exprs, sp.MatrixBase) else exprs
    symbols = _as_symbols(variables)
    missing = matrix.free_symbols - set(symbols)
    if missing:
        raise ValueError(f"variables: the expressions also depend on {sorted(missing, key=str)}, which "
                         f"are not among the variables {symbols}; add them or substitute values")
    unknown = matrix.atoms(AppliedUndef)
    if unknown:
        raise ValueError(f"exprs: undefined functions {sorted(map(str, unknown))} cannot be evaluated; "
                         "replace them by expressions")
    shape = (matrix.shape[0],) if matrix.shape[1] == 1 else matrix.shape
    # Every variable becomes a Dummy, so no symbol's name is ever printed into the generated code.
    entries = sp.lambdify(symbols, list(matrix), modules="numpy", dummify=True)

    def f(v: ArrayLike) -> np.ndarray | float:
        v = np.asarray(v)
        if v.shape != (len(symbols),):
            raise ValueError(f"v: expected a vector of {len(symbols)} values for {symbols}, "
                             f"got shape {v.shape}")
        values = np.array([complex(e) if np.iscomplexobj(v) else float(e) for e in entries(*v)])
        return values.item() if single else values.reshape(shape)

    return f
