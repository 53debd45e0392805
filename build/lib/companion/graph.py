r"""Computation graphs: the nodes and edges of a SymPy expression or an autodiff computation, drawn.

A computation graph has one node per input and per intermediate result and one edge from each operand
to the result it feeds. Each edge carries a local Jacobian, :math:`\partial\,\text{result} /
\partial\,\text{operand}`, of shape (size of the result) x (size of the operand): the chain rule
multiplies them along each path from an input to the output and adds the paths.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> edges = graph_edges(sp.sin(x + x**2))
>>> for operand, result, derivative in edges:
...     print(f"{operand} -> {result}: {derivative}")
x -> x**2: 2*x
x -> x**2 + x: 1
x**2 -> x**2 + x: 1
x**2 + x -> sin(x**2 + x): cos(x**2 + x)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from ._validate import _describe, check_choice
from .autodiff import Variable, topological_order
from .plotting import _axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MAX_NODES = 40


def _children(node) -> tuple:
    """The operands of ``node``: a Variable's parents, or a SymPy expression's non-numeric arguments."""
    if isinstance(node, Variable):
        return tuple(dict.fromkeys(node._parents))          # x * x: one edge, not two
    return tuple(a for a in node.args if not a.is_Number)


def _nodes(root) -> list:
    """Every node, operands before results (an iterative depth-first topological order)."""
    return topological_order(root, _children, key=id if isinstance(root, Variable) else (lambda n: n))


def _local_derivative(parent: sp.Expr, child: sp.Expr) -> sp.Expr:
    """The partial derivative of ``parent`` with respect to its argument ``child``, the others held fixed."""
    d = sp.Dummy("d")
    replaced = parent.func(*[d if a == child else a for a in parent.args])
    return sp.diff(replaced, d).subs(d, child)


def graph_edges(root) -> list[tuple]:
    r"""The edges of the computation graph of ``root``, each with its local Jacobian.

    Parameters
    ----------
    root : companion.autodiff.Variable or sympy.Expr
        The output of an autodiff computation, or a SymPy expression.

    Returns
    -------
    list of (operand, result, label)
        Operands before results. For a Variable the label is the Jacobian's shape, a tuple
        (result size, operand size); for a SymPy expression it is the partial derivative of the
        result with respect to that operand, the others held fixed (a 1 x 1 Jacobian).

    Raises
    ------
    TypeError
        If ``root`` is neither a Variable nor a SymPy expression.
    ValueError
        If the graph has more than 40 nodes (too many to draw legibly).
    """
    if not isinstance(root, (Variable, sp.Expr)):
        raise TypeError(f"root: expected a companion.autodiff.Variable or a SymPy expression, "
                        f"got {_describe(root)}")
    nodes = _nodes(root)
    if len(nodes) > MAX_NODES:
        raise ValueError(f"root: the graph has {len(nodes)} nodes, more than {MAX_NODES} can be drawn "
                         "legibly; draw a smaller piece of the computation")
    edges = []
    for node in nodes:
        for child in _children(node):
            label = ((node.value.size, child.value.size) if isinstance(node, Variable)
                     else _local_derivative(node, child))
            edges.append((child, node, label))
    return edges


def plot_computation_graph(root, *, names: dict[str, Variable] | None = None, edge_labels: str = "shape",
                           ax: Axes | None = None, title: str | None = None) -> Axes:
    r"""Draw the computation graph of ``root``, inputs at the top, output at the bottom.

    Top to bottom, so that the figure stays narrow enough for its labels to read on a phone: one row per
    step of the computation, the operands of each step in a row above it.

    Parameters
    ----------
    root : companion.autodiff.Variable or sympy.Expr
        The output of an autodiff computation, or a SymPy expression.
    names : dict of str to Variable, optional
        Names for the inputs of an autodiff graph, e.g. ``{"W": W, "x": x}``; other inputs are
        labelled as constants.
    edge_labels : {"shape", "derivative"}
        Label each edge with its Jacobian's shape, (result size) x (operand size), or, for a SymPy
        expression, with the local partial derivative.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``root`` is of the wrong kind or ``names`` is not a dict of Variables.
    ValueError
        For an unknown ``edge_labels``, derivative labels on an autodiff graph, or a graph too large.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> ax = plot_computation_graph(sp.sin(x + x**2), edge_labels="derivative")
    >>> len(ax.patches)              # one arrow per edge: two paths from x, through x + x**2
    4
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    from matplotlib.patches import FancyArrowPatch

    check_choice("edge_labels", edge_labels, ("shape", "derivative"))
    edges = graph_edges(root)
    autodiff = isinstance(root, Variable)
    if autodiff and edge_labels == "derivative":
        raise ValueError("edge_labels: 'derivative' needs a SymPy expression; an autodiff graph is "
                         "labelled with its Jacobians' shapes")
    names = {} if names is None else names
    if not isinstance(names, dict) or not all(isinstance(v, Variable) for v in names.values()):
        raise TypeError(f"names: expected a dict of names to Variables, got {_describe(names)}")
    name_of = {id(v): k for k, v in names.items()}
    key = id if autodiff else (lambda n: n)
    nodes = _nodes(root)
    depth = {}
    for node in nodes:               # operands come first, so their depth is known
        depth[key(node)] = 1 + max((depth[key(c)] for c in _children(node)), default=-1)
    for node in nodes:               # an input sits just before the first operation that uses it
        users = [depth[key(p)] for p in nodes if any(key(c) == key(node) for c in _children(p))]
        if not _children(node) and users:
            depth[key(node)] = min(users) - 1
    columns: dict[int, list] = {}
    for node in nodes:
        columns.setdefault(depth[key(node)], []).append(node)
    position = {}                    # x across a row, y = -depth: inputs at the top, output at the bottom
    for d, column in columns.items():
        for j, node in enumerate(column):
            position[key(node)] = (j - (len(column) - 1) / 2, -float(d))

    def label(node) -> str:
        if not autodiff:
            return f"${sp.latex(node)}$"
        shape = "scalar" if node.value.ndim == 0 else "×".join(map(str, node.shape))
        if node._parents:
            return f"{node._op}\n{shape}"
        return f"{name_of.get(id(node), 'constant')}\n{shape}"

    widest = max(len(c) for c in columns.values())
    ax = _axes(ax, figsize=(max(3.6, 1.9 * widest + 1.2), 0.6 + 0.95 * (max(columns) + 1)))
    across = [p[0] for p in position.values()]
    ax.set(xlim=(min(across) - 0.9, max(across) + 0.9), ylim=(-max(columns) - 0.5, 0.5))
    ax.set_axis_off()
    for child, parent, edge in edges:
        start, end = position[key(child)], position[key(parent)]
        bend = 0.45 if start[1] - end[1] > 1 else 0.0     # an edge that skips a row arcs beside it
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color="0.35",
                                     shrinkA=17, shrinkB=17, connectionstyle=f"arc3,rad={bend}"))
        (x0, y0), (x1, y1) = ax.transData.transform([start, end])
        # the middle of matplotlib's arc3 curve, computed where it is drawn (display coordinates)
        middle = ((x0 + x1) / 2 + bend * (y1 - y0) / 2, (y0 + y1) / 2 - bend * (x1 - x0) / 2)
        text = f"{edge[0]}×{edge[1]}" if autodiff else (
            f"${sp.latex(edge)}$" if edge_labels == "derivative" else "1×1")
        # beside the arrow, off its line: to its right, or outside an arc's bulge
        length = np.hypot(x1 - x0, y1 - y0)
        normal = np.array([y1 - y0, x0 - x1]) / length
        outward = np.array([middle[0] - (x0 + x1) / 2, middle[1] - (y0 + y1) / 2])
        if (normal @ outward < 0) if bend else (normal[0] < 0):
            normal = -normal
        ax.annotate(text, ax.transData.inverted().transform(middle), xytext=6 * normal,
                    textcoords="offset points", fontsize=10, color="C3",
                    ha="left" if normal[0] > 0.3 else "right" if normal[0] < -0.3 else "center",
                    va="bottom" if normal[1] > 0.3 else "top" if normal[1] < -0.3 else "center",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    for node in nodes:
        x, y = position[key(node)]
        leaf = not _children(node)
        ax.text(x, y, label(node), ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": "#dbe9f6" if leaf else "#fbe3c8",
                      "edgecolor": "0.3"})
    if title:
        ax.set_title(title)
    return ax

