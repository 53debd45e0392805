r"""A small reverse-mode automatic differentiation over NumPy arrays.

In the spirit of micrograd, but for vectors and matrices: a :class:`Variable` holds a value, the
gradient of the final scalar with respect to it, and how it was made. Each operation records one
derivative rule, a *vector-Jacobian product*: given the gradient of the output, ``out.grad``, it adds
the gradient of each input. :meth:`Variable.backward` applies the rules from the output back to the
inputs, which is the vector chain rule evaluated right to left (the chapter *From Jacobians to
backpropagation*).

>>> W = Variable([[1.0, 2.0], [3.0, -4.0]])
>>> x = Variable([1.0, 1.0])
>>> s = relu(W @ x).sum()          # W @ x = [3, -1]: only the first unit is active
>>> s.backward()
>>> W.grad                         # the outer product of [1, 0] and x
array([[1., 1.],
       [0., 0.]])
>>> x.grad                         # W^T [1, 0]
array([1., 2.])

Scalars work too, as in micrograd:

>>> a, b = Variable(-4.0), Variable(2.0)
>>> g = (a * b + b**3 - (b - a).relu()) ** 2 / 2 + 10 / b
>>> g.backward()
>>> float(g.value), float(a.grad), float(b.grad)
(23.0, -18.0, -44.5)
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import _describe, as_array

# The element-wise functions, one rule per line: name -> (value of x, derivative from x and the value).
UNARY_RULES: dict[str, tuple[Callable, Callable]] = {
    "relu": (lambda x: np.maximum(0.0, x), lambda x, y: (x > 0).astype(np.float64)),  # 0 at the kink
    "tanh": (np.tanh, lambda x, y: 1.0 - y**2),
    "square": (np.square, lambda x, y: 2.0 * x),
    "exp": (np.exp, lambda x, y: y),
    "log": (np.log, lambda x, y: 1.0 / x),
}


def _unbroadcast(grad: NDArray, shape: tuple[int, ...]) -> NDArray:
    """Sum ``grad`` over the axes that broadcasting added or stretched, back to ``shape``."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def _matmul_vjp(a: NDArray, b: NDArray, g: NDArray) -> tuple[NDArray, NDArray]:
    """The gradients of ``a @ b`` with respect to a and b, given the output's gradient g."""
    if a.ndim == 2 and b.ndim == 2:      # matrix @ matrix
        return g @ b.T, a.T @ g
    if a.ndim == 2:                      # matrix @ vector: z = A x
        return np.outer(g, b), a.T @ g
    if b.ndim == 2:                      # vector @ matrix: z = x^T B
        return b @ g, np.outer(a, g)
    return g * b, g * a                  # vector @ vector: the dot product


def topological_order(root, parents: Callable, key: Callable = id) -> list:
    """Every node ``root`` depends on, each after all of its ``parents(node)``, ``root`` last.

    Iterative, with an explicit stack, so that a graph thousands of operations deep does not exhaust
    Python's recursion limit. ``key`` tells nodes apart (identity for variables, equality for SymPy).
    """
    order, seen, stack = [], {key(root)}, [(root, iter(parents(root)))]
    while stack:
        node, rest = stack[-1]
        parent = next(rest, None)
        if parent is None:
            stack.pop()
            order.append(node)
        elif key(parent) not in seen:
            seen.add(key(parent))
            stack.append((parent, iter(parents(parent))))
    return order


