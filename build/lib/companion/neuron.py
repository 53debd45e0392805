r"""One ReLU neuron, its mean-squared-error loss, and their analytic gradients.

Notation, once for the whole module (chapter *The problem*): weights ``w``, shape (n,); bias ``b``,
a float; one sample ``x``, shape (n,); data ``X``, shape (N, n), one sample per row; targets ``y``,
shape (N,); the pre-activation :math:`z = \mathbf{w} \cdot \mathbf{x} + b` and the error
:math:`e_i = z_i - y_i`. Every function checks these once and raises ``TypeError`` or ``ValueError``
naming the argument (mismatched shapes, non-finite values, a result that overflows). The chapter
*The gradient of the neuron and of the loss* derives the gradients implemented here.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_array, as_scalar, as_vector


def check_data(w: ArrayLike, b: float, X: ArrayLike, y: ArrayLike, *, scan_X: bool = True):
    """Check and convert (w, b, X, y), returning finite float arrays and a float bias.

    ``scan_X=False`` skips the scan of X for NaN and infinity, which costs a pass over X, for a
    caller that detects them in its result instead (see :func:`loss_gradient`).
    """
    w = as_vector("w", w, nonempty=True)
    b = as_scalar("b", b)
    X = as_array("X", X, ndim=2, finite=scan_X)
    y = as_vector("y", y)
    if X.shape[1] != w.size:
        raise ValueError(f"X: expected {w.size} columns (one per weight in w), got shape {X.shape}; "
                         "X holds one sample per row")
    if X.shape[0] != y.size:
        raise ValueError(f"y: expected one target per row of X ({X.shape[0]}), got {y.size}")
    if y.size == 0:
        raise ValueError("X: expected at least one sample, got 0 rows")
    return w, b, X, y


def finite_or_raise(names: str, what: str, *values) -> None:
    """Raise if a computed value overflowed: the inputs were finite, so their size is to blame."""
    if not all(np.all(np.isfinite(v)) for v in values):
        raise ValueError(f"{names}: {what} overflowed float64 (the result is not finite) although "
                         "every input is finite; the values are too large: rescale the data or the "
                         "parameters")


def _z(w, b, X):
    """The pre-activations ``X @ w + b``, without overflow warnings (callers check finiteness)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return X @ w + b


