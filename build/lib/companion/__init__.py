"""companion: the code of *Matrix Calculus for Deep Learning*.

Import it as ``import companion as cp``. Jacobians are in numerator layout unless a function
is asked for ``layout="denominator"``: for f: R^n -> R^m the Jacobian is m x n and element
(i, j) is df_i/dx_j.

Numbers are real: ints and floats. Bools, complex numbers, dates and times, strings and masked
arrays are refused with a ``TypeError`` naming the argument; empty points, non-finite values and
results that would overflow raise ``ValueError``. Functions passed in are called on copies.
"""

from . import autodiff
from .checking import check_gradient, check_gradient_direction
from .expressions import parse_expression
from .feedback import (
    Feedback,
    check_gradient_answer,
    check_gradient_function,
    check_jacobian_answer,
)
from .formulas import check_expression
from .graph import graph_edges, plot_computation_graph
from .hessian import hessian, loss_hessian
from .layer import linear_layer_gradients
from .neuron import loss, loss_gradient, neuron, neuron_gradient
from .numeric import gradient, jacobian
from .plotting import plot_fit, plot_jacobian, plot_loss_contours, plot_loss_history
from .rules import chain, elementwise_jacobians, scalar_expansion_jacobians, sum_jacobian
from .softmax import cross_entropy, cross_entropy_gradient, softmax
from .symbolic import symbolic_jacobian, to_function
from .training import gradient_descent, gradient_descent_path

__all__ = [
    "Feedback",
    "autodiff",
    "chain",
    "check_expression",
    "check_gradient",
    "check_gradient_answer",
    "check_gradient_direction",
    "check_gradient_function",
    "check_jacobian_answer",
    "cross_entropy",
    "cross_entropy_gradient",
    "elementwise_jacobians",
    "gradient",
    "gradient_descent",
    "gradient_descent_path",
    "graph_edges",
    "hessian",
    "jacobian",
    "linear_layer_gradients",
    "loss",
    "loss_gradient",
    "loss_hessian",
    "neuron",
    "neuron_gradient",
    "parse_expression",
    "plot_computation_graph",
    "plot_fit",
    "plot_jacobian",
    "plot_loss_contours",
    "plot_loss_history",
    "scalar_expansion_jacobians",
    "softmax",
    "sum_jacobian",
    "symbolic_jacobian",
    "to_function",
]

__version__ = "0.1.0"