class Variable:
    """A NumPy array that remembers how it was computed, so that gradients can flow back to it.

    Parameters
    ----------
    value : array_like
        A scalar, vector or matrix of finite real numbers. It is copied: changing the array later
        does not change the variable.

    Raises
    ------
    TypeError
        If ``value`` is not an array of real numbers.
    ValueError
        If ``value`` has more than two dimensions or a NaN or infinite entry.

    Notes
    -----
    ``value`` holds the number(s), a float array. ``grad`` holds the gradient, with respect to this
    variable, of the scalar that :meth:`backward` was called on; it has the shape of ``value`` and is
    zero until ``backward`` runs. Values are checked where they enter: here, and for the constants
    given to an operator. An operation whose result is not finite (an overflow in ``exp``, the ``log``
    of zero) raises a ``ValueError`` naming the operation.
    """

    # Makes NumPy hand ``array @ variable``, ``array - variable`` and the like to this class.
    __array_ufunc__ = None

    def __init__(self, value: ArrayLike, *, _name: str = "value"):
        try:
            ndim = np.ndim(value)
        except (TypeError, ValueError):  # a ragged list: let as_array name the argument
            ndim = 1
        if ndim > 2:
            raise ValueError(f"{_name}: expected a scalar, vector or matrix, got {ndim} dimensions")
        self.value = np.array(as_array(_name, value, ndim=ndim), dtype=np.float64, copy=True)
        self.grad = np.zeros_like(self.value)
        self._parents: tuple[Variable, ...] = ()
        self._op = ""
        self._backward: Callable[[], None] = lambda: None

    @classmethod
    def _result(cls, op: str, value: NDArray, parents: tuple[Variable, ...]) -> Variable:
        """The output of operation ``op``, made from checked values: only its finiteness is checked."""
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{op}: the result has {np.size(value) - np.isfinite(value).sum()} NaN or "
                             "infinite entries (an overflow, or a value outside the operation's domain); "
                             "rescale the inputs")
        out = cls.__new__(cls)
        out.value, out.grad = np.asarray(value, dtype=np.float64), np.zeros(np.shape(value))
        out._parents, out._op, out._backward = parents, op, lambda: None
        return out

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``value``."""
        return self.value.shape

    def __repr__(self) -> str:
        made_by = f", op={self._op!r}" if self._op else ""
        return f"Variable({np.array2string(self.value, precision=4)}{made_by})"

    # --- the operations, one derivative rule each ---------------------------------------------

    def __add__(self, other: ArrayLike | Variable) -> Variable:
        other = _as_variable(other, "+")
        out = Variable._result("+", self.value + other.value, (self, other))

        def backward():  # d(a + b)/da = I: pass the gradient through (summed where a was broadcast)
            self.grad += _unbroadcast(out.grad, self.shape)
            other.grad += _unbroadcast(out.grad, other.shape)

        out._backward = backward
        return out

    def __mul__(self, other: ArrayLike | Variable) -> Variable:
        other = _as_variable(other, "*")
        with np.errstate(over="ignore"):
            out = Variable._result("*", self.value * other.value, (self, other))

        def backward():  # d(a * b)/da = diag(b), element-wise: multiply by the other operand
            self.grad += _unbroadcast(other.value * out.grad, self.shape)
            other.grad += _unbroadcast(self.value * out.grad, other.shape)

        out._backward = backward
        return out

    def __truediv__(self, other: ArrayLike | Variable) -> Variable:
        other = _as_variable(other, "/")
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            out = Variable._result("/", self.value / other.value, (self, other))

        def backward():  # d(a / b)/da = diag(1 / b), d(a / b)/db = diag(-a / b^2)
            self.grad += _unbroadcast(out.grad / other.value, self.shape)
            other.grad += _unbroadcast(-out.grad * self.value / other.value**2, other.shape)

        out._backward = backward
        return out

    def __pow__(self, exponent: float) -> Variable:
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            raise TypeError(f"exponent: expected a real number (the engine raises to constant powers "
                            f"only), got {_describe(exponent)}")
        p = float(exponent)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            out = Variable._result(f"**{exponent}", self.value**p, (self,))

        def backward():  # diag(p x^(p-1)); at x = 0 with p < 1 there is no derivative
            with np.errstate(divide="ignore", invalid="ignore"):
                slope = p * self.value ** (p - 1.0)
            if not np.all(np.isfinite(slope)):
                raise ValueError(f"**{exponent}: the derivative is not finite where the base is 0")
            self.grad += slope * out.grad

        out._backward = backward
        return out

    def __matmul__(self, other: ArrayLike | Variable) -> Variable:
        other = _as_variable(other, "@")
        a, b = self.value, other.value
        if a.ndim == 0 or b.ndim == 0 or a.shape[-1] != b.shape[0]:
            raise ValueError(f"@: shapes {a.shape} and {b.shape} do not fit; the columns of the left "
                             "operand must equal the rows of the right one")
        with np.errstate(over="ignore", invalid="ignore"):
            out = Variable._result("@", a @ b, (self, other))

        def backward():  # dA = G B^T and dB = A^T G, with vectors read as rows or columns
            grad_a, grad_b = _matmul_vjp(a, b, out.grad)
            self.grad += grad_a
            other.grad += grad_b

        out._backward = backward
        return out

    @property
    def T(self) -> Variable:  # noqa: N802  (NumPy's name)
        """The transpose of a matrix (a vector or scalar is its own transpose)."""
        out = Variable._result("T", self.value.T, (self,))

        def backward():  # the gradient of W^T, transposed back
            self.grad += out.grad.T

        out._backward = backward
        return out

    def _unary(self, name: str) -> Variable:
        """Apply the element-wise function ``name`` of :data:`UNARY_RULES`, recording its rule."""
        function, derivative = UNARY_RULES[name]
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            out = Variable._result(name, function(self.value), (self,))

        def backward():  # diag(f'(x)): multiply element-wise by the derivative
            self.grad += derivative(self.value, out.value) * out.grad

        out._backward = backward
        return out

    def relu(self) -> Variable:
        """``max(0, x)`` element-wise; its derivative at 0 is 0, as in :func:`companion.neuron_gradient`."""
        return self._unary("relu")

    def tanh(self) -> Variable:
        """``tanh(x)`` element-wise, a smooth activation."""
        return self._unary("tanh")

    def square(self) -> Variable:
        """``x ** 2`` element-wise."""
        return self._unary("square")

    def exp(self) -> Variable:
        """``e ** x`` element-wise; its derivative is its value."""
        return self._unary("exp")

    def log(self) -> Variable:
        """The natural logarithm element-wise, for positive entries; its derivative is ``1 / x``."""
        return self._unary("log")

    def sum(self) -> Variable:
        """The sum of all entries, a scalar."""
        out = Variable._result("sum", self.value.sum(), (self,))

        def backward():  # the Jacobian is a row of ones: copy the scalar gradient to every entry
            self.grad += out.grad * np.ones_like(self.value)

        out._backward = backward
        return out

    def mean(self) -> Variable:
        """The mean of all entries, a scalar."""
        out = Variable._result("mean", self.value.mean(), (self,))

        def backward():  # a row of 1/size
            self.grad += out.grad * np.ones_like(self.value) / self.value.size

        out._backward = backward
        return out

    # --- conveniences built from the rules above -------------------------------------------------

    def __neg__(self) -> Variable:
        return self * -1.0

    def __sub__(self, other: ArrayLike | Variable) -> Variable:
        return self + (-_as_variable(other, "-"))

    def __rsub__(self, other: ArrayLike) -> Variable:
        return _as_variable(other, "-") + (-self)

    def __rtruediv__(self, other: ArrayLike) -> Variable:
        return _as_variable(other, "/") / self

    __radd__ = __add__
    __rmul__ = __mul__

    def __rmatmul__(self, other: ArrayLike) -> Variable:
        return _as_variable(other, "@") @ self

    # --- backpropagation --------------------------------------------------------------------------

    def _graph(self) -> list[Variable]:
        """Every variable this one depends on, each after all of its parents (a topological order).

        Iterative, with an explicit stack, so that a graph thousands of operations deep does not
        exhaust Python's recursion limit.
        """
        return topological_order(self, lambda node: node._parents)

    def backward(self) -> None:
        """Compute the gradient of this scalar with respect to every variable it depends on.

        Sets ``grad`` of this variable to 1 and, visiting the graph from the output back to the
        inputs, lets each operation add its vector-Jacobian product to its inputs' ``grad``.
        The inputs' gradients accumulate, as in PyTorch: call :meth:`zero_grad` before running
        ``backward`` again if each run should start from zero. Graphs of any depth work.

        Raises
        ------
        ValueError
            If this variable is not a scalar.
        """
        if self.value.size != 1:
            raise ValueError(f"backward: expected a scalar to differentiate, got shape {self.shape}; "
                             "reduce it first, e.g. with .sum() or .mean()")
        order = self._graph()
        for node in order:  # intermediate results start from zero; inputs keep accumulating
            if node._parents:
                node.grad = np.zeros_like(node.value)
        self.grad = np.ones_like(self.value)
        for node in reversed(order):
            node._backward()

    def zero_grad(self) -> None:
        """Reset ``grad`` to zero for this variable and everything it depends on."""
        for node in self._graph():
            node.grad = np.zeros_like(node.value)


def _as_variable(value: ArrayLike | Variable, op: str) -> Variable:
    """Wrap a constant (a number or an array) given to operator ``op`` as a Variable, checking it."""
    return value if isinstance(value, Variable) else Variable(value, _name=f"the operand of {op}")


def relu(x: Variable) -> Variable:
    """``max(0, x)`` element-wise (function form of :meth:`Variable.relu`)."""
    return _as_variable(x, "relu").relu()


def tanh(x: Variable) -> Variable:
    """``tanh(x)`` element-wise (function form of :meth:`Variable.tanh`)."""
    return _as_variable(x, "tanh").tanh()
