import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import companion as cp
from tests.strategies import away_from_zero, moderate, sizes, vectors

OPERATORS = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}
ops = st.sampled_from(sorted(OPERATORS))
pairs = sizes.flatmap(lambda n: st.tuples(vectors(n), vectors(n, away_from_zero)))


@given(ops, pairs)
def test_elementwise_rule_matches_the_numeric_jacobian(op, wx):
    w, x = wx
    J_w, J_x = cp.elementwise_jacobians(op, w, x)
    apply = OPERATORS[op]
    np.testing.assert_allclose(J_w, cp.jacobian(lambda v: apply(v, x), w, method="complex"), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(J_x, cp.jacobian(lambda v: apply(w, v), x, method="complex"), rtol=1e-12, atol=1e-12)


@given(ops, pairs)
def test_elementwise_jacobians_are_diagonal(op, wx):
    for J in cp.elementwise_jacobians(op, *wx):
        np.testing.assert_array_equal(J, np.diag(np.diag(J)))


@given(ops, sizes.flatmap(vectors), away_from_zero)
def test_scalar_expansion_rule_matches_the_numeric_jacobian(op, x, z):
    J_x, J_z = cp.scalar_expansion_jacobians(op, x, z)
    apply = OPERATORS[op]
    assert J_z.shape == (x.size, 1)
    np.testing.assert_allclose(J_x, cp.jacobian(lambda v: apply(v, z), x, method="complex"), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(J_z, cp.jacobian(lambda v: apply(x, v[0]), [z], method="complex"),
                               rtol=1e-12, atol=1e-12)


def test_hadamard_rule_is_diag_of_the_other_operand():
    J_w, J_x = cp.elementwise_jacobians("*", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    np.testing.assert_array_equal(J_w, np.diag([4.0, 5.0, 6.0]))
    np.testing.assert_array_equal(J_x, np.diag([1.0, 2.0, 3.0]))


@given(sizes.flatmap(vectors))
def test_sum_jacobian_is_a_row_of_ones_and_matches_numeric(x):
    J = cp.sum_jacobian(x)
    np.testing.assert_array_equal(J, np.ones((1, x.size)))
    np.testing.assert_allclose(J, cp.jacobian(np.sum, x, method="complex"), rtol=1e-15)


@given(sizes.flatmap(lambda n: st.tuples(vectors(n), vectors(n))))
def test_dot_product_is_sum_of_hadamard_by_the_chain_rule(wx):
    w, x = wx
    J_sum = cp.sum_jacobian(w * x)
    J_w, _ = cp.elementwise_jacobians("*", w, x)
    np.testing.assert_allclose(cp.chain(J_sum, J_w), x.reshape(1, -1), rtol=1e-15)


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(vectors(n), st.integers(1, 4))))
def test_chain_rule_matches_the_numeric_jacobian_of_the_composition(x_k):
    x, k = x_k
    rng = np.random.default_rng(x.size * 10 + k)
    A = rng.normal(size=(k, x.size))
    g = lambda v: np.sin(A @ v)  # noqa: E731   g: R^n -> R^k
    f = lambda u: np.array([u.sum() ** 2, np.prod(np.cos(u))])  # noqa: E731   f: R^k -> R^2
    product = cp.chain(cp.jacobian(f, g(x), method="complex"), cp.jacobian(g, x, method="complex"))
    direct = cp.jacobian(lambda v: f(g(v)), x, method="complex")
    assert product.shape == (2, x.size)
    np.testing.assert_allclose(product, direct, rtol=1e-12, atol=1e-12)


def test_chain_of_three_multiplies_left_to_right():
    A, B, C = np.ones((1, 2)), 2 * np.ones((2, 3)), 3 * np.ones((3, 1))
    np.testing.assert_array_equal(cp.chain(A, B, C), A @ B @ C)


def test_chain_accepts_sympy_matrices():
    x = sp.symbols("x")
    result = cp.chain(sp.Matrix([[2 * x]]), np.array([[3.0]]))
    assert isinstance(result, sp.MatrixBase)
    assert sp.simplify(result[0, 0] - 6 * x) == 0


def test_a_single_jacobian_is_returned_unchanged():
    np.testing.assert_array_equal(cp.chain(np.eye(2)), np.eye(2))


def test_unknown_elementwise_operator_is_rejected():
    with pytest.raises(ValueError, match=r"op: expected one of '\+', '-', '\*', '/', got '@'"):
        cp.elementwise_jacobians("@", [1.0], [1.0])


def test_unknown_scalar_expansion_operator_is_rejected():
    with pytest.raises(ValueError, match=r"op: expected one of '\+', '-', '\*', '/', got 'max'"):
        cp.scalar_expansion_jacobians("max", [1.0], 1.0)


def test_operands_of_different_lengths_are_rejected():
    with pytest.raises(ValueError, match=r"w and x: expected vectors of the same length, got lengths 2 and 3"):
        cp.elementwise_jacobians("+", [1.0, 2.0], [1.0, 2.0, 3.0])


def test_division_by_a_zero_entry_is_rejected():
    with pytest.raises(ValueError, match=r"x: expected no zeros when dividing by x, got zeros at indices \[1\]"):
        cp.elementwise_jacobians("/", [1.0, 2.0], [1.0, 0.0])


def test_division_by_zero_scalar_is_rejected():
    with pytest.raises(ValueError, match=r"z: expected a non-zero scalar when dividing by z, got 0.0"):
        cp.scalar_expansion_jacobians("/", [1.0], 0.0)


def test_vector_z_is_rejected():
    with pytest.raises(TypeError, match=r"z: expected a real number, got an array of shape \(2,\)"):
        cp.scalar_expansion_jacobians("+", [1.0, 2.0], np.array([1.0, 2.0]))


def test_infinite_z_is_rejected():
    with pytest.raises(ValueError, match=r"z: expected a finite number, got inf"):
        cp.scalar_expansion_jacobians("+", [1.0], float("inf"))


def test_chain_needs_at_least_one_jacobian():
    with pytest.raises(ValueError, match=r"jacobians: expected at least one Jacobian, got none"):
        cp.chain()


def test_chain_rejects_shapes_that_do_not_fit():
    with pytest.raises(ValueError, match=r"jacobians\[0\] and jacobians\[1\]: shapes \(1, 2\) and \(3, 1\) do not chain"):
        cp.chain(np.ones((1, 2)), np.ones((3, 1)))


def test_chain_rejects_a_flat_gradient():
    with pytest.raises(ValueError, match=r"jacobians\[1\]: expected a 2-D Jacobian, got shape \(2,\)"):
        cp.chain(np.ones((1, 2)), np.ones(2))


def test_chain_rejects_lists():
    with pytest.raises(TypeError, match=r"jacobians\[0\]: expected a 2-D NumPy array or SymPy Matrix, got list"):
        cp.chain([[1.0]])


@given(moderate)
def test_elementwise_rules_accept_scalars_as_length_one_vectors(value):
    J_w, J_x = cp.elementwise_jacobians("+", value, 1.0)
    assert J_w.shape == J_x.shape == (1, 1)


@given(sizes.flatmap(vectors), away_from_zero)
def test_sum_of_a_scalar_product_by_the_chain_rule(x, z):
    # y = sum(x z): dy/dx = z 1^T and dy/dz = sum(x), from the sum rule times scalar expansion.
    J_x, J_z = cp.scalar_expansion_jacobians("*", x, z)
    J_sum = cp.sum_jacobian(x * z)
    np.testing.assert_allclose(cp.chain(J_sum, J_x), z * np.ones((1, x.size)), rtol=1e-15)
    np.testing.assert_allclose(cp.chain(J_sum, J_z), [[x.sum()]], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(cp.chain(J_sum, J_z), cp.jacobian(lambda v: np.sum(x * v[0]), [z], method="complex"),
                               rtol=1e-12, atol=1e-12)


def test_a_derivative_that_overflows_is_an_error_not_inf():
    with pytest.raises(ValueError, match="w, x: the derivative of w / x overflows float64"):
        cp.elementwise_jacobians("/", [1.0], [1e-200])


def test_a_scalar_expansion_derivative_that_overflows_is_an_error_not_inf():
    with pytest.raises(ValueError, match="x, z: the derivative of x / z overflows float64"):
        cp.scalar_expansion_jacobians("/", [1.0], 1e-200)


def test_chain_rejects_a_nan_jacobian():
    with pytest.raises(ValueError, match=r"jacobians\[1\]: expected finite values"):
        cp.chain(np.eye(2), np.array([[np.nan, 0.0], [0.0, 1.0]]))


def test_chain_rejects_a_complex_jacobian_instead_of_dropping_its_imaginary_part():
    with pytest.raises(TypeError, match=r"jacobians\[0\]: expected real numbers, got complex"):
        cp.chain(np.array([[1.0 + 2.0j]]), np.eye(1))


def test_chain_rejects_a_sympy_matrix_holding_nan():
    with pytest.raises(ValueError, match=r"jacobians\[0\]: expected finite entries"):
        cp.chain(sp.Matrix([[sp.nan]]), np.eye(1))


def test_chain_whose_product_overflows_is_an_error():
    with pytest.raises(ValueError, match="jacobians: their product overflows float64"):
        cp.chain(np.array([[1e200]]), np.array([[1e200]]))
