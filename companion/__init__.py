"""companion: the code of *Matrix Calculus for Deep Learning*.

Import it as ``import companion as cp``. Jacobians are in numerator layout unless a function
is asked for ``layout="denominator"``: for f: R^n -> R^m the Jacobian is m x n and element
(i, j) is df_i/dx_j.
"""

from . import autodiff
from .checking import check_gradient, check_gradient_direction
from .exercises import (
    Feedback,
    check_gradient_answer,
    check_gradient_function,
    check_jacobian_answer,
)
from .expressions import parse_expression
from .formulas import check_expression
from .neuron import loss, loss_gradient, neuron, neuron_gradient
from .numeric import gradient, jacobian
from .plotting import plot_fit, plot_jacobian, plot_loss_contours, plot_loss_history
from .rules import chain, elementwise_jacobians, scalar_expansion_jacobians, sum_jacobian
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
    "elementwise_jacobians",
    "gradient",
    "gradient_descent",
    "gradient_descent_path",
    "jacobian",
    "loss",
    "loss_gradient",
    "neuron",
    "neuron_gradient",
    "parse_expression",
    "plot_fit",
    "plot_jacobian",
    "plot_loss_contours",
    "plot_loss_history",
    "scalar_expansion_jacobians",
    "sum_jacobian",
    "symbolic_jacobian",
    "to_function",
]

__version__ = "0.1.0"
