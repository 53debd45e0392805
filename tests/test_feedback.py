import numpy as np
import pytest
import sympy as sp

import companion as cp


def f(v):
    return np.array([v[0] * v[1], v[0] + v[1] ** 2, np.sin(v[0])])


POINT = [1.0, 2.0]
RIGHT = np.array([[2.0, 1.0], [1.0, 4.0], [np.cos(1.0), 0.0]])


def test_right_jacobian_passes():
    feedback = cp.check_jacobian_answer(RIGHT, f, POINT)
    assert feedback.passed
    assert bool(feedback)
    assert str(feedback).startswith("Correct.")


def test_transposed_jacobian_is_named_as_the_other_layout():
    feedback = cp.check_jacobian_answer(RIGHT.T, f, POINT)
    assert not feedback
    assert "it is in denominator layout" in feedback.message
    assert "Transpose your answer" in feedback.hints[0]


def test_denominator_layout_answer_passes_when_asked_for():
    assert cp.check_jacobian_answer(RIGHT.T, f, POINT, layout="denominator")
    feedback = cp.check_jacobian_answer(RIGHT, f, POINT, layout="denominator")
    assert "it is in numerator layout" in feedback.message


def test_transposed_square_jacobian_is_spotted():
    g = lambda v: np.array([v[0] * v[1], v[1] ** 2])  # noqa: E731
    right = np.array([[2.0, 1.0], [0.0, 4.0]])
    feedback = cp.check_jacobian_answer(right.T, g, POINT)
    assert not feedback
    assert any("transpose of the right one" in h for h in feedback.hints)


def test_wrong_entries_are_listed_with_their_error():
    answer = RIGHT.copy()
    answer[1, 1] = 2.0  # d(x + y^2)/dy taken as y instead of 2y
    feedback = cp.check_jacobian_answer(answer, f, POINT)
    assert feedback.message == "1 of 6 entries are off."
    assert feedback.hints == ("Entry (2, 2): you have 2, expected 4 (off by -2).",)


def test_a_sign_error_and_a_factor_are_named():
    assert any("wrong sign" in h for h in cp.check_jacobian_answer(-RIGHT, f, POINT).hints)
    assert any("0.5 times the right one" in h for h in cp.check_jacobian_answer(RIGHT / 2, f, POINT).hints)


def test_wrong_shape_says_what_the_shape_should_be():
    feedback = cp.check_jacobian_answer(np.ones((2, 2)), f, POINT)
    assert feedback.message == "your answer has shape (2, 2), expected (3, 2)."
    assert "one row per output (3) and one column per input (2)" in feedback.hints[0]


def test_a_flat_answer_is_asked_to_be_two_dimensional():
    feedback = cp.check_jacobian_answer(RIGHT.ravel(), f, POINT)
    assert "A Jacobian is a 2-D array" in feedback.hints[0]


@pytest.mark.parametrize("malformed", ["twelve", [[1, 2], [3]], None, {"a": 1}])
def test_malformed_answers_get_a_message_not_a_traceback(malformed):
    feedback = cp.check_jacobian_answer(malformed, f, POINT)
    assert not feedback
    assert "could not be read as numbers" in feedback.message


def test_non_finite_answers_are_named():
    assert "NaN or infinite" in cp.check_jacobian_answer(np.full((3, 2), np.nan), f, POINT).message


def test_functions_without_complex_support_are_checked_by_central_differences():
    relu_sum = lambda v: np.array([max(0.0, v[0]) + v[1]])  # noqa: E731
    assert cp.check_jacobian_answer([[1.0, 1.0]], relu_sum, POINT)


def test_a_bad_question_raises():
    with pytest.raises(ValueError, match=r"layout: expected one of 'numerator', 'denominator', got 'rows'"):
        cp.check_jacobian_answer(RIGHT, f, POINT, layout="rows")
    with pytest.raises(TypeError, match=r"f: expected a function"):
        cp.check_jacobian_answer(RIGHT, "f", POINT)


