import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import companion as cp
from tests.strategies import sizes, vectors


def f_vec(v):
    return np.array([3 * v[0] ** 2 * v[1], 2 * v[0] + v[1] ** 8])


def exact_f_vec(v):
    x, y = v
    return np.array([[6 * x * y, 3 * x**2], [2.0, 8 * y**7]])


@pytest.mark.parametrize(("method", "rtol"), [("forward", 1e-6), ("central", 1e-9), ("complex", 1e-15)])
def test_each_method_matches_the_exact_jacobian(method, rtol):
    x = np.array([1.3, 0.7])
    np.testing.assert_allclose(cp.jacobian(f_vec, x, method=method), exact_f_vec(x), rtol=rtol, atol=rtol)


def test_complex_step_is_accurate_to_machine_precision_on_exp_sin():
    x = np.array([0.4, -1.1, 2.0])
    J = cp.jacobian(lambda v: np.exp(v) * np.sin(v), x, method="complex")
    exact = np.diag(np.exp(x) * (np.sin(x) + np.cos(x)))
    np.testing.assert_allclose(J, exact, rtol=1e-14, atol=1e-15)


def test_scalar_valued_function_gives_one_row():
    assert cp.jacobian(lambda v: v @ v, [1.0, 2.0, 3.0]).shape == (1, 3)


def test_vector_valued_function_gives_m_by_n():
    J = cp.jacobian(lambda v: np.array([v.sum(), v.prod(), v[0], v[1] ** 2]), [1.0, 2.0, 3.0])
    assert J.shape == (4, 3)


def test_scalar_point_is_a_vector_of_length_one():
    np.testing.assert_allclose(cp.jacobian(np.sin, 0.5, method="complex"), [[np.cos(0.5)]], rtol=1e-15)


@given(st.integers(1, 4).flatmap(lambda n: vectors(n)), st.sampled_from(["forward", "central", "complex"]))
def test_denominator_layout_is_the_transpose(x, method):
    A = np.arange(1.0, 3 * x.size + 1).reshape(3, x.size)
    f = lambda v: A @ np.sin(v)  # noqa: E731
    J_num = cp.jacobian(f, x, method=method)
    J_den = cp.jacobian(f, x, method=method, layout="denominator")
    assert J_den.shape == (x.size, 3)
    np.testing.assert_array_equal(J_den, J_num.T)


@given(sizes.flatmap(vectors))
def test_gradient_of_a_quadratic_form(x):
    A = np.diag(np.arange(1.0, x.size + 1))
    g = cp.gradient(lambda v: v @ A @ v, x)
    np.testing.assert_allclose(g, 2 * A @ x, rtol=1e-7, atol=1e-7)


def test_gradient_has_shape_n():
    assert cp.gradient(lambda v: 3 * v[0] ** 2 * v[1], [1.0, 2.0]).shape == (2,)


def test_explicit_step_is_used():
    # Forward difference of x**2 at 1 with step 0.1 is (1.21 - 1) / 0.1 = 2.1 exactly in theory.
    np.testing.assert_allclose(cp.jacobian(lambda v: v**2, [1.0], method="forward", step=0.1), [[2.1]])


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match=r"method: expected one of 'forward', 'central', 'complex', got 'backward'"):
        cp.jacobian(np.sin, [1.0], method="backward")


def test_unknown_layout_is_rejected():
    with pytest.raises(ValueError, match=r"layout: expected one of 'numerator', 'denominator', got 'row'"):
        cp.jacobian(np.sin, [1.0], layout="row")


def test_f_must_be_callable():
    with pytest.raises(TypeError, match=r"f: expected a function, got an array of shape \(2,\)"):
        cp.jacobian(np.zeros(2), [1.0, 2.0])


def test_non_finite_point_is_rejected():
    with pytest.raises(ValueError, match=r"x: expected finite values, got 1 NaN or infinite entries"):
        cp.jacobian(np.sin, [1.0, np.nan])


def test_matrix_point_is_rejected():
    with pytest.raises(ValueError, match=r"x: expected a 1-D array \(a vector\), got an array of shape \(2, 2\)"):
        cp.jacobian(np.sin, np.eye(2))


def test_string_point_is_rejected():
    with pytest.raises(TypeError, match=r"x: expected an array of real numbers, got str"):
        cp.jacobian(np.sin, "1.0")


