r"""The gradients of a linear (fully connected) layer applied to a batch.

The chapter *A real layer: matrices and batches* derives them. A batch :math:`X \in \mathbb{R}^{N
\times n}` holds one sample per row; the layer with weights :math:`W \in \mathbb{R}^{m \times n}` and
bias :math:`\mathbf{b} \in \mathbb{R}^m` maps it to

.. math::

    Z = X W^\top + \mathbf{1}\mathbf{b}^\top \in \mathbb{R}^{N \times m},

row i being :math:`W\mathbf{x}_i + \mathbf{b}`, the layer of one sample.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_array


def linear_layer_gradients(W: ArrayLike, b: ArrayLike, X: ArrayLike, G: ArrayLike
                           ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    r"""Backpropagate through :math:`Z = XW^\top + \mathbf{1}\mathbf{b}^\top`.

    Parameters
    ----------
    W : array_like, shape (m, n)
        Weights, one row per output unit.
    b : array_like, shape (m,)
        Biases.
    X : array_like, shape (N, n)
        The batch, one sample per row.
    G : array_like, shape (N, m)
        :math:`\partial C / \partial Z`, the gradient of a scalar C with respect to the layer's output
        (arranged, like every gradient here, in the shape of what it differentiates by).

    Returns
    -------
    dW : ndarray, shape (m, n)
        :math:`\partial C / \partial W = G^\top X`.
    db : ndarray, shape (m,)
        :math:`\partial C / \partial \mathbf{b} = G^\top \mathbf{1}`, the column sums of G.
    dX : ndarray, shape (N, n)
        :math:`\partial C / \partial X = G W`.

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If an argument has the wrong number of dimensions, a non-finite entry, or a shape that does
        not fit the others, or if a gradient overflows.

    Notes
    -----
    All three follow from the differential :math:`dC = \operatorname{tr}(G^\top dZ)` with
    :math:`dZ = dX\,W^\top + X\,dW^\top + \mathbf{1}\,d\mathbf{b}^\top`:

    .. math::

        dC = \operatorname{tr}\bigl((GW)^\top dX\bigr) + \operatorname{tr}\bigl((G^\top X)^\top dW\bigr)
           + (G^\top \mathbf{1})^\top d\mathbf{b},
        \qquad
        G^\top X = \sum_{i=1}^N \mathbf{g}_i \mathbf{x}_i^\top ,

    and :math:`dC = \operatorname{tr}(A^\top dW)` means :math:`\partial C / \partial W = A`.

    The weight gradient is a sum of one outer product per sample, the rule of a single sample added
    up over the batch: one matrix product. The bias is broadcast to every row on the way forward, so
    its gradient sums the rows of G on the way back.

    Examples
    --------
    >>> W, b = [[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]], [0.0, 0.5, -1.0]   # m = 3, n = 2
    >>> X = [[1.0, 0.0], [2.0, 1.0]]                                      # N = 2
    >>> G = [[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]
    >>> dW, db, dX = linear_layer_gradients(W, b, X, G)
    >>> dW
    array([[1., 0.],
           [0., 0.],
           [4., 2.]])
    >>> db, dX
    (array([1., 0., 2.]), array([[1., 2.],
           [6., 2.]]))
    """
    W = as_array("W", W, ndim=2)
    b = as_array("b", b, ndim=1)
    X = as_array("X", X, ndim=2)
    G = as_array("G", G, ndim=2)
    m, n = W.shape
    if b.shape != (m,):
        raise ValueError(f"b: expected one bias per row of W, shape ({m},), got shape {b.shape}")
    if X.shape[1] != n:
        raise ValueError(f"X: expected {n} columns (one per column of W), got shape {X.shape}; "
                         "X holds one sample per row")
    if G.shape != (X.shape[0], m):
        raise ValueError(f"G: expected the shape of Z = X W^T + b, ({X.shape[0]}, {m}), "
                         f"got shape {G.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        dW, db, dX = G.T @ X, G.sum(axis=0), G @ W
    if not (np.isfinite(dW).all() and np.isfinite(db).all() and np.isfinite(dX).all()):
        raise ValueError("W, b, X, G: the gradients overflowed float64 (a result is not finite) although "
                         "every input is finite; rescale the inputs")
    return dW, db, dX
