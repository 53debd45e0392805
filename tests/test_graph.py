import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

import companion as cp
from companion.autodiff import Variable, tanh

x, y = sp.symbols("x y")


@pytest.mark.parametrize("expr", [sp.sin(x + x**2), x * sp.sin(x) * sp.exp(x**2), sp.log(1 + sp.exp(2 * x)) / (x**2 + y),
                                  sp.cos(x * y) + y * x**3])
def test_one_term_per_path_gives_the_derivative(expr):
    # the total-derivative rule: add, over all paths from x, the product of the edge derivatives
    total = {x: sp.Integer(1)}
    for operand, result, derivative in cp.graph_edges(expr):
        total[result] = total.get(result, 0) + derivative * total.get(operand, 0)
    assert sp.simplify(total[expr] - sp.diff(expr, x)) == 0


def test_autodiff_edges_carry_jacobian_shapes():
    rng = np.random.default_rng(0)
    W, b, u, v = (Variable(rng.normal(size=s)) for s in [(3, 4), 3, 3, 4])
    s = (u * tanh(W @ v + b)).sum()
    shapes = {(getattr(a, "_op", "") or a.shape, r._op): label for a, r, label in cp.graph_edges(s)}
    assert shapes[((3, 4), "@")] == (3, 12)        # dz/dW, flattened W: m x mn
    assert shapes[((4,), "@")] == (3, 4)           # dz/dx = W
    assert shapes[("tanh", "*")] == (3, 3)
    assert shapes[("*", "sum")] == (1, 3)
    assert len(cp.graph_edges(s)) == 8


def test_a_variable_used_twice_gives_one_edge():
    v = Variable([1.0, 2.0])
    assert len(cp.graph_edges((v * v).sum())) == 2


def test_plot_draws_one_arrow_per_edge_and_a_box_per_node():
    rng = np.random.default_rng(1)
    W, v = Variable(rng.normal(size=(2, 3))), Variable(rng.normal(size=3))
    s = (W @ v).tanh().sum()
    ax = cp.plot_computation_graph(s, names={"W": W, "x": v}, title="a layer")
    texts = [t.get_text() for t in ax.texts]
    assert len(ax.patches) == 4
    assert len(texts) == 5 + 4
    assert {"W\n2×3", "x\n3", "@\n2", "tanh\n2", "sum\nscalar", "2×6", "1×2"} <= set(texts)
    plt.close("all")


def test_root_must_be_a_graph():
    with pytest.raises(TypeError, match=r"^root: expected a companion.autodiff.Variable or a SymPy expression, got list"):
        cp.graph_edges([1.0])


def test_edge_labels_must_be_known_and_fit_the_graph():
    with pytest.raises(ValueError, match=r"^edge_labels: expected one of 'shape', 'derivative', got 'size'"):
        cp.plot_computation_graph(sp.sin(x), edge_labels="size")
    with pytest.raises(ValueError, match=r"^edge_labels: 'derivative' needs a SymPy expression"):
        cp.plot_computation_graph(Variable(1.0).exp(), edge_labels="derivative")


def test_names_must_map_to_variables():
    with pytest.raises(TypeError, match=r"^names: expected a dict of names to Variables, got dict"):
        cp.plot_computation_graph(Variable(1.0).exp(), names={"x": 1.0})


def test_a_graph_too_large_to_draw_is_refused():
    v = Variable(1.0)
    for _ in range(50):
        v = v * 2.0
    with pytest.raises(ValueError, match=r"^root: the graph has 101 nodes, more than 40 can be drawn legibly"):
        cp.graph_edges(v)


def test_ax_must_be_an_axes():
    with pytest.raises(TypeError, match=r"^ax: expected a Matplotlib Axes or None, got str"):
        cp.plot_computation_graph(sp.sin(x), ax="left")
