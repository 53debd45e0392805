"""The engine's vector-Jacobian products are the Jacobians of ``companion.rules``, multiplied out.

Each backward rule of :mod:`companion.autodiff` computes ``u^T J`` without forming J. Here J comes
from the closed-form rules of the chapter *Gradients and Jacobians* and the product is formed
explicitly: the two must agree for any upstream gradient u.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import companion as cp
from companion.autodiff import Variable, relu
from tests.strategies import away_from_zero, moderate, sizes, vectors

OPERATORS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}


def upstream(y: Variable, u: np.ndarray) -> Variable:
    """The scalar u . y, whose gradient with respect to y is u: backward() then gives u^T J."""
    return (y * u).sum()


@given(st.sampled_from(sorted(OPERATORS)),
       sizes.flatmap(lambda n: st.tuples(vectors(n), vectors(n), vectors(n))))
def test_elementwise_vjps_are_u_times_the_rule_jacobians(op, wxu):
    w, x, u = (np.array(v) for v in wxu)
    W, X = Variable(w), Variable(x)
    upstream(OPERATORS[op](W, X), u).backward()
    J_w, J_x = cp.elementwise_jacobians(op, w, x)
    np.testing.assert_allclose(W.grad, u @ J_w, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(X.grad, u @ J_x, rtol=1e-12, atol=1e-12)


@given(st.sampled_from(sorted(OPERATORS)),
       sizes.flatmap(lambda n: st.tuples(vectors(n), vectors(n))), away_from_zero)
def test_scalar_expansion_vjps_are_u_times_the_rule_jacobians(op, xu, z):
    x, u = (np.array(v) for v in xu)
    X, Z = Variable(x), Variable(z)
    upstream(OPERATORS[op](X, Z), u).backward()
    J_x, J_z = cp.scalar_expansion_jacobians(op, x, z)
    np.testing.assert_allclose(X.grad, u @ J_x, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.reshape(Z.grad, (1,)), u @ J_z, rtol=1e-12, atol=1e-12)


@given(sizes.flatmap(vectors))
def test_sum_vjp_is_the_row_of_ones(x):
    X = Variable(x)
    X.sum().backward()
    np.testing.assert_array_equal(X.grad, cp.sum_jacobian(x)[0])


@given(sizes.flatmap(lambda n: st.tuples(
    st.lists(vectors(n), min_size=3, max_size=3), vectors(n), vectors(3))), moderate)
def test_relu_of_a_layer_is_the_chain_rule_of_its_jacobians(Wxu, b):
    W, x, u = np.array(Wxu[0]), np.array(Wxu[1]), np.array(Wxu[2])
    z = W @ x + b
    X = Variable(x)
    upstream(relu(W @ X + b), u).backward()
    # y = relu(z), z = W x + b: J = diag(1[z > 0]) W, the chain rule of the two Jacobians
    J = cp.chain(np.diag((z > 0).astype(float)), W)
    np.testing.assert_allclose(X.grad, u @ J, rtol=1e-12, atol=1e-12)
