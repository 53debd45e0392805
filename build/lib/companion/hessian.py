r"""Second derivatives: a numeric Hessian, and the Hessian of the neuron's loss in closed form.

The chapter *Second order: the Hessian and the step size* derives the closed form and uses both to
explain which learning rates make gradient descent converge. Arguments are checked as everywhere in
the package (see ``companion.neuron`` for w, b, X, y); a Hessian that would overflow raises
``ValueError`` instead of holding inf.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_vector, check_callable, check_choice
from .neuron import check_data

HESSIAN_METHODS = ("central", "forward")

# Relative steps that balance truncation against round-off for a second difference: the error is
# O(h^2) + O(eps / h^2) for central differences, O(h) + O(eps / h^2) for forward differences.
_EPS = np.finfo(np.float64).eps
HESSIAN_STEP = {"central": _EPS ** (1 / 4), "forward": _EPS ** (1 / 3)}


def _value(f: Callable, x: NDArray) -> float:
    value = np.asarray(f(x))
    if value.size != 1:
        raise ValueError(f"f: expected a scalar-valued function for a Hessian, got {value.size} outputs")
    if value.dtype == object or not np.issubdtype(value.dtype, np.number) or np.iscomplexobj(value):
        raise TypeError(f"f: expected f(x) to return a real number, got dtype {value.dtype}")
    if not np.isfinite(value):
        raise ValueError(f"f: f(x) is not finite at x = {x.tolist()}")
    return float(value.reshape(()))


def hessian(f: Callable[[NDArray], float], x: ArrayLike, *, method: str = "central") -> NDArray[np.float64]:
    r"""Approximate the Hessian of a scalar function ``f`` at ``x`` by finite differences.

    Parameters
    ----------
    f : callable
        A function of a vector of shape (n,) returning a scalar.
    x : array_like, shape (n,) or scalar
        The point.
    method : {"central", "forward"}
        Central second differences (error of order :math:`h^2`) or forward ones (order :math:`h`).

    Returns
    -------
    ndarray, shape (n, n)
        :math:`H_{jk} \approx \partial^2 f / \partial x_j \partial x_k`, symmetric.

    Raises
    ------
    TypeError
        If ``f`` is not callable or does not return a real number.
    ValueError
        If ``f`` returns more than one number or a non-finite one, ``x`` is not finite, or ``method``
        is unknown.

    Notes
    -----
    With steps :math:`h_j = \epsilon^{1/4}\max(1, |x_j|)` (central),

    .. math::

        H_{jk} \approx \frac{f(x + h_j e_j + h_k e_k) - f(x + h_j e_j - h_k e_k)
        - f(x - h_j e_j + h_k e_k) + f(x - h_j e_j - h_k e_k)}{4 h_j h_k}.

    The truncation error falls as :math:`h^2` while the round-off error of the four-term difference
    grows as :math:`\epsilon / h^2`; :math:`h \approx \epsilon^{1/4}` balances them, so expect about
    eight correct digits, not sixteen. It costs :math:`4n^2` evaluations of ``f``: for a Hessian-vector
    product, difference two gradients instead (the chapter shows how).

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda v: v[0] ** 2 * v[1] + 3 * v[1] ** 2
    >>> np.round(hessian(f, [1.0, 2.0]), 6)      # [[2 x2, 2 x1], [2 x1, 6]]
    array([[4., 2.],
           [2., 6.]])
    """
    check_callable("f", f)
    check_choice("method", method, HESSIAN_METHODS)
    x = as_vector("x", x, nonempty=True)
    n = x.size
    h = [float(step) for step in HESSIAN_STEP[method] * np.maximum(1.0, np.abs(x))]
    E = np.diag(h)                                   # row j is the step h_j e_j; h in Python floats,
    # whose arithmetic overflows to inf silently, so that the check below reports it
    H = np.zeros((n, n))                             # zeros, not empty: the check below reads all of H
    if method == "central":
        for j in range(n):
            for k in range(j, n):
                H[j, k] = (_value(f, x + E[j] + E[k]) - _value(f, x + E[j] - E[k])
                           - _value(f, x - E[j] + E[k]) + _value(f, x - E[j] - E[k])) / (4 * h[j] * h[k])
    else:
        fx = _value(f, x)
        single = [_value(f, x + E[j]) for j in range(n)]
        for j in range(n):
            for k in range(j, n):
                H[j, k] = (_value(f, x + E[j] + E[k]) - single[j] - single[k] + fx) / (h[j] * h[k])
    if not np.isfinite(H).all():
        raise ValueError("f: the second differences overflowed float64; f is too large near x to difference")
    return np.triu(H) + np.triu(H, 1).T


def loss_hessian(w: ArrayLike, b: float, X: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
    r"""The Hessian of the neuron's loss :func:`companion.loss` with respect to :math:`[\mathbf{w}; b]`.

    Parameters
    ----------
    w : array_like, shape (n,)
    b : float
    X : array_like, shape (N, n)
        One sample per row.
    y : array_like, shape (N,)
        Targets (the Hessian does not depend on them; they are checked for shape).

    Returns
    -------
    ndarray, shape (n + 1, n + 1)
        :math:`H = \frac{2}{N}\hat X_a^\top \hat X_a`, where :math:`\hat X_a` holds the active rows
        (:math:`\mathbf{w}\cdot\mathbf{x}_i + b > 0`) of X with a column of ones appended. The last row
        and column belong to b.

    Notes
    -----
    The gradient is :math:`\frac{2}{N}\sum_{i \text{ active}} e_i \hat{\mathbf{x}}_i` with
    :math:`e_i = \hat{\mathbf{w}}\cdot\hat{\mathbf{x}}_i - y_i`, and :math:`\partial e_i / \partial
    \hat{\mathbf{w}} = \hat{\mathbf{x}}_i^\top`. While no sample crosses the kink the set of active samples
    is fixed, so differentiating again gives :math:`\frac{2}{N}\sum_{i \text{ active}}
    \hat{\mathbf{x}}_i\hat{\mathbf{x}}_i^\top`. The formula is valid away from the kink; where a sample
    has :math:`z_i = 0` exactly the loss has no second derivative, and the sample counts as inactive,
    as in :func:`companion.loss_gradient`. H is positive semi-definite: on each region of fixed
    activity the loss is a convex quadratic.

    Examples
    --------
    >>> loss_hessian([1.0], 0.0, [[1.0], [2.0], [-1.0]], [0.0, 0.0, 0.0])   # two active samples
    array([[3.33333333, 2.        ],
           [2.        , 1.33333333]])
    """
    w, b, X, y = check_data(w, b, X, y)
    active = X @ w + b > 0
    X_hat = np.column_stack([X[active], np.ones(int(active.sum()))])
    with np.errstate(over="ignore", invalid="ignore"):
        H = (2.0 / y.size) * (X_hat.T @ X_hat)
    if not np.isfinite(H).all():
        raise ValueError("w, b, X, y: the Hessian overflowed float64 (an entry is not finite) although "
                         "every input is finite; rescale X")
    return H