def test_gradient_answers_may_be_rows_columns_or_flat():
    g = lambda v: 3 * v[0] ** 2 * v[1]  # noqa: E731
    for answer in ([12, 3], [[12, 3]], [[12], [3]]):
        assert cp.check_gradient_answer(answer, g, POINT)
    feedback = cp.check_gradient_answer([12, 3, 0], g, POINT)
    assert feedback.message == "your answer has shape (3,), expected 2 numbers."
    assert not cp.check_gradient_answer("12, 3", g, POINT)


def test_gradient_check_needs_a_scalar_function():
    with pytest.raises(ValueError, match=r"f: expected a scalar-valued function, got 3 outputs"):
        cp.check_gradient_answer([1, 2], f, POINT)


x, y = sp.symbols("x y")


@pytest.mark.parametrize("answer", ["6*x*y", "6*y*x", "3*x*y + 3*y*x", "2*x*3*y", 6 * x * y])
def test_equivalent_formulas_pass(answer):
    assert cp.check_expression(answer, 6 * x * y)


def test_formulas_equal_only_numerically_pass():
    assert cp.check_expression("log(exp(x))", x)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("-6*x*y", "your formula has the opposite sign."),
        ("12*x*y", "your formula is 2 times the expected one."),
        ("6*x*z", 'unknown name "z"; the variables here are x, y'),
        ("6*x*y +", "could not read '6*x*y +' as a formula"),
    ],
)
def test_wrong_formulas_get_a_specific_message(answer, message):
    feedback = cp.check_expression(answer, 6 * x * y)
    assert not feedback
    assert feedback.message.startswith(message)


def test_a_different_formula_is_compared_at_a_point():
    feedback = cp.check_expression("3*x**2", 6 * x * y)
    assert feedback.message == "your formula is not equivalent to the expected one."
    assert feedback.hints[0] == "At x = -1.25, y = -1.25 yours gives 4.6875, the expected one 9.375."


def test_an_extra_variable_in_a_sympy_answer_is_named():
    z = sp.Symbol("z")
    assert cp.check_expression(6 * x * z, 6 * x * y).message.startswith("your formula uses z")


def test_expected_must_be_sympy():
    with pytest.raises(TypeError, match=r"expected: expected a SymPy expression, got str"):
        cp.check_expression("x", "x")


def test_gradient_functions_are_checked():
    loss = lambda v: np.sum(v**2)  # noqa: E731
    assert cp.check_gradient_function(loss, lambda v: 2 * v, [1.0, -2.0])
    feedback = cp.check_gradient_function(loss, lambda v: v, [1.0, -2.0])
    assert feedback.message.startswith("relative error 0.33")
    assert any("0.5 times the right one" in h for h in feedback.hints)


def test_a_crashing_gradient_function_gets_a_message():
    feedback = cp.check_gradient_function(lambda v: v @ v, lambda v: v[5], [1.0, 2.0])
    assert not feedback
    assert feedback.message.startswith("your gradient function raised IndexError: index 5 is out of bounds")


def test_feedback_shows_as_html_in_a_notebook():
    shown = cp.check_expression("-6*x*y", 6 * x * y)._repr_html_()
    assert "Not yet." in shown
    assert "opposite sign" in shown
    # the class the site's dark mode keys on (_ext/static/site.css), so feedback stays in the page's colours
    assert shown.startswith('<div class="feedback" ')


# --- issue 12: Feedback's own arguments ---------------------------------------------------------


def test_feedback_accepts_a_numpy_boolean():
    assert bool(cp.Feedback(np.bool_(True), "m")) is True
    assert bool(cp.Feedback(np.bool_(False), "m")) is False


def test_feedback_refuses_a_string_as_hints():
    with pytest.raises(TypeError, match=r"hints: expected a tuple of strings, got 'abc'; for one hint write hints=\(hint,\)"):
        cp.Feedback(False, "m", "abc")
    assert cp.Feedback(False, "m", ["one hint"]).hints == ("one hint",)


