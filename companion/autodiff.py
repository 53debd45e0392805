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
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_array


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


class Variable:
    """A NumPy array that remembers how it was computed, so that gradients can flow back to it.

    Parameters
    ----------
    value : array_like
        A scalar, vector or matrix of finite real numbers.

    Notes
    -----
    ``value`` holds the number(s), a float array. ``grad`` holds the gradient, with respect to this
    variable, of the scalar that :meth:`backward` was called on; it has the shape of ``value`` and is
    zero until ``backward`` runs.
    """

    # Makes NumPy hand ``array @ variable``, ``array - variable`` and the like to this class.
    __array_ufunc__ = None

    def __init__(self, value: ArrayLike, *, _parents: tuple[Variable, ...] = (), _op: str = ""):
        array = np.asarray(value) if isinstance(value, np.ndarray) else value
        ndim = np.ndim(array)
        if ndim > 2:
            raise ValueError(f"value: expected a scalar, vector or matrix, got {ndim} dimensions")
        self.value = as_array("value", array, ndim=ndim)
        self.grad = np.zeros_like(self.value)
        self._parents = _parents
        self._op = _op
        self._backward: Callable[[], None] = lambda: None

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``value``."""
        return self.value.shape

    def __repr__(self) -> str:
        made_by = f", op={self._op!r}" if self._op else ""
        return f"Variable({np.array2string(self.value, precision=4)}{made_by})"

    # --- the operations, one derivative rule each ---------------------------------------------

    def __add__(self, other: ArrayLike | Variable) -> Variable:
        other = _as_variable(other)
        out = Variable(self.value + other.value, _parents=(self, other), _op="+")

        def backward():  # d(a + b)/da = I: pass the gradient through (summed where a was broadcast)
            self.grad += _unbroadcast(out.grad, self.shape)
            other.grad += _unbroadcast(out.grad, other.shape)

        out._backward = backward
        return out

    def __mul__(self, other: ArrayLike | Variable) -> Variable:
        other = _as_variable(other)
        out = Variable(self.value * other.value, _parents=(self, other), _op="*")

        def backward():  # d(a * b)/da = diag(b), element-wise: multiply by the other operand
            self.grad += _unbroadcast(other.value * out.grad, self.shape)
            other.grad += _unbroadcast(self.value * out.grad, other.shape)

        out._backward = backward
        return out

    def __matmul__(self, other: ArrayLike | Variable) -> Variable:
        other = _as_variable(other)
        a, b = self.value, other.value
        if a.ndim == 0 or b.ndim == 0 or a.shape[-1] != b.shape[0]:
            raise ValueError(f"@: shapes {a.shape} and {b.shape} do not fit; the columns of the left "
                             "operand must equal the rows of the right one")
        out = Variable(a @ b, _parents=(self, other), _op="@")

        def backward():  # dA = G B^T and dB = A^T G, with vectors read as rows or columns
            grad_a, grad_b = _matmul_vjp(a, b, out.grad)
            self.grad += grad_a
            other.grad += grad_b

        out._backward = backward
        return out

    def relu(self) -> Variable:
        """``max(0, x)`` element-wise; its derivative at 0 is 0, as in :func:`companion.neuron_gradient`."""
        out = Variable(np.maximum(0.0, self.value), _parents=(self,), _op="relu")

        def backward():  # diag(1[x > 0])
            self.grad += (self.value > 0) * out.grad

        out._backward = backward
        return out

    def tanh(self) -> Variable:
        """``tanh(x)`` element-wise, a smooth activation."""
        t = np.tanh(self.value)
        out = Variable(t, _parents=(self,), _op="tanh")

        def backward():  # diag(1 - tanh(x)^2)
            self.grad += (1.0 - t**2) * out.grad

        out._backward = backward
        return out

    def square(self) -> Variable:
        """``x ** 2`` element-wise."""
        out = Variable(self.value**2, _parents=(self,), _op="square")

        def backward():  # diag(2x)
            self.grad += 2.0 * self.value * out.grad

        out._backward = backward
        return out

    def sum(self) -> Variable:
        """The sum of all entries, a scalar."""
        out = Variable(self.value.sum(), _parents=(self,), _op="sum")

        def backward():  # the Jacobian is a row of ones: copy the scalar gradient to every entry
            self.grad += out.grad * np.ones_like(self.value)

        out._backward = backward
        return out

    def mean(self) -> Variable:
        """The mean of all entries, a scalar."""
        out = Variable(self.value.mean(), _parents=(self,), _op="mean")

        def backward():  # a row of 1/size
            self.grad += out.grad * np.ones_like(self.value) / self.value.size

        out._backward = backward
        return out

    # --- conveniences built from the rules above -------------------------------------------------

    def __neg__(self) -> Variable:
        return self * -1.0

    def __sub__(self, other: ArrayLike | Variable) -> Variable:
        return self + (-_as_variable(other))

    def __rsub__(self, other: ArrayLike) -> Variable:
        return _as_variable(other) + (-self)

    __radd__ = __add__
    __rmul__ = __mul__

    def __rmatmul__(self, other: ArrayLike) -> Variable:
        return _as_variable(other) @ self

    # --- backpropagation --------------------------------------------------------------------------

    def backward(self) -> None:
        """Compute the gradient of this scalar with respect to every variable it depends on.

        Sets ``grad`` of this variable to 1 and, visiting the graph from the output back to the
        inputs, lets each operation add its vector-Jacobian product to its inputs' ``grad``.
        The inputs' gradients accumulate, as in PyTorch: call :meth:`zero_grad` before running
        ``backward`` again if each run should start from zero.

        Raises
        ------
        ValueError
            If this variable is not a scalar.
        """
        if self.value.size != 1:
            raise ValueError(f"backward: expected a scalar to differentiate, got shape {self.shape}; "
                             "reduce it first, e.g. with .sum() or .mean()")
        order, seen = [], set()

        def visit(node: Variable) -> None:
            if id(node) not in seen:
                seen.add(id(node))
                for parent in node._parents:
                    visit(parent)
                order.append(node)

        visit(self)
        for node in order:  # intermediate results start from zero; inputs keep accumulating
            if node._parents:
                node.grad = np.zeros_like(node.value)
        self.grad = np.ones_like(self.value)
        for node in reversed(order):
            node._backward()

    def zero_grad(self) -> None:
        """Reset ``grad`` to zero for this variable and everything it depends on."""
        stack, seen = [self], set()
        while stack:
            node = stack.pop()
            if id(node) not in seen:
                seen.add(id(node))
                node.grad = np.zeros_like(node.value)
                stack.extend(node._parents)


def _as_variable(value: ArrayLike | Variable) -> Variable:
    """Wrap a constant (a number or an array) as a Variable that nobody asks the gradient of."""
    return value if isinstance(value, Variable) else Variable(value)


def relu(x: Variable) -> Variable:
    """``max(0, x)`` element-wise (function form of :meth:`Variable.relu`)."""
    return _as_variable(x).relu()


def tanh(x: Variable) -> Variable:
    """``tanh(x)`` element-wise (function form of :meth:`Variable.tanh`)."""
    return _as_variable(x).tanh()
