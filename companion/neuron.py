r"""One ReLU neuron, its mean-squared-error loss, and their analytic gradients.

Notation (chapter *The problem*): weights :math:`\mathbf{w} \in \mathbb{R}^n`, bias b, one
sample :math:`\mathbf{x} \in \mathbb{R}^n`, data :math:`X \in \mathbb{R}^{N \times n}` with one
sample per row, targets :math:`\mathbf{y} \in \mathbb{R}^N`. The chapter *The gradient of the
neuron and of the loss* derives the gradients implemented here.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_array, as_scalar, as_vector


def check_data(w: ArrayLike, b: float, X: ArrayLike, y: ArrayLike, *, finite_X: bool = True):
    """Check and convert (w, b, X, y), returning float arrays and a float bias.

    ``finite_X=False`` skips the scan of X for NaN and infinity, for callers that detect them on
    the way (a non-finite entry of X makes its row's ``X @ w`` non-finite).
    """
    w = as_vector("w", w)
    b = as_scalar("b", b)
    X = as_array("X", X, ndim=2, finite=finite_X)
    y = as_vector("y", y)
    if X.shape[1] != w.size:
        raise ValueError(f"X: expected {w.size} columns (one per weight in w), got shape {X.shape}; "
                         "X holds one sample per row")
    if X.shape[0] != y.size:
        raise ValueError(f"y: expected one target per row of X ({X.shape[0]}), got {y.size}")
    if y.size == 0:
        raise ValueError("X: expected at least one sample, got 0 rows")
    return w, b, X, y


def _check_sample(w: ArrayLike, b: float, x: ArrayLike):
    w = as_vector("w", w)
    b = as_scalar("b", b)
    x = as_vector("x", x)
    if x.size != w.size:
        raise ValueError(f"x: expected {w.size} features (one per weight in w), got {x.size}")
    return w, b, x


def neuron(w: ArrayLike, b: float, x: ArrayLike) -> float:
    r"""The activation of a ReLU neuron, :math:`\max(0, \mathbf{w} \cdot \mathbf{x} + b)`.

    Parameters
    ----------
    w : array_like, shape (n,)
        Weights.
    b : float
        Bias.
    x : array_like, shape (n,)
        One sample.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``x`` and ``w`` differ in length or a value is not finite.

    Examples
    --------
    >>> neuron([1.0, -2.0], 0.5, [3.0, 1.0])
    1.5
    >>> neuron([1.0, -2.0], 0.5, [0.0, 1.0])
    0.0
    """
    w, b, x = _check_sample(w, b, x)
    return float(max(0.0, w @ x + b))


def neuron_gradient(w: ArrayLike, b: float, x: ArrayLike) -> tuple[NDArray[np.float64], float]:
    r"""Gradient of :func:`neuron` with respect to the weights and the bias.

    Parameters
    ----------
    w : array_like, shape (n,)
    b : float
    x : array_like, shape (n,)

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
    active = w @ x + b > 0
    return (x.copy() if active else np.zeros_like(x)), float(active)


def loss(w: ArrayLike, b: float, X: ArrayLike, y: ArrayLike) -> float:
    r"""Mean squared error of the neuron over a data set.

    Parameters
    ----------
    w : array_like, shape (n,)
    b : float
    X : array_like, shape (N, n)
        One sample per row.
    y : array_like, shape (N,)
        Targets.

    Returns
    -------
    float
        :math:`C(\mathbf{w}, b, X, \mathbf{y}) = \frac{1}{N} \sum_{i=1}^N
        \bigl(y_i - \max(0, \mathbf{w} \cdot \mathbf{x}_i + b)\bigr)^2`.

    Raises
    ------
    ValueError
        If X is not 2-D, its columns do not match ``w``, ``len(y) != N``, or a value is not finite.

    Examples
    --------
    >>> loss([2.0], 0.0, [[1.0], [2.0]], [2.0, 5.0])
    0.5
    """
    w, b, X, y = check_data(w, b, X, y)
    activation = np.maximum(0.0, X @ w + b)
    return float(np.mean((y - activation) ** 2))


def loss_gradient(w: ArrayLike, b: float, X: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], float]:
    r"""Gradient of :func:`loss` with respect to the weights and the bias, in closed form.

    Parameters
    ----------
    w : array_like, shape (n,)
    b : float
    X : array_like, shape (N, n)
    y : array_like, shape (N,)

    Returns
    -------
    dw : ndarray, shape (n,)
        The gradient :math:`\nabla_{\mathbf{w}} C`, shaped like ``w``: the numbers of the
        :math:`1 \times n` derivative :math:`\partial C / \partial \mathbf{w}`.
    db : float
        :math:`\partial C / \partial b`.

    Raises
    ------
    ValueError
        As for :func:`loss`.

    Notes
    -----
    With the error :math:`e_i = \mathbf{w} \cdot \mathbf{x}_i + b - y_i`, only the *active*
    samples (:math:`\mathbf{w} \cdot \mathbf{x}_i + b > 0`) contribute; the condition depends on
    i, so it sits inside the sum:

    .. math::

        \frac{\partial C}{\partial \mathbf{w}} = \frac{2}{N} \sum_{i:\, z_i > 0} e_i \mathbf{x}_i^\top,
        \qquad
        \frac{\partial C}{\partial b} = \frac{2}{N} \sum_{i:\, z_i > 0} e_i .

    At the kink :math:`z_i = 0` the sample counts as inactive, as in :func:`neuron_gradient`.
    Derived in the course section :ref:`loss-gradient`.

    The sum over samples is one matrix-vector product, :math:`X^\top g` with
    :math:`g_i = \frac{2}{N} e_i [z_i > 0]`: two passes over X in all (one for :math:`Xw + b`, one for
    :math:`X^\top g`), and no Python loop over samples. X is neither copied nor scanned separately for
    NaN and infinity: a non-finite entry makes its row's :math:`z_i` non-finite, which is checked
    instead. The benchmarks appendix measures the cost against one read of X and autodiff frameworks.

    Examples
    --------
    >>> loss_gradient([2.0], 0.0, [[1.0], [2.0]], [2.0, 5.0])
    (array([-2.]), -1.0)
    """
    w, b, X, y = check_data(w, b, X, y, finite_X=False)
    z = X @ w + b
    if not np.isfinite(z).all():
        check_data(w, b, X, y)  # raises, naming the non-finite entries of X
    g = (2.0 / y.size) * np.where(z > 0, z - y, 0.0)  # e_i on active samples, 0 on the others
    return X.T @ g, float(g.sum())
