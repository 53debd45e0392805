"""Read a learner's typed formula into SymPy without evaluating any code.

``sympy.sympify`` and ``parse_expr`` call Python's ``eval``, so a typed answer could run
anything. Here the text is parsed by Python's ``ast`` module and only arithmetic, numbers, the
expected variables and a short list of functions are turned into SymPy objects; anything else is
refused with a message saying what was not understood.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

import sympy as sp

FUNCTIONS = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "tanh": sp.tanh, "exp": sp.exp, "log": sp.log,
    "ln": sp.log, "sqrt": sp.sqrt, "abs": sp.Abs, "Abs": sp.Abs, "max": sp.Max, "Max": sp.Max,
}
CONSTANTS = {"pi": sp.pi, "e": sp.E}
OPERATORS = {ast.Add: sp.Add, ast.Sub: lambda a, b: a - b, ast.Mult: sp.Mul, ast.Div: lambda a, b: a / b,
             ast.Pow: sp.Pow}
MAX_LENGTH = 500
MAX_EXPONENT = 100


def parse_expression(text: str, variables: Iterable[sp.Symbol]) -> sp.Expr:
    """Turn a typed formula such as ``"6*x*y"`` or ``"3 x^2"`` into a SymPy expression, safely.

    Parameters
    ----------
    text : str
        The formula. ``^`` means a power; products need ``*`` (``2*x``, not ``2x``).
    variables : iterable of sympy.Symbol
        The names the formula may use, besides the functions ``sin cos tan tanh exp log ln sqrt
        abs max`` and the constants ``pi`` and ``e``.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If the text is empty, too long, not a formula, or uses a name or construct not allowed;
        the message says which and how to write it.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> parse_expression("6*x*y + x^2", [x, y])
    x**2 + 6*x*y
    >>> parse_expression("__import__('os')", [x])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: answer: "__import__" is not a function you can use here; allowed: Abs, Max, abs, ...
    """
    if not isinstance(text, str):
        raise TypeError(f"answer: expected the formula as a string, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("answer: the formula is empty; type an expression such as 6*x*y")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"answer: the formula is longer than {MAX_LENGTH} characters")
    names = {str(v): v for v in variables}
    try:
        tree = ast.parse(text.replace("^", "**").strip(), mode="eval")
    except SyntaxError:
        raise ValueError(f"answer: could not read {text!r} as a formula; write products with * "
                         "(2*x, not 2x) and powers with ^ or **") from None
    return _convert(tree.body, names)


def _convert(node: ast.AST, names: dict[str, sp.Symbol]) -> sp.Expr:
    """Convert one node of the syntax tree, allowing only arithmetic on known names."""
    number = isinstance(node, ast.Constant) and type(node.value) in (int, float)
    if number:
        return sp.nsimplify(node.value) if isinstance(node.value, float) else sp.Integer(node.value)
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        allowed = ", ".join(sorted(names)) or "none"
        raise ValueError(f'answer: unknown name "{node.id}"; the variables here are {allowed}')
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _convert(node.operand, names)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        left, right = _convert(node.left, names), _convert(node.right, names)
        if isinstance(node.op, ast.Pow) and right.is_number and abs(right) > MAX_EXPONENT:
            raise ValueError(f"answer: exponents above {MAX_EXPONENT} are not accepted")
        return OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        if node.func.id not in FUNCTIONS:
            allowed = ", ".join(sorted(FUNCTIONS))
            raise ValueError(f'answer: "{node.func.id}" is not a function you can use here; '
                             f"allowed: {allowed}")
        return FUNCTIONS[node.func.id](*(_convert(arg, names) for arg in node.args))
    shown = ast.unparse(node)
    raise ValueError(f'answer: "{shown}" is not allowed in a formula; use numbers, the variables, '
                     "+ - * / ^ and functions such as sin(x)")
