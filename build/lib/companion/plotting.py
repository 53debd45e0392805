"""Small plotting helpers for the chapters.

Each takes ``ax=None`` (a new figure is made when it is None), returns the Axes, and changes
no global Matplotlib setting. Matplotlib is imported when the first figure is drawn, so that
``import companion`` stays light where nothing is plotted (an autograder's kernel, say).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, as_vector
from .neuron import _loss, check_data, finite_or_raise

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _axes(ax: Axes | None, figsize: tuple[float, float] = (4.8, 3.4)) -> Axes:
    """``ax`` itself, or the Axes of a new figure ``figsize`` inches large when ``ax`` is None."""
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax: expected a Matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def plot_fit(w: ArrayLike, b: float, X: ArrayLike, y: ArrayLike, *, ax: Axes | None = None,
             label: str = "neuron") -> Axes:
    """Scatter a one-feature data set and draw the neuron's output over it.

    Parameters
    ----------
    w : array_like, shape (1,)
    b : float
    X : array_like, shape (N, 1)
    y : array_like, shape (N,)
    ax : matplotlib Axes, optional
    label : str
        Legend label of the neuron's curve.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_fit([2.0], -1.0, [[0.0], [1.0], [2.0]], [0.0, 1.0, 3.0])
    >>> ax.get_xlabel()
    '$x$'
    """
    w, b, X, y = check_data(w, b, X, y)
    if w.size != 1:
        raise ValueError(f"X: plot_fit draws one-feature data, expected shape (N, 1), got {X.shape}")
    ax = _axes(ax)
    grid = np.linspace(X.min() - 0.5, X.max() + 0.5, 200)
    ax.scatter(X[:, 0], y, s=18, color="0.3", label="data")
    ax.plot(grid, np.maximum(0.0, w[0] * grid + b), color="C0", label=label)
    ax.set(xlabel="$x$", ylabel="$y$")
    ax.legend()
    return ax


def plot_loss_history(history: ArrayLike, *, ax: Axes | None = None, label: str | None = None) -> Axes:
    """Plot the loss against the iteration of gradient descent, on a log scale.

    Parameters
    ----------
    history : array_like, shape (iterations + 1,)
        As returned by :func:`companion.gradient_descent`; positive values.
    ax : matplotlib Axes, optional
    label : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_loss_history([4.0, 1.0, 0.25])
    >>> ax.get_yscale()
    'log'
    """
    history = as_vector("history", history, nonempty=True)
    ax = _axes(ax)
    ax.plot(np.arange(history.size), history, label=label)
    ax.set(xlabel="iteration", ylabel="loss $C$", yscale="log")
    if label is not None:
        ax.legend()
    return ax


def plot_jacobian(J: ArrayLike, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Draw a Jacobian as a heat map with its values written in, to show its structure.

    Parameters
    ----------
    J : array_like, shape (m, n)
        Numerator layout: row i is output i, column j is input j.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> ax = plot_jacobian(np.diag([1.0, 2.0]), title="diagonal")
    >>> ax.get_title()
    'diagonal'
    """
    J = as_array("J", J, ndim=2, nonempty=True)
    ax = _axes(ax)
    limit = max(float(np.abs(J).max()), 1e-12)
    image = ax.imshow(J, cmap="RdBu_r", vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(J):
        # white on the dark ends of the colour map, black on the light middle: readable on every cell
        red, green, blue, _ = image.cmap(image.norm(value))
        light = 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.45
        # "+ 0.0" turns -0.0 into 0.0, so no cell reads "-0"
        ax.text(j, i, f"{value + 0.0:.3g}", ha="center", va="center", fontsize=10,
                color="black" if light else "white")
    ax.set_xticks(range(J.shape[1]), [f"$x_{{{j + 1}}}$" for j in range(J.shape[1])])
    ax.set_yticks(range(J.shape[0]), [f"$y_{{{i + 1}}}$" for i in range(J.shape[0])])
    if title is not None:
        ax.set_title(title)
    return ax


def plot_loss_contours(w_values: ArrayLike, b_values: ArrayLike, X: ArrayLike, y: ArrayLike, *,
                       ax: Axes | None = None, levels: int = 30) -> Axes:
    """Contours of the loss of a one-feature neuron over a grid of (w, b).

    Parameters
    ----------
    w_values, b_values : array_like, 1-D
        Grid values of the weight and of the bias.
    X : array_like, shape (N, 1)
    y : array_like, shape (N,)
    ax : matplotlib Axes, optional
    levels : int
        Number of contour levels.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_loss_contours([-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [[0.0], [1.0]], [0.0, 1.0])
    >>> ax.get_xlabel()
    '$w$'
    """
    X = as_array("X", X, ndim=2)
    if X.shape[1] != 1:
        raise ValueError(f"X: plot_loss_contours needs one-feature data, shape (N, 1), got {X.shape}")
    w_values = as_vector("w_values", w_values, nonempty=True)
    b_values = as_vector("b_values", b_values, nonempty=True)
    _, _, X, y = check_data([0.0], 0.0, X, y)  # checked once here; the grid below calls the core
    ax = _axes(ax)
    surface = np.array([[_loss(np.array([w]), b, X, y) for w in w_values] for b in b_values])
    finite_or_raise("X, y, w_values, b_values", "the loss on the grid", surface)
    contours = ax.contourf(w_values, b_values, surface, levels=levels, cmap="viridis")
    ax.figure.colorbar(contours, ax=ax, label="loss $C$")
    ax.set(xlabel="$w$", ylabel="$b$")
    return ax
