import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import companion as cp
from companion.autodiff import Variable, relu, tanh
from tests.strategies import moderate

dims = st.integers(1, 5)


def matrices(rows, cols):
    return arrays(np.float64, (rows, cols), elements=moderate)


def vectors(n):
    return arrays(np.float64, n, elements=moderate)


def numeric_gradient(f, value):
    """The numeric gradient of f with respect to one array argument, any shape."""
    flat = cp.gradient(lambda v: f(v.reshape(value.shape)), value.ravel(), method="complex")
    return flat.reshape(value.shape)


@st.composite
def layers(draw):
    m, n = draw(dims), draw(dims)
    return draw(matrices(m, n)), draw(vectors(n)), draw(vectors(m)), draw(vectors(m))


@given(layers())
def test_one_hidden_layer_gradients_match_numeric(layer):
    W, x, b, u = layer
    V = {"W": Variable(W), "x": Variable(x), "b": Variable(b), "u": Variable(u)}
    s = (V["u"] * tanh(V["W"] @ V["x"] + V["b"])).sum()
    s.backward()

    def score(W_, x_, b_, u_):
        return np.sum(u_ * np.tanh(W_ @ x_ + b_))

    args = {"W": W, "x": x, "b": b, "u": u}
    for name, value in args.items():
        expected = numeric_gradient(lambda v, name=name: score(**{**{k + "_": a for k, a in args.items()},
                                                                   name + "_": v}), value)
        np.testing.assert_allclose(V[name].grad, expected, rtol=1e-10, atol=1e-12)


@given(st.tuples(dims, dims, dims).flatmap(lambda s: st.tuples(matrices(s[0], s[1]), matrices(s[1], s[2]))))
def test_matrix_product_rule_matches_numeric(pair):
    A, B = pair
    a, b = Variable(A), Variable(B)
    (a @ b).square().sum().backward()
    np.testing.assert_allclose(a.grad, numeric_gradient(lambda v: np.sum((v @ B) ** 2), A), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.grad, numeric_gradient(lambda v: np.sum((A @ v) ** 2), B), rtol=1e-10, atol=1e-12)