def _loss(w, b, X, y) -> float:
    """The loss on checked arguments; ``inf`` when it overflows (callers decide what that means)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.mean((y - np.maximum(0.0, _z(w, b, X))) ** 2))


# Rows per block of the one-pass gradient in NumPy: 2,048 rows of 100 features are 1.6 MB, small enough to
# stay in cache between the block's two uses.
BLOCK_ROWS = 2048
# From this many numbers in X (8 MB, more than the caches hold) X is read in PARTS summed on every core and
# then added in order (so the result does not depend on the number of cores), by the compiled loop of
# companion._compiled when Numba is installed. Smaller data stay in NumPy, whose results the notebooks print.
LARGE = 2**20
PARTS = 16


@functools.cache
def _compiled_gradient_sums():
    """The compiled one-pass sums, or None without Numba (imported on first use: Numba takes 0.5 s)."""
    try:
        from ._compiled import gradient_sums
    except (ImportError, RuntimeError, OSError):  # no Numba, or no writable folder for its compiled code
        return None
    return gradient_sums


def _cores() -> int:
    """The cores this process may use (a container's limit, where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _gradient_sums(w, b, X, y, start, stop):
    """Over the active samples among rows start..stop-1: the sum of e_i x_i, then that of e_i, in NumPy."""
    sums = np.zeros(w.size + 1)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported by the public function
        for first in range(start, stop, BLOCK_ROWS):
            block = slice(first, min(first + BLOCK_ROWS, stop))
            X_b, y_b = X[block], y[block]
            z = X_b @ w + b
            e = np.where(z > 0, z - y_b, 0.0)  # e_i on active samples, 0 on the others
            sums[:-1] += e @ X_b  # X_b is still in cache: one trip to memory for both products
            sums[-1] += e.sum()
            if not np.all(np.isfinite(z)):  # a NaN or infinity in X_b, or an overflow: never skipped
                sums[-1] = np.nan  # (a BLAS may skip the rows that e leaves at 0, so 0 * inf is not enough)
    return sums


def _loss_gradient(w, b, X, y):
    """The loss gradient on checked arguments, in one pass over X; may be non-finite on overflow."""
    N = y.size
    if X.size < LARGE:
        sums = _gradient_sums(w, b, X, y, 0, N)
    else:
        sums_of = (X.flags.c_contiguous and _compiled_gradient_sums()) or _gradient_sums
        edges = np.linspace(0, N, PARTS + 1).astype(int)
        with ThreadPoolExecutor(max_workers=min(PARTS, _cores())) as threads:
            parts = list(threads.map(lambda k: sums_of(w, b, X, y, edges[k], edges[k + 1]), range(PARTS)))
        sums = np.sum(parts, axis=0)
    with np.errstate(over="ignore", invalid="ignore"):
        return (2.0 / N) * sums[:-1], float((2.0 / N) * sums[-1])


def _check_sample(w: ArrayLike, b: float, x: ArrayLike):
    w = as_vector("w", w, nonempty=True)
    b = as_scalar("b", b)
    x = as_vector("x", x)
    if x.size != w.size:
        raise ValueError(f"x: expected {w.size} features (one per weight in w), got {x.size}")
    return w, b, x


def neuron(w: ArrayLike, b: float, x: ArrayLike) -> float:
    r"""The activation of a ReLU neuron on one sample, :math:`\max(0, \mathbf{w} \cdot \mathbf{x} + b)`.

    Examples
    --------
    >>> neuron([1.0, -2.0], 0.5, [3.0, 1.0])
    1.5
    >>> neuron([1.0, -2.0], 0.5, [0.0, 1.0])
    0.0
    """
    w, b, x = _check_sample(w, b, x)
    with np.errstate(over="ignore", invalid="ignore"):
        z = w @ x + b
    finite_or_raise("w, b, x", "the pre-activation w @ x + b", z)
    return float(max(0.0, z))


def neuron_gradient(w: ArrayLike, b: float, x: ArrayLike) -> tuple[NDArray[np.float64], float]:
    r"""Gradient of :func:`neuron` with respect to the weights and the bias.

    Returns
    -------
    dw : ndarray, shape (n,)
        :math:`\mathbf{x}` where :math:`z = \mathbf{w} \cdot \mathbf{x} + b > 0`, else zeros.
    db : float
        1.0 where :math:`z > 0`, else 0.0.

    Notes
    -----
    :math:`\max(0, z)` has no derivative at its kink :math:`z = 0`; we use **0** there, as the
    ReLU functions of PyTorch (``torch.relu``) and JAX (``jax.nn.relu``) do, so the neuron counts as
    inactive at the kink. Derived in the course section :ref:`the ReLU's derivative <relu-derivative>`.

    .. math::

        \frac{\partial}{\partial \mathbf{w}} \max(0, \mathbf{w} \cdot \mathbf{x} + b) =
        \begin{cases} \mathbf{x}^\top & z > 0 \\ \mathbf{0}^\top & z \le 0 \end{cases}

    Examples
    --------
    >>> neuron_gradient([1.0, -2.0], 0.5, [3.0, 1.0])
    (array([3., 1.]), 1.0)
    >>> neuron_gradient([1.0, -2.0], 0.0, [2.0, 1.0])   # z = 0: the kink
    (array([0., 0.]), 0.0)
    """
    w, b, x = _check_sample(w, b, x)
    with np.errstate(over="ignore", invalid="ignore"):
        z = w @ x + b
    finite_or_raise("w, b, x", "the pre-activation w @ x + b", z)
    active = z > 0
    return (x.copy() if active else np.zeros_like(x)), float(active)


def loss(w: ArrayLike, b: float, X: ArrayLike, y: ArrayLike) -> float:
    r"""Mean squared error of the neuron over a data set.

    Returns
    -------
    float
        :math:`C(\mathbf{w}, b, X, \mathbf{y}) = \frac{1}{N} \sum_{i=1}^N
        \bigl(y_i - \max(0, \mathbf{w} \cdot \mathbf{x}_i + b)\bigr)^2`.

    Examples
    --------
    >>> loss([2.0], 0.0, [[1.0], [2.0]], [2.0, 5.0])
    0.5
    """
    w, b, X, y = check_data(w, b, X, y)
    value = _loss(w, b, X, y)
    finite_or_raise("w, b, X, y", "the loss", value)
    return value


def loss_gradient(w: ArrayLike, b: float, X: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], float]:
    r"""Gradient of :func:`loss` with respect to the weights and the bias, in closed form.

    Returns
    -------
    dw : ndarray, shape (n,)
        The gradient :math:`\nabla_{\mathbf{w}} C`, shaped like ``w``: the numbers of the
        :math:`1 \times n` derivative :math:`\partial C / \partial \mathbf{w}`.
    db : float
        :math:`\partial C / \partial b`.

    Notes
    -----
    Only the *active* samples (:math:`z_i > 0`) contribute; the condition depends on
    i, so it sits inside the sum:

    .. math::

        \frac{\partial C}{\partial \mathbf{w}} = \frac{2}{N} \sum_{i:\, z_i > 0} e_i \mathbf{x}_i^\top,
        \qquad
        \frac{\partial C}{\partial b} = \frac{2}{N} \sum_{i:\, z_i > 0} e_i .

    At the kink :math:`z_i = 0` the sample counts as inactive, as in :func:`neuron_gradient`.
    Derived in the course section :ref:`loss-gradient`.

    Both sums are computed in one pass over X: in NumPy, a block of rows at a time; on large data, when
    Numba is installed, by the compiled loop of ``companion/_compiled.py``, on every core. The benchmarks
    appendix explains why one pass matters.

    Examples
    --------
    >>> loss_gradient([2.0], 0.0, [[1.0], [2.0]], [2.0, 5.0])
    (array([-2.]), -1.0)
    """
    w, b, X, y = check_data(w, b, X, y, scan_X=False)
    dw, db = _loss_gradient(w, b, X, y)
    if not (np.all(np.isfinite(dw)) and np.isfinite(db)):
        as_array("X", X, ndim=2)  # a NaN or inf in X reaches dw (0 * inf is NaN): name X if so
        finite_or_raise("w, b, X, y", "the loss gradient", dw, db)  # else the values overflowed
    return dw, db
