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
    with pytest.raises(TypeError, match=r"answer: expected the formula as a string, got int"):
        cp.parse_expression(3, [x])