def test_feedback_refuses_a_non_boolean_verdict_and_message():
    with pytest.raises(TypeError, match=r"passed: expected a bool, got str"):
        cp.Feedback("yes", "m")
    with pytest.raises(TypeError, match=r"message: expected a string, got int"):
        cp.Feedback(True, 3)


# --- issue 13: no wrong formula is called right --------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected", "where"),
    [("x", sp.Max(0, x), "It agrees where x > 0 and differs where x < 0."),
     ("1", sp.Heaviside(x), "It agrees where x > 0 and differs where x < 0."),
     ("abs(x)", x, "It agrees where x > 0 and differs where x < 0."),
     ("6*abs(x)*y", 6 * x * y, "It agrees where x > 0 and differs where x < 0."),
     ("x", sp.Abs(x), "It agrees where x > 0 and differs where x < 0.")],
)
def test_a_formula_right_only_for_positive_x_is_wrong_and_says_where(answer, expected, where):
    feedback = cp.check_expression(answer, expected)
    assert not feedback
    assert feedback.hints[0] == where
    assert feedback.hints[1].startswith("At x = -")


def test_a_tiny_constant_offset_is_caught_and_named():
    feedback = cp.check_expression("6*x*y + 1/10^10", 6 * x * y)
    assert feedback.message == "your formula differs from the expected one by a constant, 1e-10."


def test_a_kink_in_the_wrong_place_is_caught_on_its_side():
    feedback = cp.check_expression("max(0, x - 2.9)", sp.Max(0, x - 3))
    assert not feedback
    assert "It agrees where x < 0" in feedback.hints[0]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("max(0, x - 3)", sp.Max(0, x - 3)), ("heaviside(x)", sp.diff(sp.Max(0, x), x)),
     ("x^5 - 5*x^4 + 10*x^3 - 10*x^2 + 5*x - 1", (x - 1) ** 5), ("sign(x)*x", sp.Abs(x)),
     ("sin(x)^2 + cos(x)^2 + x", x + 1), ("abs(x)*abs(y)", sp.Abs(x * y))],
)
def test_equal_formulas_pass_also_across_kinks_and_cancellation(answer, expected):
    assert cp.check_expression(answer, expected)


def test_an_answer_undefined_where_the_expected_one_is_defined_is_wrong():
    feedback = cp.check_expression("log(0)", x)
    assert not feedback
    assert "no real value (undefined there)" in feedback.hints[-1]
    assert "no real value" in cp.check_expression("sqrt(-1)*x", x).hints[-1]


def test_a_number_a_keyword_symbol_and_arity_are_handled():
    assert cp.check_expression(6, sp.Integer(6))
    lam = sp.Symbol("lambda")
    assert cp.check_expression("2*lambda", 2 * lam)
    assert cp.check_expression("sqrt(x, y)", x).message == "sqrt takes 1 argument, got 2 in 'sqrt(x, y)'"


# --- the reference derivative at kinks and for non-analytic functions ---------------------------


def test_the_derivative_of_sign_is_zero_away_from_its_jump():
    three_sign = lambda v: 3 * np.sign(v[0])  # noqa: E731
    assert cp.check_gradient_answer([0.0], three_sign, [1.0])
    assert not cp.check_gradient_answer([3.0], three_sign, [1.0])


def test_abs_and_maximum_are_differentiated_correctly():
    assert cp.check_gradient_answer([-1.0, 1.0], lambda v: abs(v[0]) + np.maximum(v[1], 0.5), [-2.0, 1.0])
    assert not cp.check_gradient_answer([1.0, 1.0], lambda v: abs(v[0]) + np.maximum(v[1], 0.5), [-2.0, 1.0])


