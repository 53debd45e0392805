r"""Softmax and the cross-entropy loss of a classifier, computed without overflow.

The chapter *A real layer: matrices and batches* derives the rules implemented here. A batch of
logits is a matrix :math:`Z \in \mathbb{R}^{N \times k}`, one row of k class scores per sample; the
labels are integers :math:`0 \le \ell_i < k`. :func:`cross_entropy` and :func:`cross_entropy_gradient`
check ``Z`` and ``labels`` the same way and raise the same ``TypeError`` or ``ValueError``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import _describe, as_array


def _check_logits(Z: ArrayLike, *, ndims: tuple[int, ...] = (1, 2)) -> NDArray[np.float64]:
    try:
        ndim = np.ndim(Z)
    except (TypeError, ValueError):  # a ragged list: as_array raises naming Z
        ndim = ndims[-1]
    if ndim not in ndims and not isinstance(Z, (str, bytes)) and Z is not None:
        shapes = " or ".join({1: "(k,)", 2: "(N, k)"}[d] for d in ndims)
        raise ValueError(f"Z: expected logits of shape {shapes}, got {ndim} dimensions")
    Z = as_array("Z", Z, ndim=ndim)
    if Z.shape[-1] == 0 or Z.size == 0:
        raise ValueError(f"Z: expected at least one sample and one class, got shape {Z.shape}")
    return Z


def _check_labels(labels: ArrayLike, Z: NDArray) -> NDArray[np.intp]:
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"labels: expected integer class labels, got {_describe(labels)}")
    array = np.asarray(labels)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"labels: expected integer class labels, got {_describe(array)}")
    if array.shape != (Z.shape[0],):
        raise ValueError(f"labels: expected one label per row of Z, shape ({Z.shape[0]},), "
                         f"got shape {array.shape}")
    k = Z.shape[1]
    if np.any(array < 0) or np.any(array >= k):
        raise ValueError(f"labels: expected labels from 0 to {k - 1} (Z has {k} columns), "
                         f"got values from {array.min()} to {array.max()}")
    return array.astype(np.intp)


def _log_softmax(Z: NDArray[np.float64]) -> NDArray[np.float64]:
    """``log softmax(Z)`` row-wise by the log-sum-exp trick: shift each row by its maximum first."""
    with np.errstate(over="ignore"):
        shifted = Z - Z.max(axis=-1, keepdims=True)  # every entry <= 0, so exp cannot overflow
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    if np.isneginf(log_p).any():  # only when a row spans more than float64 holds (about 1.8e308)
        raise ValueError("Z: a row of logits spans more than float64 can hold; rescale Z")
    return log_p


def softmax(Z: ArrayLike) -> NDArray[np.float64]:
    r"""The softmax of each row of ``Z``: positive numbers that sum to 1.

    Parameters
    ----------
    Z : array_like, shape (N, k) or (k,)
        Logits, one row per sample; finite.

    Returns
    -------
    ndarray, shape of ``Z``
        :math:`p_{ij} = e^{Z_{ij}} / \sum_l e^{Z_{il}}`.

    Raises
    ------
    TypeError
        If ``Z`` is not an array of real numbers.
    ValueError
        If ``Z`` is not 1-D or 2-D, is empty, or has a non-finite entry.

    Notes
    -----
    Adding a constant to a row leaves its softmax unchanged, so each row is shifted by its maximum
    before exponentiating: the largest exponent is then :math:`e^0 = 1`, and nothing overflows
    however large the logits. The Jacobian of one row is :math:`\partial \mathbf{p} / \partial
    \mathbf{z} = \operatorname{diag}(\mathbf{p}) - \mathbf{p}\mathbf{p}^\top`.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(softmax([0.0, np.log(3.0)]), 6)
    array([0.25, 0.75])
    >>> softmax([[1000.0, 1000.0]])          # no overflow
    array([[0.5, 0.5]])
    """
    return np.exp(_log_softmax(_check_logits(Z)))


def cross_entropy(Z: ArrayLike, labels: ArrayLike) -> float:
    r"""The mean cross-entropy loss of logits ``Z`` against integer ``labels``.

    Parameters
    ----------
    Z : array_like, shape (N, k)
        Logits, one row per sample; finite.
    labels : array_like of int, shape (N,)
        The class of each sample, from 0 to k - 1.

    Returns
    -------
    float
        :math:`C = -\frac{1}{N}\sum_{i=1}^N \log \operatorname{softmax}(Z)_{i, \ell_i}`.

    Raises
    ------
    TypeError
        If ``Z`` is not real or ``labels`` are not integers.
    ValueError
        If the shapes do not fit, a label is out of range, or ``Z`` has a non-finite entry.

    Notes
    -----
    With the log-sum-exp trick, :math:`-\log p_{i\ell} = \log\sum_l e^{Z_{il} - m_i} - (Z_{i\ell} - m_i)`
    with :math:`m_i = \max_l Z_{il}`: finite for logits of any size, where the naive
    ``-np.log(softmax(Z))`` overflows past :math:`Z \approx 710` and gives ``log(0)`` for a very wrong
    class.

    Examples
    --------
    >>> round(cross_entropy([[0.0, 0.0]], [1]), 6)        # log 2
    0.693147
    >>> cross_entropy([[1000.0, 0.0], [0.0, 1000.0]], [1, 1])  # (1000 + 0) / 2
    500.0
    """
    Z = _check_logits(Z, ndims=(2,))
    labels = _check_labels(labels, Z)
    return float(0.0 - np.mean(_log_softmax(Z)[np.arange(Z.shape[0]), labels]))  # 0.0, never -0.0


def cross_entropy_gradient(Z: ArrayLike, labels: ArrayLike) -> NDArray[np.float64]:
    r"""The gradient of :func:`cross_entropy` with respect to the logits.

    Parameters
    ----------
    Z : array_like, shape (N, k)
        Logits, one row per sample.
    labels : array_like of int, shape (N,)
        The class of each sample, from 0 to k - 1.

    Returns
    -------
    ndarray, shape (N, k)
        :math:`\partial C / \partial Z = (\operatorname{softmax}(Z) - Y) / N`, where :math:`Y` is the
        one-hot matrix of the labels.

    Notes
    -----
    For one sample, :math:`-\log p_\ell = \log\sum_l e^{z_l} - z_\ell` has gradient
    :math:`\mathbf{p} - \mathbf{e}_\ell`: the softmax Jacobian :math:`\operatorname{diag}(\mathbf{p}) -
    \mathbf{p}\mathbf{p}^\top` times the row :math:`-\mathbf{e}_\ell^\top / p_\ell` collapses to it. The
    mean over N samples divides by N.

    Examples
    --------
    >>> cross_entropy_gradient([[0.0, 0.0], [0.0, 0.0]], [0, 1])
    array([[-0.25,  0.25],
           [ 0.25, -0.25]])
    """
    Z = _check_logits(Z, ndims=(2,))
    labels = _check_labels(labels, Z)
    G = np.exp(_log_softmax(Z))
    G[np.arange(Z.shape[0]), labels] -= 1.0
    return G / Z.shape[0]
