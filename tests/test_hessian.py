import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import companion as cp
from tests.strategies import moderate

x1, x2, x3 = sp.symbols("x1:4")
EXPR = sp.sin(x1 * x2) + x3**3 * x1 - sp.exp(x2 / 3) * x3**2
SYMBOLS = (x1, x2, x3)
F = sp.lambdify([SYMBOLS], EXPR, "numpy")
H_SYM = sp.lambdify([SYMBOLS], sp.hessian(EXPR, SYMBOLS), "numpy")


@given(arrays(np.float64, 3, elements=moderate))
def test_central_hessian_matches_sympy(x):
    expected = np.array(H_SYM(x), dtype=float)
    H = cp.hessian(F, x)
    assert H.shape == (3, 3)
    np.testing.assert_allclose(H, expected, rtol=1e-5, atol=2e-5 * max(1.0, np.abs(expected).max()))
    np.testing.assert_array_equal(H, H.T)


@given(arrays(np.float64, 3, elements=moderate))
def test_forward_hessian_matches_sympy_less_closely(x):
    expected = np.array(H_SYM(x), dtype=float)
    np.testing.assert_allclose(cp.hessian(F, x, method="forward"), expected,
                               rtol=1e-3, atol=1e-3 * max(1.0, np.abs(expected).max()))


def test_hessian_reads_no_uninitialised_memory(monkeypatch):
    # it once filled only the upper triangle of np.empty, then checked all of it for inf and NaN, so it
    # failed at random whenever the memory happened to hold them; make every fresh array hold NaN
    nan_empty = lambda shape, *args, **kwargs: np.full(shape, np.nan)  # noqa: E731
    monkeypatch.setattr(np, "empty", nan_empty)
    for method in ("central", "forward"):
        np.testing.assert_allclose(cp.hessian(F, np.zeros(3), method=method), H_SYM(np.zeros(3)), atol=1e-4)


def test_hessian_of_a_quadratic_is_its_matrix():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    np.testing.assert_allclose(cp.hessian(lambda v: 0.5 * v @ A @ v, [0.3, -0.7]), A, rtol=1e-7)
    np.testing.assert_allclose(cp.hessian(lambda v: v[0] ** 2, 1.5), [[2.0]], rtol=1e-7)


@st.composite
def problems(draw):
    N, n = draw(st.integers(2, 10)), draw(st.integers(1, 3))
    w = draw(arrays(np.float64, n, elements=moderate))
    b = draw(st.floats(-2, 2))
    X = draw(arrays(np.float64, (N, n), elements=moderate))
    y = draw(arrays(np.float64, N, elements=moderate))
    return w, b, X, y


@given(problems())
def test_loss_hessian_matches_the_numeric_hessian_of_the_loss(problem):
    w, b, X, y = problem
    assume(np.min(np.abs(X @ w + b)) > 0.05)       # no sample within a step of the kink
    H = cp.loss_hessian(w, b, X, y)
    assert H.shape == (w.size + 1, w.size + 1)
    numeric = cp.hessian(lambda p: cp.loss(p[:-1], p[-1], X, y), np.append(w, b))
    np.testing.assert_allclose(H, numeric, rtol=1e-5, atol=1e-5)
    # and the Jacobian of the closed-form gradient, a second independent route
    jac = cp.jacobian(lambda p: np.append(*cp.loss_gradient(p[:-1], p[-1], X, y)), np.append(w, b))
    np.testing.assert_allclose(H, jac, rtol=1e-7, atol=1e-8)
    assert np.linalg.eigvalsh(H).min() > -1e-12


def test_loss_hessian_ignores_inactive_samples_and_counts_the_kink_inactive():
    X, y = np.array([[1.0], [2.0], [-1.0], [0.0]]), np.zeros(4)
    H = cp.loss_hessian([1.0], 0.0, X, y)          # samples 1 and 2 active, 3 inactive, 4 at the kink
    np.testing.assert_allclose(H, (2 / 4) * np.array([[1 + 4, 1 + 2], [1 + 2, 2]]))


def test_hessian_needs_a_scalar_function():
    with pytest.raises(ValueError, match=r"^f: expected a scalar-valued function for a Hessian, got 2 outputs"):
        cp.hessian(lambda v: v, [1.0, 2.0])


def test_hessian_method_must_be_known():
    with pytest.raises(ValueError, match=r"^method: expected one of 'central', 'forward', got 'complex'"):
        cp.hessian(lambda v: v @ v, [1.0], method="complex")


def test_hessian_needs_a_function_and_finite_values():
    with pytest.raises(TypeError, match=r"^f: expected a function, got int 3"):
        cp.hessian(3, [1.0])
    with pytest.raises(ValueError, match=r"^f: f\(x\) is not finite at x"):
        cp.hessian(lambda v: np.inf * v[0], [1.0])
    with pytest.raises(TypeError, match=r"^f: expected f\(x\) to return a real number, got dtype <U1"):
        cp.hessian(lambda v: "a", [1.0])


def test_loss_hessian_checks_its_data():
    with pytest.raises(ValueError, match=r"^X: expected 2 columns \(one per weight in w\)"):
        cp.loss_hessian([1.0, 2.0], 0.0, np.ones((3, 1)), np.ones(3))


def test_an_overflowing_second_difference_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^f: the second differences overflowed float64"):
        cp.hessian(lambda v: 1.7e308 if v[0] > 0 else -1.7e308, [0.0])    # a finite jump at 0


def test_an_overflowing_loss_hessian_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^w, b, X, y: the Hessian overflowed float64"):
        cp.loss_hessian([1.0], 0.0, [[1e200], [1e200]], [0.0, 0.0])
