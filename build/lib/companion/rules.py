r"""Closed-form Jacobians: element-wise operators, scalar expansion, sum reduction, the chain rule.

Each rule is data: one line per operator giving the derivative of ``y_i`` with respect to
each operand, exactly as the table in the chapter *Gradients and Jacobians* lists it.
All Jacobians are in numerator layout (m x n for y in R^m and x in R^n). Every function raises
``ValueError`` for an unknown operator, operands that do not fit, non-finite values, a division by
zero or a result that would overflow, and ``TypeError`` for arguments of the wrong kind, naming the
argument each time.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from ._validate import as_array, as_scalar, as_vector, check_choice, check_same_length

# y = w op x, element by element: (dy_i/dw_i, dy_i/dx_i).
ELEMENTWISE_RULES = {
    "+": lambda w, x: (np.ones_like(w), np.ones_like(x)),
    "-": lambda w, x: (np.ones_like(w), -np.ones_like(x)),
    "*": lambda w, x: (x, w),
    "/": lambda w, x: (1 / x, -w / x**2),
}

# y = x op z with a scalar z expanded to a vector: (dy_i/dx_i, dy_i/dz).
SCALAR_EXPANSION_RULES = {
    "+": lambda x, z: (np.ones_like(x), np.ones_like(x)),
    "-": lambda x, z: (np.ones_like(x), -np.ones_like(x)),
    "*": lambda x, z: (np.full_like(x, z), x),
    "/": lambda x, z: (np.full_like(x, 1 / z), -x / z**2),
}


def _finite_or_raise(message: str, *values: NDArray) -> None:
    """Raise ``message`` when a rule's value overflowed (1 / 1e-200**2, say) instead of returning inf."""
    if not all(np.all(np.isfinite(v)) for v in values):
        raise ValueError(message)


def elementwise_jacobians(op: str, w: ArrayLike, x: ArrayLike) -> tuple[NDArray, NDArray]:
    r"""Jacobians of :math:`y = w \bigcirc x` for an element-wise operator, with respect to each operand.

    Parameters
    ----------
    op : {"+", "-", "*", "/"}
        The operator; ``"*"`` is the Hadamard product :math:`\otimes`, ``"/"`` the
        element-wise quotient :math:`\oslash`.
    w, x : array_like, shape (n,)
        The operands, vectors of the same length.

    Returns
    -------
    J_w, J_x : ndarray, shape (n, n)
        :math:`\partial y / \partial w` and :math:`\partial y / \partial x`, both diagonal
        (numerator layout; being diagonal, they are the same in denominator layout).

    Notes
    -----
    :math:`y_i` depends on :math:`w_i` and :math:`x_i` only, so every off-diagonal element
    :math:`\partial y_i / \partial w_j` (:math:`i \ne j`) is zero:

    .. math::

        \frac{\partial (w \otimes x)}{\partial w} = \operatorname{diag}(x), \qquad
        \frac{\partial (w \oslash x)}{\partial x} = \operatorname{diag}(-w_i / x_i^2).

    Derived in the course section :ref:`elementwise`.

    Examples
    --------
    >>> J_w, J_x = elementwise_jacobians("*", [1.0, 2.0], [3.0, 4.0])
    >>> J_w
    array([[3., 0.],
           [0., 4.]])
    >>> J_x
    array([[1., 0.],
           [0., 2.]])
    """
    check_choice("op", op, ELEMENTWISE_RULES)
    w = as_vector("w", w)
    x = as_vector("x", x)
    check_same_length("w", w, "x", x)
    if op == "/" and np.any(x == 0):
        raise ValueError(f"x: expected no zeros when dividing by x, got zeros at indices "
                         f"{np.flatnonzero(x == 0).tolist()}")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        dw, dx = ELEMENTWISE_RULES[op](w, x)
    _finite_or_raise(f"w, x: the derivative of w {op} x overflows float64 at these values (a division "
                     "by a number this close to zero); the Jacobian would hold inf", dw, dx)
    return np.diag(dw), np.diag(dx)


