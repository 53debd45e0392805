import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import companion as cp
from tests.strategies import moderate


@st.composite
def batches(draw):
    N, k = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    Z = draw(arrays(np.float64, (N, k), elements=moderate))
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=N, max_size=N)))
    return Z, labels


def test_softmax_jacobian_is_diag_p_minus_p_p_transpose_by_sympy():
    z = sp.symbols("z1:4")
    exps = [sp.exp(t) for t in z]
    p_sym = [e / sum(exps) for e in exps]
    J_sym = cp.symbolic_jacobian(p_sym, z)
    point = np.array([0.3, -1.2, 2.0])
    J_at = np.array(J_sym.subs(dict(zip(z, point, strict=True))), dtype=float)
    p = cp.softmax(point)
    np.testing.assert_allclose(J_at, np.diag(p) - np.outer(p, p), rtol=1e-13, atol=1e-15)


@given(arrays(np.float64, st.integers(1, 6), elements=moderate))
def test_softmax_jacobian_matches_numeric(z):
    p = cp.softmax(z)
    numeric = cp.jacobian(cp.softmax, z, method="central")
    np.testing.assert_allclose(numeric, np.diag(p) - np.outer(p, p), rtol=1e-7, atol=1e-9)


@given(batches(), moderate)
def test_softmax_rows_sum_to_one_and_ignore_a_shift(batch, shift):
    Z, _ = batch
    P = cp.softmax(Z)
    assert P.shape == Z.shape
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(cp.softmax(Z + shift), P, rtol=1e-12)
    np.testing.assert_allclose(P, np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), rtol=1e-12)


@given(batches())
def test_cross_entropy_equals_the_naive_formula_for_moderate_logits(batch):
    Z, labels = batch
    naive = -np.mean(np.log(np.exp(Z)[np.arange(len(Z)), labels] / np.exp(Z).sum(axis=1)))
    assert cp.cross_entropy(Z, labels) == pytest.approx(naive, rel=1e-12, abs=1e-14)


@given(batches())
def test_cross_entropy_gradient_matches_numeric(batch):
    Z, labels = batch
    numeric = cp.gradient(lambda v: cp.cross_entropy(v.reshape(Z.shape), labels), Z.ravel()).reshape(Z.shape)
    G = cp.cross_entropy_gradient(Z, labels)
    assert G.shape == Z.shape
    np.testing.assert_allclose(G, numeric, rtol=1e-7, atol=1e-9)
    onehot = np.eye(Z.shape[1])[labels]
    np.testing.assert_allclose(G, (cp.softmax(Z) - onehot) / len(Z), rtol=1e-13, atol=1e-16)


def test_two_classes_are_logistic_regression_by_sympy():
    t = sp.Symbol("t", real=True)
    logistic_loss = sp.log(1 + sp.exp(-t))          # -log sigma(t), the loss of class 1
    for value in (-3.0, 0.4, 5.0):
        Z = np.array([[0.0, value]])
        assert cp.cross_entropy(Z, [1]) == pytest.approx(float(logistic_loss.subs(t, value)), rel=1e-13)
        sigma = 1 / (1 + np.exp(-value))
        np.testing.assert_allclose(cp.cross_entropy_gradient(Z, [1]), [[1 - sigma, -(1 - sigma)]], rtol=1e-12)


def test_cross_entropy_is_finite_for_logits_of_size_1000():
    Z = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 1000.0]])
    assert cp.cross_entropy(Z, [2, 0]) == pytest.approx((2000.0 + np.log(3.0)) / 2, rel=1e-15)
    with np.errstate(all="ignore"):              # the naive formula overflows
        naive = -np.log(np.exp(Z)[[0, 1], [2, 0]] / np.exp(Z).sum(axis=1))
    assert not np.all(np.isfinite(naive))
    G = cp.cross_entropy_gradient(Z, [2, 0])
    np.testing.assert_allclose(G, [[0.5, 0.0, -0.5], [-1 / 3, 1 / 6, 1 / 6]], atol=1e-15)


def test_cross_entropy_with_1000_classes():
    Z = np.random.default_rng(0).normal(0, 30, size=(4, 1000))
    labels = np.array([0, 10, 500, 999])
    value = cp.cross_entropy(Z, labels)
    expected = np.mean([np.log(np.sum(np.exp(Z[i] - Z[i].max()))) + Z[i].max() - Z[i, labels[i]]
                        for i in range(4)])
    assert value == pytest.approx(expected, rel=1e-13)


def test_softmax_needs_a_vector_or_matrix():
    with pytest.raises(ValueError, match=r"^Z: expected logits of shape \(k,\) or \(N, k\), got 3 dimensions"):
        cp.softmax(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match=r"^Z: expected at least one sample and one class, got shape \(0,\)"):
        cp.softmax([])
    with pytest.raises(TypeError, match=r"^Z: expected an array of real numbers, got str"):
        cp.softmax("logits")
    with pytest.raises(ValueError, match=r"^Z: expected finite values, got 1 NaN"):
        cp.softmax([0.0, np.nan])


def test_cross_entropy_needs_a_matrix_of_logits():
    with pytest.raises(ValueError, match=r"^Z: expected logits of shape \(N, k\), got 1 dimensions"):
        cp.cross_entropy([0.0, 1.0], [0])


def test_labels_must_be_integers():
    with pytest.raises(TypeError, match=r"^labels: expected integer class labels, got an array of shape \(2,\) and dtype float64"):
        cp.cross_entropy(np.zeros((2, 3)), [0.0, 1.0])


def test_labels_need_one_per_row():
    with pytest.raises(ValueError, match=r"^labels: expected one label per row of Z, shape \(2,\), got shape \(3,\)"):
        cp.cross_entropy_gradient(np.zeros((2, 3)), [0, 1, 2])


def test_labels_must_be_in_range():
    with pytest.raises(ValueError, match=r"^labels: expected labels from 0 to 2 \(Z has 3 columns\), got values from 0 to 3"):
        cp.cross_entropy(np.zeros((2, 3)), [0, 3])


def test_logits_spanning_more_than_float64_are_rejected():
    with pytest.raises(ValueError, match=r"^Z: a row of logits spans more than float64 can hold"):
        cp.cross_entropy([[1e308, -1e308]], [1])
