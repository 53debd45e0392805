import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import companion as cp
from companion.autodiff import Variable
from tests.strategies import moderate


@st.composite
def layers(draw):
    N, n, m = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    W, b = draw(arrays(np.float64, (m, n), elements=moderate)), draw(arrays(np.float64, m, elements=moderate))
    X, R = draw(arrays(np.float64, (N, n), elements=moderate)), draw(arrays(np.float64, (N, m), elements=moderate))
    return W, b, X, R


def numeric(f, value):
    return cp.gradient(lambda v: f(v.reshape(value.shape)), value.ravel()).reshape(value.shape)


@given(layers())
def test_gradients_match_numeric(layer):
    # C = sum(tanh(Z)) has G = dC/dZ = 1 - tanh(Z)^2; the rule must give C's gradients
    W, b, X, _ = layer
    C = lambda W_, b_, X_: np.sum(np.tanh(X_ @ W_.T + b_))  # noqa: E731
    G = 1 - np.tanh(X @ W.T + b) ** 2
    dW, db, dX = cp.linear_layer_gradients(W, b, X, G)
    assert (dW.shape, db.shape, dX.shape) == (W.shape, b.shape, X.shape)
    np.testing.assert_allclose(dW, numeric(lambda v: C(v, b, X), W), rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(db, numeric(lambda v: C(W, v, X), b), rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(dX, numeric(lambda v: C(W, b, v), X), rtol=1e-7, atol=1e-8)


@given(layers())
def test_weight_gradient_is_a_sum_of_outer_products_and_matches_autodiff(layer):
    W, b, X, R = layer
    dW, db, dX = cp.linear_layer_gradients(W, b, X, R)
    np.testing.assert_allclose(dW, sum(np.outer(g, x) for g, x in zip(R, X, strict=True)), rtol=1e-12, atol=1e-12)
    bv, Xv = Variable(b), Variable(X)
    ((Xv @ W.T + bv) * R).sum().backward()     # C = sum(R * Z), so dC/dZ = R
    np.testing.assert_allclose(bv.grad, db, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(Xv.grad, dX, rtol=1e-12, atol=1e-12)
    Vt = Variable(W.T)
    ((X @ Vt + b) * R).sum().backward()
    np.testing.assert_allclose(Vt.grad.T, dW, rtol=1e-12, atol=1e-12)


def test_bias_must_match_the_rows_of_w():
    with pytest.raises(ValueError, match=r"^b: expected one bias per row of W, shape \(3,\), got shape \(2,\)"):
        cp.linear_layer_gradients(np.ones((3, 2)), np.ones(2), np.ones((4, 2)), np.ones((4, 3)))


def test_x_must_have_a_column_per_input():
    with pytest.raises(ValueError, match=r"^X: expected 2 columns \(one per column of W\), got shape \(4, 3\)"):
        cp.linear_layer_gradients(np.ones((3, 2)), np.ones(3), np.ones((4, 3)), np.ones((4, 3)))


def test_g_must_have_the_shape_of_z():
    with pytest.raises(ValueError, match=r"^G: expected the shape of Z = X W\^T \+ b, \(4, 3\), got shape \(3, 4\)"):
        cp.linear_layer_gradients(np.ones((3, 2)), np.ones(3), np.ones((4, 2)), np.ones((3, 4)))


def test_w_must_be_a_matrix():
    with pytest.raises(ValueError, match=r"^W: expected a 2-D array \(a matrix\), got an array of shape \(3,\)"):
        cp.linear_layer_gradients(np.ones(3), np.ones(3), np.ones((4, 2)), np.ones((4, 3)))
    with pytest.raises(TypeError, match=r"^G: expected an array of real numbers, got NoneType"):
        cp.linear_layer_gradients(np.ones((3, 2)), np.ones(3), np.ones((4, 2)), None)


def test_an_overflowing_gradient_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^W, b, X, G: the gradients overflowed float64"):
        cp.linear_layer_gradients(np.ones((1, 1)), np.ones(1), np.full((2, 1), 1e200), np.full((2, 1), 1e200))
