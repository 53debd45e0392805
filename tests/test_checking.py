import numpy as np
import pytest

import companion as cp


def f(v):
    return np.sin(v[0]) * v[1] ** 2


def right(v):
    return np.array([np.cos(v[0]) * v[1] ** 2, 2 * np.sin(v[0]) * v[1]])


@pytest.mark.parametrize(("method", "bound"), [("central", 1e-9), ("forward", 1e-6), ("complex", 1e-14)])
def test_right_gradient_has_a_tiny_error(method, bound):
    assert cp.check_gradient(f, right, [0.7, -1.3], method=method) < bound


@pytest.mark.parametrize(
    "wrong",
    [
        lambda v: right(v)[::-1],  # components swapped
        lambda v: 0.5 * right(v),  # a factor of 2 lost
        lambda v: right(v) * [1.0, -1.0],  # a sign slip
    ],
)
def test_wrong_gradient_has_a_large_error(wrong):
    assert cp.check_gradient(f, wrong, [0.7, -1.3]) > 0.1


def test_loss_gradient_passes_the_check():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    params = np.array([0.4, -0.2, 0.9, 0.1])

    def grad(p):
        dw, db = cp.loss_gradient(p[:-1], p[-1], X, y)
        return np.append(dw, db)

    assert cp.check_gradient(lambda p: cp.loss(p[:-1], p[-1], X, y), grad, params) < 1e-8


def test_zero_gradient_of_a_constant_has_zero_error():
    assert cp.check_gradient(lambda v: 1.0, lambda v: np.zeros(2), [1.0, 2.0]) == 0.0


def test_grad_must_be_callable():
    with pytest.raises(TypeError, match=r"grad: expected a function, got list"):
        cp.check_gradient(f, [1.0, 2.0], [0.7, -1.3])


def test_grad_of_the_wrong_shape_is_rejected():
    with pytest.raises(ValueError, match=r"grad: expected grad\(x\) to have the shape of x \(2,\), got \(1, 2\)"):
        cp.check_gradient(f, lambda v: right(v).reshape(1, 2), [0.7, -1.3])


def test_direction_check_passes_a_right_gradient_in_many_dimensions():
    rng = np.random.default_rng(5)
    A = rng.normal(size=(300, 300))
    f = lambda v: np.sum(np.sin(A @ v))  # noqa: E731
    grad = lambda v: A.T @ np.cos(A @ v)  # noqa: E731
    assert cp.check_gradient_direction(f, grad, rng.normal(size=300) * 0.01) < 1e-7


@pytest.mark.parametrize("seed", range(5))
def test_direction_check_catches_an_error_in_one_entry(seed):
    def wrong(v):
        g = 2 * v
        g[3] += 1.0  # one entry of 50 is off
        return g

    x = np.linspace(-1, 1, 50)
    assert cp.check_gradient_direction(lambda v: v @ v, wrong, x, seed=seed) > 1e-3


def test_direction_check_is_repeatable_with_its_seed():
    f, grad, x = (lambda v: np.sum(v**3)), (lambda v: 3 * v), np.ones(10)
    assert cp.check_gradient_direction(f, grad, x, seed=3) == cp.check_gradient_direction(f, grad, x, seed=3)


def test_direction_check_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"grad: expected grad\(x\) to have the shape of x \(2,\), got \(3,\)"):
        cp.check_gradient_direction(f, lambda v: np.zeros(3), [0.7, -1.3])


def test_direction_check_rejects_a_non_integer_seed():
    with pytest.raises(TypeError, match=r"seed: expected an integer, got float 0.5"):
        cp.check_gradient_direction(f, right, [0.7, -1.3], seed=0.5)


def test_unknown_method_is_a_value_error_naming_the_choices():
    with pytest.raises(ValueError, match="method: expected one of 'forward', 'central', 'complex', got 'bogus'"):
        cp.check_gradient_direction(lambda v: v @ v, lambda v: 2 * v, [1.0], method="bogus")


def test_check_gradient_rejects_a_nan_gradient_instead_of_returning_nan():
    with pytest.raises(ValueError, match=r"grad: grad\(x\) has 1 NaN or infinite entries"):
        cp.check_gradient(lambda v: v @ v, lambda v: np.array([np.nan, 1.0]), [1.0, 2.0])


def test_check_gradient_rejects_a_complex_gradient():
    with pytest.raises(TypeError, match="grad: expected a real gradient, got complex"):
        cp.check_gradient(lambda v: v @ v, lambda v: 2 * v + 1j, [1.0, 2.0])


def test_check_gradient_rejects_a_gradient_of_strings():
    with pytest.raises(TypeError, match=r"grad: expected grad\(x\) to return numbers"):
        cp.check_gradient(lambda v: v @ v, lambda v: ["a", "b"], [1.0, 2.0])


@pytest.mark.parametrize(("method", "calls"), [("central", 2), ("forward", 2), ("complex", 1)])
def test_direction_check_costs_what_its_docstring_says(method, calls):
    count = []

    def f(v):
        count.append(1)
        return v @ v

    cp.check_gradient_direction(f, lambda v: 2 * v, np.arange(100.0), method=method)
    assert len(count) == calls
