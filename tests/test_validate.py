"""The one rule for numbers, applied where arguments enter every public function.

Only real numbers (ints and floats) are accepted; bools, complex numbers, dates and times, strings and
masked arrays are refused with a TypeError naming the argument; empty points are refused with a
ValueError. Each case below was accepted silently or failed with a bare library error before.
"""

import numpy as np
import pytest

import companion as cp


def square_sum(v):
    return float(np.sum(v**2))


def double(v):
    return 2 * v


POINT_TAKERS = {
    "jacobian": lambda x: cp.jacobian(square_sum, x),
    "gradient": lambda x: cp.gradient(square_sum, x),
    "check_gradient": lambda x: cp.check_gradient(square_sum, double, x),
    "check_gradient_direction": lambda x: cp.check_gradient_direction(square_sum, double, x),
}


@pytest.mark.parametrize("call", POINT_TAKERS.values(), ids=POINT_TAKERS.keys())
def test_an_empty_point_is_refused_naming_x(call):
    with pytest.raises(ValueError, match=r"x: expected at least one value, got an empty array of shape \(0,\)"):
        call([])


@pytest.mark.parametrize("call", POINT_TAKERS.values(), ids=POINT_TAKERS.keys())
def test_a_boolean_point_is_refused_like_a_boolean_scalar(call):
    with pytest.raises(TypeError, match="x: expected real numbers, got booleans"):
        call(np.array([True, False]))


def test_boolean_data_are_refused_by_the_neuron():
    with pytest.raises(TypeError, match="X: expected real numbers, got booleans"):
        cp.loss([1.0], 0.0, [[True], [False]], [1.0, 0.0])


def test_a_numpy_boolean_bias_is_refused():
    with pytest.raises(TypeError, match="b: expected a real number"):
        cp.neuron([1.0], np.bool_(True), [1.0])


def test_timedelta_values_are_refused():
    with pytest.raises(TypeError, match=r"x: expected an array of real numbers, got .*timedelta64"):
        cp.jacobian(square_sum, np.array([1, 2], dtype="m8[s]"))


def test_a_masked_array_is_refused_instead_of_dropping_its_mask():
    with pytest.raises(TypeError, match="x: expected a plain array of real numbers, got a masked array"):
        cp.jacobian(square_sum, np.ma.array([1.0, 2.0], mask=[False, True]))


def test_an_integer_too_large_for_a_float_is_a_clear_value_error():
    with pytest.raises(ValueError, match=r"b: expected a finite number, got an integer too large for a float \(401 digits\)"):
        cp.neuron([1.0], 10**400, [1.0])


def test_integers_are_accepted_as_real_numbers():
    assert cp.neuron([1, 2], 0, [3, 4]) == 11.0
