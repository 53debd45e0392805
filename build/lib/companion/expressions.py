"""Read a learner's typed formula into SymPy without evaluating any code, within bounded work.

``sympy.sympify`` and ``parse_expr`` call Python's ``eval``, so a typed answer could run
anything. Here the text is parsed by Python's ``ast`` module and only arithmetic, numbers, the
expected variables and a short list of functions are turned into SymPy objects; anything else is
refused with a message saying what was not understood.

A class types anything, so the work is bounded as well: at most 500 characters, nesting at most
32 deep, numbers up to about 1e300 (checked after every operation, not only on literals), exponents
up to 100 (also after SymPy has combined them), and a time budget for the SymPy work.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import sympy as sp

# name: (SymPy function, fewest arguments, most arguments)
FUNCTIONS = {
    "sin": (sp.sin, 1, 1), "cos": (sp.cos, 1, 1), "tan": (sp.tan, 1, 1), "tanh": (sp.tanh, 1, 1),
    "exp": (sp.exp, 1, 1), "log": (sp.log, 1, 1), "ln": (sp.log, 1, 1), "sqrt": (sp.sqrt, 1, 1),
    "abs": (sp.Abs, 1, 1), "Abs": (sp.Abs, 1, 1), "sign": (sp.sign, 1, 1),
    "Heaviside": (sp.Heaviside, 1, 1), "heaviside": (sp.Heaviside, 1, 1),
    "max": (sp.Max, 2, 8), "Max": (sp.Max, 2, 8), "min": (sp.Min, 2, 8), "Min": (sp.Min, 2, 8),
}
CONSTANTS = {"pi": sp.pi, "e": sp.E}
OPERATORS = {ast.Add: sp.Add, ast.Sub: lambda a, b: a - b, ast.Mult: sp.Mul, ast.Div: lambda a, b: a / b,
             ast.Pow: sp.Pow}
MAX_LENGTH = 500
MAX_DEPTH = 32
MAX_EXPONENT = 100
MAX_BITS = 1000  # numbers up to 2**1000, about 1e301
TIME_BUDGET = 1.5  # seconds of SymPy work per answer


class OutOfTimeError(Exception):
    """Raised inside :func:`time_budget` when the budget is spent."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OutOfTimeError` in the block once it has used ``seconds`` of processor time.

    Uses the process's profiling interval timer (processor time, so a machine busy with other work
    does not eat the budget; on an idle machine it is the time one waits). It works in the main
    thread of a Unix process (a notebook kernel, a grader, a test); elsewhere, or when the timer is
    already running (an outer budget), the block runs without one and only the size limits bound
    the work.
    """
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_PROF)[0] == 0)
    if not usable:
        yield
        return

    def _expire(signum: int, frame: object) -> None:
        raise OutOfTimeError(f"the check took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGPROF, _expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def parse_expression(text: str | int | float, variables: Iterable[sp.Symbol]) -> sp.Expr:
    """Turn a typed formula such as ``"6*x*y"`` or ``"3 x^2"`` into a SymPy expression, safely.

    Parameters
    ----------
    text : str, int or float
        The formula. ``^`` means a power; products need ``*`` (``2*x``, not ``2x``). A plain
        number is accepted as it is.
    variables : iterable of sympy.Symbol
        The names the formula may use (also names such as ``lambda`` that Python reserves), besides
        the functions ``sin cos tan tanh exp log ln sqrt abs sign Heaviside max min`` and the
        constants ``pi`` and ``e``.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    TypeError
        If ``text`` is neither a string nor a real number.
    ValueError
        If the text is empty, too long, not a formula, uses a name or construct not allowed, calls
        a function with the wrong number of arguments, is nested too deeply, makes a number or an
        exponent too large, or takes SymPy longer than the time budget; the message says which and
        how to write it.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> parse_expression("6*x*y + x^2", [x, y])
    x**2 + 6*x*y
    >>> parse_expression("__import__('os')", [x])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: answer: "__import__" is not a function you can use here; allowed: Abs, Heaviside, ...
    >>> parse_expression("((x+1)^99)^99", [x])
    Traceback (most recent call last):
    ...
    ValueError: answer: exponents above 100 are not accepted (here 9801)
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = repr(text)
    if not isinstance(text, str):
        raise TypeError(f"answer: expected the formula as a string, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("answer: the formula is empty; type an expression such as 6*x*y")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"answer: the formula is longer than {MAX_LENGTH} characters")
    names, source = {}, text.replace("^", "**").strip()
    for v in variables:
        name = str(v)
        if keyword.iskeyword(name):  # e.g. a symbol named lambda: rename it before Python parses
            alias = f"_kw_{name}_"
            source = re.sub(rf"\b{name}\b", alias, source)
            names[alias] = v
        names[name] = v
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, MemoryError, RecursionError, ValueError):
        raise ValueError(f"answer: could not read {text!r} as a formula; write products with * "
                         "(2*x, not 2x) and powers with ^ or **") from None
    if _depth(tree.body) > MAX_DEPTH:
        raise ValueError(f"answer: the formula is nested more than {MAX_DEPTH} levels deep; simplify it")
    try:
        with time_budget(TIME_BUDGET):
            return _convert(tree.body, names)
    except OutOfTimeError:
        raise ValueError("answer: the formula takes too long to read; simplify it") from None
    except RecursionError:
        raise ValueError("answer: the formula is too deeply nested to read; simplify it") from None


