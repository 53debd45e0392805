"""Training the neuron by gradient descent on its loss.

The chapter *The gradient of the neuron and of the loss* derives the update; this module
runs it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_positive_int, as_scalar
from .neuron import _loss, _loss_gradient, check_data, finite_or_raise


def gradient_descent_path(w0: ArrayLike, b0: float, X: ArrayLike, y: ArrayLike, *, learning_rate: float,
                          iterations: int) -> tuple[NDArray[np.float64], ...]:
    r"""Run :func:`gradient_descent` and keep every iterate, for drawing its path.

    Returns
    -------
    ws : ndarray, shape (iterations + 1, n)
        The weights before the first update and after each update.
    bs : ndarray, shape (iterations + 1,)
        The biases, likewise.
    history : ndarray, shape (iterations + 1,)
        The loss at each of those points.

    Examples
    --------
    >>> ws, bs, history = gradient_descent_path([0.5], 0.0, [[1.0], [2.0]], [2.0, 4.0],
    ...                                         learning_rate=0.1, iterations=3)
    >>> ws.shape, bs.shape, history.shape
    ((4, 1), (4,), (4,))
    """
    w, b, X, y = check_data(w0, b0, X, y)
    eta = as_scalar("learning_rate", learning_rate)
    if eta <= 0:
        raise ValueError(f"learning_rate: expected a positive number, got {eta}")
    iterations = as_positive_int("iterations", iterations)
    start = _loss(w, b, X, y)
    finite_or_raise("X, y, w0, b0", "the loss at the starting point", start)  # the data, not eta
    ws, bs, history = [w], [b], [start]
    for iteration in range(1, iterations + 1):
        dw, db = _loss_gradient(w, b, X, y)
        with np.errstate(over="ignore", invalid="ignore"):
            w, b = w - eta * dw, b - eta * db
        current = _loss(w, b, X, y)
        if not (np.isfinite(current) and np.all(np.isfinite(w)) and np.isfinite(b)):
            raise ValueError(f"learning_rate: the loss overflowed at iteration {iteration} with "
                             f"learning_rate={eta}, starting from a finite loss {start:.3g}; gradient "
                             "descent diverged, try a smaller one")
        ws.append(w)
        bs.append(b)
        history.append(current)
    return np.array(ws), np.array(bs), np.array(history)


def gradient_descent(w0: ArrayLike, b0: float, X: ArrayLike, y: ArrayLike, *, learning_rate: float,
                     iterations: int) -> tuple[NDArray[np.float64], float, NDArray[np.float64]]:
    r"""Fit the neuron's weights and bias by plain gradient descent.

    Parameters
    ----------
    w0 : array_like, shape (n,)
        Initial weights.
    b0 : float
        Initial bias.
    X : array_like, shape (N, n)
        One sample per row.
    y : array_like, shape (N,)
        Targets.
    learning_rate : float
        The step size :math:`\eta > 0`.
    iterations : int
        Number of updates, 0 or more.

    Returns
    -------
    w : ndarray, shape (n,)
        The trained weights.
    b : float
        The trained bias.
    history : ndarray, shape (iterations + 1,)
        The loss before the first update and after each update.

    Raises
    ------
    TypeError
        If ``iterations`` is not an integer or ``learning_rate`` not a number.
    ValueError
        If ``learning_rate`` is not positive, ``iterations`` is negative, the data do not match the
        weights, or the loss overflows (the learning rate is too large).

    Notes
    -----
    Each step moves against the gradient, :math:`\nabla_{\mathbf{w}} C`, the transpose of the
    :math:`1 \times n` derivative :math:`\partial C / \partial \mathbf{w}`, so that every step has
    the shape of its parameter (``dw`` of :func:`loss_gradient`, shape (n,)):

    .. math::

        \mathbf{w} \leftarrow \mathbf{w} - \eta\, \nabla_{\mathbf{w}} C
        = \mathbf{w} - \eta \left(\frac{\partial C}{\partial \mathbf{w}}\right)^\top, \qquad
        b \leftarrow b - \eta \frac{\partial C}{\partial b}.

    Derived in the course section :ref:`training`.

    A neuron whose every sample is inactive has a zero gradient and never moves again: it is
    *dead*.

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0]]
    >>> w, b, history = gradient_descent([0.5], 0.5, X, [1.0, 3.0, 5.0],
    ...                                  learning_rate=0.1, iterations=500)
    >>> print(f"w = {w[0]:.4f}, b = {b:.4f}, final loss below 1e-12: {history[-1] < 1e-12}")
    w = 2.0000, b = 1.0000, final loss below 1e-12: True
    """
    ws, bs, history = gradient_descent_path(w0, b0, X, y, learning_rate=learning_rate, iterations=iterations)
    return ws[-1], float(bs[-1]), history
