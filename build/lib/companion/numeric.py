"""Numeric Jacobians and gradients by finite differences and by the complex step.

The chapter *Checking derivatives numerically* explains the three methods; the
tests in ``tests/test_numeric.py`` hold them to known derivatives.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import LAYOUTS, apply_layout, as_vector, check_callable, check_choice

METHODS = ("forward", "central", "complex")

# Default relative steps: the step that balances truncation against round-off error
# for each method (as scipy.optimize._numdiff chooses them).
_EPS = np.finfo(np.float64).eps
RELATIVE_STEP = {"forward": _EPS**0.5, "central": _EPS ** (1 / 3), "complex": 1e-20}


def _evaluate(f: Callable, x: NDArray, *, complex_input: bool = False) -> NDArray:
    """Call ``f`` on a copy of ``x`` (so it cannot change the caller's point) and check its value."""
    value = np.asarray(f(x.copy()))
    if value.ndim > 1:
        raise ValueError(f"f: expected f(x) to return a scalar or a 1-D array, "
                         f"got an array of shape {value.shape}")
    if value.dtype == object or not np.issubdtype(value.dtype, np.number):
        raise TypeError(f"f: expected f(x) to return numbers, got dtype {value.dtype}")
    if complex_input and not np.iscomplexobj(value):
        raise TypeError("f: method='complex' needs f to carry complex input through, but f returned "
                        f"real dtype {value.dtype} for a complex x (abs, max or a cast to float drop "
                        "the imaginary part); use method='central' instead")
    if not complex_input and np.iscomplexobj(value):
        raise TypeError(f"f: expected a real-valued function, got dtype {value.dtype}")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"f: f(x) is not finite at x = {x.real.tolist()}")
    return value.reshape(-1)


def _steps(x: NDArray[np.float64], method: str, step: ArrayLike | None) -> NDArray[np.float64]:
    """Return one step per coordinate of ``x``."""
    if step is None:
        return RELATIVE_STEP[method] * np.maximum(1.0, np.abs(x))
    h = as_vector("step", step, nonempty=True)
    if h.shape[0] == 1:
        h = np.full_like(x, h[0])
    if h.shape != x.shape:
        raise ValueError(f"step: expected a scalar or one step per coordinate ({x.shape[0]}), "
                         f"got {h.shape[0]} steps")
    if np.any(h <= 0):
        raise ValueError(f"step: expected positive steps, got {h.tolist()}")
    return h


def _shifted(x: NDArray, j: int, shift: complex) -> NDArray:
    """A copy of ``x`` with ``shift`` added to coordinate ``j`` only (no n x n identity)."""
    point = x.astype(complex) if isinstance(shift, complex) else x.copy()
    point[j] += shift
    return point


def _jacobian(f: Callable, x: NDArray[np.float64], method: str, h: NDArray[np.float64]) -> NDArray:
    """The numerator-layout Jacobian on checked arguments: one column per coordinate."""
    fx = _evaluate(f, x) if method == "forward" else None  # shared by every forward quotient
    J = np.column_stack([_column(f, x, method, h[j], j, fx) for j in range(x.size)])
    if not np.all(np.isfinite(J)):
        raise ValueError(f"f: the difference quotients overflowed (f changes by more than float64 can "
                         f"hold over a step); f's values near x are too large for method={method!r}")
    return J


def _column(f: Callable, x: NDArray[np.float64], method: str, h: float, j: int,
            fx: NDArray | None) -> NDArray:
    """Column j of the Jacobian: the derivative of f along coordinate j, by ``method``."""
    if method == "complex":
        return _evaluate(f, _shifted(x, j, 1j * h), complex_input=True).imag / h
    ahead = _evaluate(f, _shifted(x, j, h))
    behind = fx if method == "forward" else _evaluate(f, _shifted(x, j, -h))
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported by _jacobian
        return (ahead - behind) / (h if method == "forward" else 2 * h)


