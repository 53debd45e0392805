import numpy as np
import pytest
import sympy as sp

import companion as cp

x, y = sp.symbols("x y")


def test_stacked_gradients_of_f_and_g():
    J = cp.symbolic_jacobian([3 * x**2 * y, 2 * x + y**8], [x, y])
    assert sp.Matrix([[6 * x * y, 3 * x**2], [2, 8 * y**7]]) == J


def test_scalar_expression_gives_one_row():
    assert cp.symbolic_jacobian(sp.sin(x * y), [x, y]).shape == (1, 2)


def test_denominator_layout_is_the_transpose():
    exprs = [x * y, x + y, sp.exp(x)]
    assert cp.symbolic_jacobian(exprs, [x, y], layout="denominator") == cp.symbolic_jacobian(exprs, [x, y]).T


def test_single_symbol_is_accepted():
    assert cp.symbolic_jacobian(x**3, x) == sp.Matrix([[3 * x**2]])


def test_matrix_of_expressions_is_accepted():
    assert cp.symbolic_jacobian(sp.Matrix([x, y]), [x, y]) == sp.eye(2)


def test_symbolic_agrees_with_numeric_at_a_point():
    exprs = [3 * x**2 * y, 2 * x + y**8]
    J = np.array(cp.symbolic_jacobian(exprs, [x, y]).subs({x: 0.5, y: -1.5}), dtype=float)
    f = sp.lambdify([(x, y)], exprs, "numpy")
    np.testing.assert_allclose(J, cp.jacobian(lambda v: np.array(f(v)), [0.5, -1.5], method="complex"), rtol=1e-14)


def test_string_expressions_are_rejected():
    with pytest.raises(TypeError, match=r"exprs: expected SymPy expressions, got a string"):
        cp.symbolic_jacobian("x**2", [x])


def test_non_expressions_are_rejected():
    with pytest.raises(TypeError, match=r"exprs: expected SymPy expressions, got list"):
        cp.symbolic_jacobian([[x]], [x])


def test_empty_expressions_are_rejected():
    with pytest.raises(ValueError, match=r"exprs: expected at least one expression, got an empty sequence"):
        cp.symbolic_jacobian([], [x])


def test_non_symbols_are_rejected():
    with pytest.raises(TypeError, match=r"variables: expected SymPy symbols, got str 'x'"):
        cp.symbolic_jacobian(x, ["x"])


def test_empty_variables_are_rejected():
    with pytest.raises(ValueError, match=r"variables: expected at least one symbol, got an empty sequence"):
        cp.symbolic_jacobian(x, [])


def test_repeated_variables_are_rejected():
    with pytest.raises(ValueError, match=r"variables: expected distinct symbols, got \[x, x\]"):
        cp.symbolic_jacobian(x, [x, x])


def test_unknown_layout_is_rejected():
    with pytest.raises(ValueError, match=r"layout: expected one of 'numerator', 'denominator', got 'column'"):
        cp.symbolic_jacobian(x, [x], layout="column")


def test_to_function_of_one_expression_returns_a_float():
    value = cp.to_function(3 * x**2 * y, [x, y])(np.array([1.0, 2.0]))
    assert isinstance(value, float)
    assert value == 6.0


def test_to_function_of_a_list_returns_a_vector():
    np.testing.assert_array_equal(cp.to_function([x * y, x - y], [x, y])([3.0, 4.0]), [12.0, -1.0])


def test_to_function_of_a_jacobian_returns_its_matrix():
    J = cp.symbolic_jacobian([3 * x**2 * y, 2 * x + y**8], [x, y])
    np.testing.assert_array_equal(cp.to_function(J, [x, y])([1.0, 2.0]), [[12.0, 3.0], [2.0, 1024.0]])


def test_to_function_carries_the_complex_step():
    f = cp.to_function(sp.sin(x) * y, [x, y])
    np.testing.assert_allclose(cp.gradient(f, [0.3, 2.0], method="complex"), [2 * np.cos(0.3), np.sin(0.3)], rtol=1e-15)


def test_to_function_rejects_a_vector_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"v: expected a vector of 2 values for \[x, y\], got shape \(3,\)"):
        cp.to_function(x * y, [x, y])([1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    "expr",
    [sp.Integer(5), 4 * x**3, x**7, x**2 + sp.sin(x), sp.exp(x) - x**3, x**2 * sp.cos(x), sp.sin(x**2)],
    ids=["constant", "multiple", "power", "sum", "difference", "product", "chain"],
)
def test_scalar_rules_agree_with_the_numeric_derivative(expr):
    exact = float(sp.diff(expr, x).subs(x, 0.7))
    numeric = cp.gradient(cp.to_function(expr, [x]), [0.7], method="complex")[0]
    assert numeric == pytest.approx(exact, rel=1e-14, abs=1e-14)


def test_total_derivative_chain_rule_adds_every_path():
    # y = u0 + u1 with u0 = x, u1 = x**2: the row dy/du times the column du/dx is 1 + 2x.
    u0, u1 = sp.symbols("u0 u1")
    total = cp.chain(cp.symbolic_jacobian(u0 + u1, [u0, u1]), cp.symbolic_jacobian([x, x**2], [x]))
    assert sp.simplify(total[0, 0] - (1 + 2 * x)) == 0
    assert sp.simplify(total[0, 0] - sp.diff(x + x**2, x)) == 0


def test_an_equation_is_refused_with_a_hint():
    x = sp.Symbol("x")
    with pytest.raises(TypeError, match="exprs: expected SymPy expressions with a value to differentiate, got Equality"):
        cp.symbolic_jacobian([sp.Eq(x, 1)], [x])


def test_nan_is_refused_instead_of_differentiated_to_zero():
    x = sp.Symbol("x")
    with pytest.raises(ValueError, match="exprs: expected finite expressions, got nan"):
        cp.symbolic_jacobian([float("nan")], [x])


def test_to_function_never_evaluates_a_symbols_name():
    x = sp.Symbol("x")
    evil = sp.Symbol("__import__('os').getpid()")
    f = cp.to_function(evil**2 + x, [evil, x])
    assert f([3.0, 1.0]) == 10.0


def test_to_function_refuses_a_free_symbol_missing_from_variables():
    x = sp.Symbol("x")
    evil = sp.Symbol("__import__('os').getpid()")
    with pytest.raises(ValueError, match=r"variables: the expressions also depend on \[__import__"):
        cp.to_function(x + evil, [x])


def test_to_function_refuses_an_undefined_function():
    x = sp.Symbol("x")
    with pytest.raises(ValueError, match=r"exprs: undefined functions .* cannot be evaluated"):
        cp.to_function(sp.Function("g")(x), [x])
