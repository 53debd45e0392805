"""Gradient checking: compare an analytic gradient with a numeric one.

The habit every chapter practises: derive a gradient by hand, code it, then let
:func:`check_gradient` compare it with finite differences before trusting it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_positive_int, as_vector, check_callable, check_choice
from .numeric import METHODS, RELATIVE_STEP, _jacobian, _steps


def _checked_arguments(f, grad, x, method):
    """Check the arguments shared by both checks, once."""
    check_callable("f", f)
    check_callable("grad", grad)
    check_choice("method", method, METHODS)
    return as_vector("x", x, nonempty=True)


def _analytic_gradient(grad: Callable[[NDArray], ArrayLike], x: NDArray) -> NDArray[np.float64]:
    """Call ``grad`` on a copy of x (so it cannot change x) and check its answer."""
    analytic = np.asarray(grad(x.copy()))
    if analytic.dtype == object or analytic.dtype.kind not in "biufc":
        raise TypeError(f"grad: expected grad(x) to return numbers, got dtype {analytic.dtype}")
    if np.iscomplexobj(analytic):
        raise TypeError(f"grad: expected a real gradient, got complex dtype {analytic.dtype}")
    if analytic.shape != x.shape:
        raise ValueError(f"grad: expected grad(x) to have the shape of x {x.shape}, got {analytic.shape}; "
                         "return the gradient as a flat vector")
    analytic = analytic.astype(float)
    if not np.all(np.isfinite(analytic)):
        raise ValueError(f"grad: grad(x) has {analytic.size - np.isfinite(analytic).sum()} NaN or infinite "
                         "entries; a gradient to check must be finite")
    return analytic


def check_gradient(f: Callable[[NDArray], float], grad: Callable[[NDArray], ArrayLike],
                   x: ArrayLike, *, method: str = "central") -> float:
    r"""Relative error between an analytic gradient and a numeric one at ``x``.

    Parameters
    ----------
    f : callable
        A scalar-valued function of a vector of shape (n,).
    grad : callable
        The gradient to check: a function of the same vector returning shape (n,).
    x : array_like, shape (n,)
        The point. Keep it away from kinks such as ReLU's, where no derivative exists.
    method : {"central", "forward", "complex"}
        How the numeric gradient is computed (see :func:`companion.jacobian`).

    Returns
    -------
    float
        :math:`\lVert g - \hat g \rVert / \max(\lVert g \rVert + \lVert \hat g \rVert, 10^{-300})`,
        where g is ``grad(x)`` and :math:`\hat g` the numeric gradient. Around 1e-9 or less for a
        right gradient with central differences; of order 0.1 to 1 for a wrong one.

    Raises
    ------
    TypeError
        If ``f`` or ``grad`` is not callable.
    ValueError
        If ``grad(x)`` does not have the shape of ``x``, or as for :func:`companion.gradient`.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda v: np.sum(v ** 2)
    >>> check_gradient(f, lambda v: 2 * v, [1.0, -2.0]) < 1e-9
    True
    >>> check_gradient(f, lambda v: v, [1.0, -2.0]) > 0.1     # forgot the factor 2
    True
    """
    x = _checked_arguments(f, grad, x, method)
    analytic = _analytic_gradient(grad, x)
    numeric = _jacobian(f, x, method, _steps(x, method, None))
    if numeric.shape[0] != 1:
        raise ValueError(f"f: expected a scalar-valued function, got {numeric.shape[0]} outputs")
    numeric = numeric[0]
    scale = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-300)
    return float(np.linalg.norm(analytic - numeric) / scale)


def check_gradient_direction(f: Callable[[NDArray], float], grad: Callable[[NDArray], ArrayLike],
                             x: ArrayLike, *, seed: int = 0, method: str = "central") -> float:
    r"""Relative error of a gradient along one random direction: two evaluations of f, whatever n.

    ``f``, ``grad``, ``x`` and ``method`` are as for :func:`check_gradient`; ``seed`` (an int) seeds the
    random direction, for a repeatable check.

    Returns
    -------
    float
        :math:`|g \cdot v - D_v f| / (|g \cdot v| + |D_v f|)` for a random unit vector v, where
        :math:`D_v f = \frac{d}{dt} f(x + t v)\big|_{t=0}` is computed numerically. Small for a right
        gradient; a wrong one is caught unless its error happens to be orthogonal to v, which for
        a random v has probability zero.

    Notes
    -----
    :func:`check_gradient` needs 2n evaluations of f for central differences; for a network with
    millions of parameters that is too many. One directional derivative costs two.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda v: np.sum(v ** 2)
    >>> check_gradient_direction(f, lambda v: 2 * v, np.arange(1000.0)) < 1e-8
    True
    >>> check_gradient_direction(f, lambda v: v, np.arange(1000.0)) > 0.1
    True
    """
    x = _checked_arguments(f, grad, x, method)
    seed = as_positive_int("seed", seed)
    analytic = _analytic_gradient(grad, x)
    v = np.random.default_rng(seed).standard_normal(x.size)
    v /= np.linalg.norm(v)
    # The step in t moves x by t along a unit vector, so it scales with the size of x's entries.
    step = RELATIVE_STEP[method] * max(1.0, float(np.max(np.abs(x))))
    along = _jacobian(lambda t: f(x + t[0] * v), np.zeros(1), method, np.array([step]))
    if along.shape[0] != 1:
        raise ValueError(f"f: expected a scalar-valued function, got {along.shape[0]} outputs")
    along = along[0, 0]
    projected = analytic @ v
    scale = max(abs(projected) + abs(along), 1e-300)
    return float(abs(projected - along) / scale)
