import pytest
import sympy as sp

import companion as cp

x, y = sp.symbols("x y")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("6*x*y", 6 * x * y), ("3 * x^2", 3 * x**2), ("2*x + y**8", 2 * x + y**8), ("-x/y", -x / y),
     ("sin(x**2)*2*x", 2 * x * sp.sin(x**2)), ("exp(x) - ln(y)", sp.exp(x) - sp.log(y)), ("0.5*x", x / 2),
     ("max(0, x)", sp.Max(0, x)), ("pi*x", sp.pi * x)],
)
def test_formulas_are_read_as_sympy(text, expected):
    assert sp.simplify(cp.parse_expression(text, [x, y]) - expected) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('true')", r'"__import__\(\'os\'\).system\(\'true\'\)" is not allowed in a formula'),
        ("open('f')", r'"open" is not a function you can use here'),
        ("x.real", r'"x.real" is not allowed in a formula'),
        ("[x for x in y]", r"is not allowed in a formula"),
        ("lambda: 1", r"is not allowed in a formula"),
        ("z + 1", r'unknown name "z"; the variables here are x, y'),
        ("2x", r"could not read '2x' as a formula; write products with \*"),
        ("", r"the formula is empty"),
        ("x" * 501, r"longer than 500 characters"),
        ("9**9**9", r"exponents above 100 are not accepted"),
        ("sin(x=1)", r"is not allowed in a formula"),
        ("'x'", r"is not allowed in a formula"),
    ],
)
def test_anything_but_arithmetic_is_refused_with_a_message(text, message):
    with pytest.raises(ValueError, match=message):
        cp.parse_expression(text, [x, y])


def test_a_non_string_is_rejected():
    with pytest.raises(TypeError, match=r"answer: expected the formula as a string, got list"):
        cp.parse_expression([3], [x])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(((9**99)**99)**99)**99", r"numbers larger than about 1e300 are not accepted"),
        ("((x+1)^99)^99", r"exponents above 100 are not accepted \(here 9801\)"),
        ("(x^60*y)^2", r"exponents above 100 are not accepted \(here 120\)"),
        ("2**(1e308-x)", r"numbers larger than about 1e300 are not accepted"),
        ("sin(1e999)", r"numbers larger than about 1e300 are not accepted"),
        ("1e308**pi", r"numbers larger than about 1e300 are not accepted"),
        ("9**99*9**99*9**99*9**99", r"numbers larger than about 1e300 are not accepted"),
        ("sin(" * 40 + "x" + ")" * 40, r"nested more than 32 levels deep"),
        ("(" * 240 + "x" + ")" * 240, r"could not read"),
        ("sqrt(x, y)", r"sqrt takes 1 argument, got 2 in 'sqrt\(x, y\)'"),
        ("max(x)", r"max takes 2 to 8 arguments, got 1"),
        ("2j*x", r'"2j" is not allowed in a formula'),
        ("True*x", r'"True" is not allowed in a formula'),
    ],
)
def test_work_is_bounded_by_sizes_checked_after_evaluation(text, message):
    with pytest.raises(ValueError, match=message):
        cp.parse_expression(text, [x, y])


def test_a_long_flat_sum_is_not_counted_as_nesting():
    assert cp.parse_expression("+".join(["x"] * 200), [x]) == 200 * x


def test_numbers_and_keyword_names_are_read():
    assert cp.parse_expression(6, [x]) == 6
    assert cp.parse_expression(0.5, [x]) == sp.Rational(1, 2)
    lam = sp.Symbol("lambda")
    assert cp.parse_expression("2*lambda + x", [lam, x]) == 2 * lam + x
    with pytest.raises(ValueError, match=r'"lambda: 1" is not allowed'):
        cp.parse_expression("lambda: 1", [x])


def test_the_time_budget_interrupts_slow_work():
    import time

    start = time.perf_counter()
    def spin():
        with cp.expressions.time_budget(0.2):
            while True:
                sum(range(1000))

    with pytest.raises(cp.expressions.OutOfTimeError, match=r"the check took longer than 0.2 s"):
        spin()
    assert time.process_time() - start < 1.0
