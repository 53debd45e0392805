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
    assert feedback.hints[0].startswith("At x = 2/3, y = 1 yours gives 1.33333")


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
    assert "could not be checked" in feedback.message


def test_feedback_shows_as_html_in_a_notebook():
    shown = cp.check_expression("-6*x*y", 6 * x * y)._repr_html_()
    assert "Not yet." in shown
    assert "opposite sign" in shown