def _depth(node: ast.AST) -> int:
    """Nesting depth, not counting the continuation of a chain such as a + b + c or a * b / c."""
    stack, deepest = [(node, 1)], 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in ast.iter_child_nodes(item):
            chain = (isinstance(item, ast.BinOp) and isinstance(child, ast.BinOp) and child is item.left
                     and _precedence(child.op) == _precedence(item.op) != 2)
            stack.append((child, depth if chain else depth + 1))
    return deepest


def _precedence(op: ast.operator) -> int:
    return 0 if isinstance(op, (ast.Add, ast.Sub)) else 1 if isinstance(op, (ast.Mult, ast.Div)) else 2


def _number(value: int | float) -> sp.Expr:
    """A literal as an exact SymPy number (0.1 is 1/10), refusing what is too large."""
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > 2.0**MAX_BITS:
            raise ValueError("answer: numbers larger than about 1e300 are not accepted")
        return _bounded(sp.Rational(repr(value)))
    return _bounded(sp.Integer(value))


def _too_big(number: sp.Number) -> bool:
    if isinstance(number, sp.Rational):
        return max(abs(int(number.p)).bit_length(), int(number.q).bit_length()) > MAX_BITS
    return isinstance(number, sp.Float) and not math.isfinite(float(number))


def _bounded(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` if every number and numeric exponent in it is within the limits, else raise."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Number) and _too_big(node):
            raise ValueError("answer: numbers larger than about 1e300 are not accepted")
        if isinstance(node, sp.Pow) and node.exp.is_Number and abs(node.exp) > MAX_EXPONENT:
            raise ValueError(f"answer: exponents above {MAX_EXPONENT} are not accepted (here {node.exp})")
    return expr


def _power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    """``base ** exponent``, refusing before SymPy computes a power that would be too large."""
    if exponent.is_Number and abs(exponent) > MAX_EXPONENT:
        raise ValueError(f"answer: exponents above {MAX_EXPONENT} are not accepted (here {exponent})")
    if base.is_Number and exponent.is_Number and base != 0:
        size = abs(float(exponent)) * abs(math.log2(abs(float(base))))  # bits of the result
        if size > MAX_BITS:
            raise ValueError("answer: numbers larger than about 1e300 are not accepted")
    return sp.Pow(base, exponent)


def _convert(node: ast.AST, names: dict[str, sp.Symbol]) -> sp.Expr:
    """Convert one node of the syntax tree, allowing only arithmetic on known names."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return _number(node.value)
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        allowed = ", ".join(sorted(n for n in names if not n.startswith("_kw_"))) or "none"
        raise ValueError(f'answer: unknown name "{node.id}"; the variables here are {allowed}')
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _convert(node.operand, names)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        left, right = _convert(node.left, names), _convert(node.right, names)
        if isinstance(node.op, ast.Pow):
            return _bounded(_power(left, right))
        return _bounded(OPERATORS[type(node.op)](left, right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        if node.func.id not in FUNCTIONS:
            allowed = ", ".join(sorted(FUNCTIONS))
            raise ValueError(f'answer: "{node.func.id}" is not a function you can use here; '
                             f"allowed: {allowed}")
        function, fewest, most = FUNCTIONS[node.func.id]
        if not fewest <= len(node.args) <= most:
            wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise ValueError(f"answer: {node.func.id} takes {wanted} argument{'s' * (most > 1)}, "
                             f"got {len(node.args)} in {ast.unparse(node)!r}")
        return _bounded(function(*(_convert(arg, names) for arg in node.args)))
    shown = ast.unparse(node)
    raise ValueError(f'answer: "{shown}" is not allowed in a formula; use numbers, the variables, '
                     "+ - * / ^ and functions such as sin(x)")