def test_complex_point_is_rejected():
    with pytest.raises(TypeError, match=r"x: expected real numbers, got complex dtype"):
        cp.jacobian(np.sin, [1j])


def test_non_finite_value_of_f_is_reported():
    with pytest.raises(ValueError, match=r"f: f\(x\) is not finite at x = \[0.0\]"):
        cp.jacobian(lambda v: v + np.inf, [0.0], method="forward")


def test_matrix_valued_f_is_rejected():
    with pytest.raises(ValueError, match=r"f: expected f\(x\) to return a scalar or a 1-D array, got an array of shape \(2, 2\)"):
        cp.jacobian(lambda v: np.outer(v, v), [1.0, 2.0])


def test_non_numeric_f_is_rejected():
    with pytest.raises(TypeError, match=r"f: expected f\(x\) to return numbers, got dtype <U1"):
        cp.jacobian(lambda v: "a", [1.0])


def test_complex_step_needs_f_to_keep_the_imaginary_part():
    with pytest.raises(TypeError, match=r"f: method='complex' needs f to carry complex input through"):
        cp.jacobian(lambda v: np.abs(v), [1.0], method="complex")


def test_complex_valued_f_is_rejected_for_real_methods():
    with pytest.raises(TypeError, match=r"f: expected a real-valued function, got dtype complex128"):
        cp.jacobian(lambda v: v * 1j, [1.0])


def test_step_of_wrong_length_is_rejected():
    with pytest.raises(ValueError, match=r"step: expected a scalar or one step per coordinate \(2\), got 3 steps"):
        cp.jacobian(np.sin, [1.0, 2.0], step=[0.1, 0.1, 0.1])


def test_non_positive_step_is_rejected():
    with pytest.raises(ValueError, match=r"step: expected positive steps, got \[0.0\]"):
        cp.jacobian(np.sin, [1.0], step=0.0)


def test_gradient_needs_a_scalar_function():
    with pytest.raises(ValueError, match=r"f: expected a scalar-valued function for a gradient, got 2 outputs"):
        cp.gradient(lambda v: v, [1.0, 2.0])


@given(sizes.flatmap(vectors))
def test_identity_function_has_the_identity_jacobian(x):
    np.testing.assert_array_equal(cp.jacobian(lambda v: v, x, method="complex"), np.eye(x.size))


def writes_into_its_argument(v):
    v[0] += 1.0  # a function that changes its input in place
    return np.sum(v**2)


@pytest.mark.parametrize("method", ["forward", "central", "complex"])
def test_a_function_that_writes_into_x_changes_neither_x_nor_the_result(method):
    x = np.array([1.0, 2.0])
    J = cp.jacobian(writes_into_its_argument, x, method=method)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    # f(v) = (v_0 + 1)^2 + v_1^2 at every evaluation, so the Jacobian is [2 (x_0 + 1), 2 x_1].
    np.testing.assert_allclose(J, [[4.0, 4.0]], rtol=1e-6)


def test_gradient_does_not_change_x_either():
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(cp.gradient(writes_into_its_argument, x), [4.0, 4.0], rtol=1e-8)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.mark.parametrize(("method", "calls"), [("central", 6), ("forward", 4), ("complex", 3)])
def test_gradient_evaluates_f_only_for_its_difference_quotients(method, calls):
    count = []

    def f(v):
        count.append(1)
        return np.sum(v**2)

    cp.gradient(f, [1.0, 2.0, 3.0], method=method)
    assert len(count) == calls


def test_jacobian_of_a_wide_point_needs_no_n_by_n_identity():
    # An n x n identity at n = 20,000 would take 3.2 GB; one coordinate at a time takes O(n).
    import tracemalloc

    x = np.linspace(0.0, 1.0, 20_000)
    tracemalloc.start()
    cp.jacobian(lambda v: v[:3].sum(), x, method="forward")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50e6, f"peak memory {peak / 1e6:.0f} MB"


def test_difference_quotients_that_overflow_are_an_error_not_inf():
    with pytest.raises(ValueError, match="f: the difference quotients overflowed"):
        cp.jacobian(lambda v: np.sign(v) * 1.7e308, [0.0], step=1e-3)