def scalar_expansion_jacobians(op: str, x: ArrayLike, z: float) -> tuple[NDArray, NDArray]:
    r"""Jacobians of :math:`y = x \bigcirc z` where the scalar z is expanded to a vector.

    Parameters
    ----------
    op : {"+", "-", "*", "/"}
        The operator, applied to each :math:`x_i` and the same z.
    x : array_like, shape (n,)
        The vector operand.
    z : float
        The scalar operand.

    Returns
    -------
    J_x : ndarray, shape (n, n)
        :math:`\partial y / \partial x`, diagonal.
    J_z : ndarray, shape (n, 1)
        :math:`\partial y / \partial z`, a column: y has n components, z is one variable.

    Notes
    -----
    .. math::

        \frac{\partial (x + z)}{\partial x} = I, \quad \frac{\partial (x + z)}{\partial z} = \mathbf{1},
        \quad \frac{\partial (x z)}{\partial x} = z I, \quad \frac{\partial (x z)}{\partial z} = x.

    Derived in the course section :ref:`scalar-expansion`, which calls the scalar :math:`t`.

    Examples
    --------
    >>> J_x, J_z = scalar_expansion_jacobians("*", [1.0, 2.0], 3.0)
    >>> J_x
    array([[3., 0.],
           [0., 3.]])
    >>> J_z
    array([[1.],
           [2.]])
    """
    check_choice("op", op, SCALAR_EXPANSION_RULES)
    x = as_vector("x", x)
    z = as_scalar("z", z)
    if op == "/" and z == 0:
        raise ValueError("z: expected a non-zero scalar when dividing by z, got 0.0")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        dx, dz = SCALAR_EXPANSION_RULES[op](x, z)
    _finite_or_raise(f"x, z: the derivative of x {op} z overflows float64 at these values (a division "
                     "by a number this close to zero); the Jacobian would hold inf", dx, dz)
    return np.diag(dx), dz.reshape(-1, 1)


def sum_jacobian(x: ArrayLike) -> NDArray[np.float64]:
    r"""Jacobian of the sum reduction :math:`y = \sum_i x_i`: a row of ones.

    Parameters
    ----------
    x : array_like, shape (n,)

    Returns
    -------
    ndarray, shape (1, n)
        :math:`\partial y / \partial x = \mathbf{1}^\top` (numerator layout).

    Notes
    -----
    Derived in the course section :ref:`reductions`.

    Examples
    --------
    >>> sum_jacobian([4.0, -1.0, 2.5])
    array([[1., 1., 1.]])
    """
    x = as_vector("x", x)
    return np.ones((1, x.size))


def _checked_jacobian(name: str, matrix: object) -> NDArray | sp.MatrixBase:
    """Return a 2-D real, finite float array or a SymPy Matrix, or raise."""
    if isinstance(matrix, sp.MatrixBase):
        if matrix.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise ValueError(f"{name}: expected finite entries, got a Matrix holding nan or infinity")
        return matrix
    if not isinstance(matrix, np.ndarray):
        raise TypeError(f"{name}: expected a 2-D NumPy array or SymPy Matrix, "
                        f"got {type(matrix).__name__}")
    if matrix.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D Jacobian, got shape {matrix.shape}; "
                         "reshape a gradient g to a row with g.reshape(1, -1)")
    return as_array(name, matrix, ndim=2)


def chain(*jacobians: NDArray | sp.Matrix) -> NDArray | sp.Matrix:
    r"""The vector chain rule: multiply Jacobians, the outermost function's first.

    For :math:`y = f(g(x))`, ``chain(J_f, J_g)`` returns
    :math:`\frac{\partial y}{\partial x} = \frac{\partial f}{\partial g}\frac{\partial g}{\partial x}`.

    Parameters
    ----------
    *jacobians : ndarray or sympy.Matrix, each 2-D
        Numerator-layout Jacobians, leftmost outermost; the number of columns of each must equal
        the number of rows of the next. NumPy arrays and SymPy matrices may be mixed; any SymPy
        matrix makes the result a SymPy matrix.

    Returns
    -------
    ndarray or sympy.Matrix, shape (rows of the first, columns of the last)

    Notes
    -----
    Derived in the course section :ref:`vector-chain-rule`.

    Examples
    --------
    >>> import numpy as np
    >>> J_f = np.array([[1.0, 2.0]])          # f: R^2 -> R
    >>> J_g = np.array([[1.0], [3.0]])        # g: R -> R^2
    >>> chain(J_f, J_g)
    array([[7.]])
    """
    if not jacobians:
        raise ValueError("jacobians: expected at least one Jacobian, got none")
    jacobians = [_checked_jacobian(f"jacobians[{k}]", J) for k, J in enumerate(jacobians)]
    shapes = [J.shape for J in jacobians]
    for k in range(len(shapes) - 1):
        if shapes[k][1] != shapes[k + 1][0]:
            raise ValueError(
                f"jacobians[{k}] and jacobians[{k + 1}]: shapes {shapes[k]} and {shapes[k + 1]} do not "
                f"chain; the columns of each ({shapes[k][1]}) must equal the rows of the next "
                f"({shapes[k + 1][0]}); are they in numerator layout, outermost first?")
    symbolic = any(isinstance(J, sp.MatrixBase) for J in jacobians)
    product = sp.Matrix(jacobians[0]) if symbolic else jacobians[0]
    for J in jacobians[1:]:
        if symbolic:
            product = product * sp.Matrix(J)
        else:
            with np.errstate(over="ignore", invalid="ignore"):
                product = product @ J
    if not symbolic:
        _finite_or_raise("jacobians: their product overflows float64 (entries too large)", product)
    return product