@given(dims.flatmap(lambda n: st.tuples(vectors(n), matrices(n, 3), vectors(n))))
def test_vector_products_match_numeric(triple):
    x, B, y = triple
    xv, Bv, yv = Variable(x), Variable(B), Variable(y)
    ((xv @ Bv).square().sum() + (xv @ yv) * 3.0).backward()
    f = lambda v: np.sum((v @ B) ** 2) + 3.0 * (v @ y)  # noqa: E731
    np.testing.assert_allclose(xv.grad, numeric_gradient(f, x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(Bv.grad, numeric_gradient(lambda v: np.sum((x @ v) ** 2), B), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(yv.grad, 3.0 * x)


@given(dims.flatmap(lambda m: st.tuples(matrices(m, 3), vectors(3))), moderate)
def test_broadcast_add_sums_the_gradient_back(pair, c):
    M, v = pair
    Mv, vv, cv = Variable(M), Variable(v), Variable(c)
    ((Mv + vv + cv) * (Mv - 1.0)).mean().backward()
    f = lambda t: np.mean((M + t + c) * (M - 1.0))  # noqa: E731
    np.testing.assert_allclose(vv.grad, numeric_gradient(f, v), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cv.grad, np.mean(M - 1.0) * np.ones(()), rtol=1e-10, atol=1e-12)


@given(dims.flatmap(vectors))
def test_relu_rule_away_from_the_kink(x):
    assume(np.all(np.abs(x) > 1e-3))
    v = Variable(x)
    (relu(v) * 2.0).sum().backward()
    np.testing.assert_array_equal(v.grad, 2.0 * (x > 0))


def test_relu_at_the_kink_uses_the_course_convention():
    v = Variable([0.0, 1.0])
    relu(v).sum().backward()
    np.testing.assert_array_equal(v.grad, [0.0, 1.0])


@st.composite
def problems(draw):
    N, n = draw(st.integers(1, 12)), draw(dims)
    w, b, X, y = draw(vectors(n)), draw(st.floats(-2, 2)), draw(matrices(N, n)), draw(vectors(N))
    return w, b, X, y


@given(problems())
def test_reproduces_loss_gradient_up_to_rounding(problem):
    w, b, X, y = problem
    wv, bv = Variable(w), Variable(b)
    loss = (y - relu(X @ wv + bv)).square().mean()
    loss.backward()
    dw, db = cp.loss_gradient(w, b, X, y)
    assert loss.value == pytest.approx(cp.loss(w, b, X, y), rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(wv.grad, dw, rtol=1e-12, atol=1e-14)
    assert float(bv.grad) == pytest.approx(db, rel=1e-12, abs=1e-14)


def test_gradients_accumulate_until_zeroed():
    x = Variable([1.0, 2.0])
    s = (x * x).sum()
    s.backward()
    s.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    s.zero_grad()
    s.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_a_variable_used_twice_gets_both_contributions():
    x = Variable(3.0)
    (x * x + x).backward()
    assert float(x.grad) == 7.0


def test_backward_needs_a_scalar():
    with pytest.raises(ValueError, match=r"backward: expected a scalar to differentiate, got shape \(2,\)"):
        Variable([1.0, 2.0]).tanh().backward()


def test_matmul_shapes_must_fit():
    with pytest.raises(ValueError, match=r"@: shapes \(2, 3\) and \(2,\) do not fit"):
        Variable(np.ones((2, 3))) @ Variable(np.ones(2))


def test_three_dimensional_values_are_rejected():
    with pytest.raises(ValueError, match=r"value: expected a scalar, vector or matrix, got 3 dimensions"):
        Variable(np.ones((2, 2, 2)))


def test_non_finite_values_are_rejected():
    with pytest.raises(ValueError, match=r"value: expected finite values, got 1 NaN or infinite entries"):
        Variable([1.0, np.nan])


def test_strings_are_rejected():
    with pytest.raises(TypeError, match=r"value: expected an array of real numbers, got str"):
        Variable("1.0")


def test_repr_names_the_operation():
    assert repr(Variable([1.0, 2.0]) + 1.0) == "Variable([2. 3.], op='+')"


# --- division, powers, exp and log (issue 16) -------------------------------------------------------

positive = st.floats(0.5, 3.0)


@given(dims.flatmap(lambda n: st.tuples(vectors(n), arrays(np.float64, n, elements=positive))),
       st.sampled_from([-1.5, 0.5, 2.0, 3.0]))
def test_division_power_exp_log_match_numeric(pair, p):
    x, y = pair                     # y > 0, so that log(y) and y ** p are defined
    xv, yv = Variable(x), Variable(y)
    (xv / yv + (yv**p) * xv.exp() + (yv.log() * 2.0) / (1.0 + xv.square())).sum().backward()

    def f(x_, y_):
        return np.sum(x_ / y_ + y_**p * np.exp(x_) + 2.0 * np.log(y_) / (1.0 + x_**2))

    np.testing.assert_allclose(xv.grad, numeric_gradient(lambda v: f(v, y), x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(yv.grad, numeric_gradient(lambda v: f(x, v), y), rtol=1e-10, atol=1e-12)


def test_micrograd_expression_matches_sympy():
    sympy = pytest.importorskip("sympy")
    A, B, F = sympy.symbols("a b f")
    expr = (A * B + B**3 - sympy.Max(0, B - A)) ** 2 / 2 + 10 / F
    point = {A: -4.0, B: 2.0, F: 2.5}
    a, b, f = (Variable(point[s]) for s in (A, B, F))
    g = (a * b + b**3 - (b - a).relu()) ** 2 / 2 + 10 / f
    g.backward()
    assert float(g.value) == pytest.approx(float(expr.subs(point)), rel=1e-14)
    for symbol, variable in ((A, a), (B, b), (F, f)):
        assert float(variable.grad) == pytest.approx(float(sympy.diff(expr, symbol).subs(point)), rel=1e-14)


def test_scalar_divided_by_array_and_array_by_scalar():
    x, c = Variable([1.0, 2.0, 4.0]), Variable(2.0)
    (10 / x + x / c).sum().backward()
    np.testing.assert_allclose(x.grad, -10 / np.array([1.0, 2.0, 4.0]) ** 2 + 0.5)
    assert float(c.grad) == pytest.approx(-(1.0 + 2.0 + 4.0) / 4.0)


def test_backward_through_a_graph_5000_operations_deep():
    x = Variable(1.0)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()                    # recursed once per operation before, so overflowed the stack
    assert float(x.grad) == pytest.approx(1.0001**5000, rel=1e-9)
    y.zero_grad()
    assert float(x.grad) == 0.0


def test_a_variable_copies_its_value():
    array = np.array([1.0, 2.0])
    v = Variable(array)
    array[0] = 100.0
    np.testing.assert_array_equal(v.value, [1.0, 2.0])


def test_an_overflow_names_the_operation_not_value():
    x = Variable([1.0, 1e200])
    with pytest.raises(ValueError, match=r"^square: the result has 1 NaN or infinite entries \(an overflow"):
        x.square()
    with pytest.raises(ValueError, match=r"^exp: the result has 1 NaN or infinite entries \(an overflow"):
        Variable([1.0, 800.0]).exp()


def test_log_of_a_non_positive_entry_names_log():
    with pytest.raises(ValueError, match=r"^log: the result has 1 NaN or infinite entries"):
        Variable([1.0, 0.0]).log()


def test_a_non_finite_constant_operand_names_the_operator():
    with pytest.raises(ValueError, match=r"^the operand of \*: expected finite values, got 1 NaN"):
        Variable([1.0, 2.0]) * np.array([np.inf, 1.0])
    with pytest.raises(TypeError, match=r"^the operand of \+: expected an array of real numbers, got str"):
        Variable(1.0) + "2"


def test_power_needs_a_number_exponent():
    with pytest.raises(TypeError, match=r"^exponent: expected a real number .* got Variable"):
        Variable(2.0) ** Variable(3.0)


def test_power_with_no_derivative_at_zero_raises_on_backward():
    x = Variable([0.0, 4.0])
    y = (x**0.5).sum()
    np.testing.assert_allclose(y.value, 2.0)
    with pytest.raises(ValueError, match=r"^\*\*0.5: the derivative is not finite where the base is 0"):
        y.backward()


@given(dims.flatmap(lambda m: st.tuples(matrices(m, 3), matrices(4, 3))))
def test_transpose_rule_matches_numeric(pair):
    X, W = pair                          # Z = X W^T, the layer of a batch
    Wv = Variable(W)
    (X @ Wv.T).tanh().sum().backward()
    np.testing.assert_allclose(Wv.grad, numeric_gradient(lambda v: np.sum(np.tanh(X @ v.T)), W),
                               rtol=1e-10, atol=1e-12)