def test_at_the_relu_kink_the_course_convention_passes_and_the_kink_is_named():
    relu = lambda v: np.maximum(0.0, v[0])  # noqa: E731
    feedback = cp.check_gradient_answer([0.0], relu, [0.0])
    assert feedback
    assert "f has a kink at this point (entry (1))" in feedback.hints[0]
    assert "the course takes 0 for ReLU at 0" in feedback.hints[0]
    wrong = cp.check_gradient_answer([2.0], relu, [0.0])
    assert not wrong
    assert wrong.hints[0] == "Entry (1) sits on a kink: you have 2, expected a value between 0 and 1."
    assert not cp.check_gradient_answer([0.0], relu, [0.5])  # away from the kink: 1 only


def test_a_gradient_function_at_the_relu_kink_uses_the_convention():
    relu_sum = lambda v: np.sum(np.maximum(0.0, v))  # noqa: E731
    feedback = cp.check_gradient_function(relu_sum, lambda v: (v > 0).astype(float), [0.0, 2.0])
    assert feedback
    assert "kink" in feedback.hints[0]
    assert not cp.check_gradient_function(relu_sum, lambda v: 2 * (v > 0), [0.0, 2.0])


# --- answers that are complex, non-finite, or code that raises -----------------------------------


def test_a_complex_answer_is_refused_not_truncated():
    g = lambda v: 3 * v[0] ** 2 * v[1] / 3 + v[1] ** 2  # noqa: E731
    feedback = cp.check_gradient_answer([4 + 5j, 5], g, POINT)
    assert not feedback
    assert feedback.message == "your answer has complex entries, e.g. 4+5j at entry (1)."
    assert cp.check_gradient_answer(np.array([4 + 0j, 5]), g, POINT)


def recurse(v):
    return recurse(v)


@pytest.mark.parametrize(
    ("grad", "error"),
    [(lambda v: 2 * w, "NameError: name 'w' is not defined"),  # noqa: F821
     (lambda v: np.foo(v), "AttributeError"),
     (lambda v: {"a": 1}["b"], "KeyError: 'b'"),
     (recurse, "RecursionError")],
)
def test_learner_code_that_raises_gets_feedback(grad, error):
    feedback = cp.check_gradient_function(lambda v: v @ v, grad, [1.0, 2.0])
    assert not feedback
    assert feedback.message.startswith(f"your gradient function raised {error}")


@pytest.mark.parametrize(
    ("returned", "message"),
    [(np.array([2.0, 4j]), "what your gradient function returned has complex entries"),
     (np.array([np.nan, 4.0]), "what your gradient function returned contains NaN or infinite values."),
     ("2, 4", "what your gradient function returned could not be read as numbers"),
     (np.ones(3), "what your gradient function returned has shape (3,), expected 2 numbers.")],
)
def test_what_a_gradient_function_returns_is_checked(returned, message):
    feedback = cp.check_gradient_function(lambda v: v @ v, lambda v: returned, [1.0, 2.0])
    assert feedback.message.startswith(message)


def test_a_wrong_gradient_function_is_called_once():
    calls = []

    def grad(v):
        calls.append(1)
        return v

    assert not cp.check_gradient_function(lambda v: v @ v, grad, [1.0, 2.0])
    assert len(calls) == 1


def test_a_number_is_compared_with_a_constant():
    assert cp.check_expression(1 / 3, sp.Rational(1, 3))
    feedback = cp.check_expression(0.333, sp.Rational(1, 3))
    assert feedback.message == "your answer, 0.333, is not the expected value."
    assert feedback.hints == ("It is 0.10% too small.",)
    assert cp.check_expression("2*pi", 2 * sp.pi)


def test_check_gradient_function_evaluates_f_only_for_its_reference():
    # one value and four one-sided differences per coordinate; no second, independent numeric gradient
    calls = []

    def f(v):
        calls.append(1)
        return float(v @ v)

    feedback = cp.check_gradient_function(f, lambda v: 2 * v, [1.0, -2.0, 0.5])
    assert feedback.passed
    assert len(calls) == 1 + 4 * 3