def jacobian(f: Callable[[NDArray], ArrayLike], x: ArrayLike, *, method: str = "central",
             step: ArrayLike | None = None, layout: str = "numerator") -> NDArray[np.float64]:
    r"""Approximate the Jacobian of ``f`` at ``x`` numerically.

    Parameters
    ----------
    f : callable
        A function of a vector of shape (n,) returning a scalar or a vector of shape (m,).
        With ``method="complex"`` it must accept complex input.
    x : array_like, shape (n,) or scalar
        The point. A scalar is treated as a vector of length 1.
    method : {"central", "forward", "complex"}
        Central differences (error of order :math:`h^2`), forward differences (order :math:`h`)
        or the complex step (no subtraction, so accurate to machine precision).
    step : float or array_like of shape (n,), optional
        Absolute step per coordinate. By default :math:`h_j = \epsilon^{1/3}\max(1, |x_j|)`
        for central, :math:`\epsilon^{1/2}\max(1, |x_j|)` for forward differences.
    layout : {"numerator", "denominator"}
        Numerator layout gives shape (m, n) with element (i, j) equal to
        :math:`\partial f_i / \partial x_j`; denominator layout gives the transpose, (n, m).

    Returns
    -------
    ndarray, shape (m, n) or (n, m)
        A scalar-valued ``f`` gives shape (1, n) (numerator layout).

    Raises
    ------
    TypeError
        If ``f`` is not callable, returns non-numbers, or drops the imaginary part with
        ``method="complex"``.
    ValueError
        For an unknown ``method`` or ``layout``, a non-finite ``x`` or ``f(x)``, or a bad ``step``.

    Notes
    -----
    Column :math:`j` of the Jacobian is the derivative of ``f`` along the unit vector
    :math:`e_j`:

    .. math::

        J_{:,j} \approx \frac{f(x + h e_j) - f(x - h e_j)}{2h}, \qquad
        J_{:,j} = \frac{\operatorname{Im} f(x + i h e_j)}{h} + O(h^2).

    Truncation error shrinks with ``h`` while round-off error, from subtracting two nearly
    equal numbers, grows as :math:`\epsilon / h`; the default steps balance the two. The
    complex step subtracts nothing, so a tiny ``h`` costs no accuracy.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda v: np.array([3 * v[0] ** 2 * v[1], 2 * v[0] + v[1] ** 8])
    >>> np.round(jacobian(f, [1.0, 2.0]), 5)
    array([[  12.,    3.],
           [   2., 1024.]])
    >>> jacobian(f, [1.0, 2.0], method="complex", layout="denominator").shape
    (2, 2)
    """
    check_callable("f", f)
    check_choice("method", method, METHODS)
    check_choice("layout", layout, LAYOUTS)
    x = as_vector("x", x, nonempty=True)
    return apply_layout(_jacobian(f, x, method, _steps(x, method, step)), layout)


def gradient(f: Callable[[NDArray], ArrayLike], x: ArrayLike, *, method: str = "central",
             step: ArrayLike | None = None) -> NDArray[np.float64]:
    r"""Approximate the gradient of a scalar-valued ``f`` at ``x``; arguments as for :func:`jacobian`.

    Returns
    -------
    ndarray, shape (n,)
        :math:`\nabla f(x)`, element j being :math:`\partial f / \partial x_j`. A vector-valued
        ``f`` raises ``ValueError``: use :func:`jacobian`.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(gradient(lambda v: 3 * v[0] ** 2 * v[1], [1.0, 2.0]), 6)
    array([12.,  3.])
    """
    check_callable("f", f)
    check_choice("method", method, METHODS)
    x = as_vector("x", x, nonempty=True)
    J = _jacobian(f, x, method, _steps(x, method, step))
    if J.shape[0] != 1:
        raise ValueError(f"f: expected a scalar-valued function for a gradient, got {J.shape[0]} outputs; "
                         "use jacobian() for vector-valued functions")
    return J[0]
