"""Benchmarks of the closed-form gradient, the numeric Jacobians, and the course's own run time.

Is the closed-form gradient worth deriving, how accurate are the numeric Jacobians, how long do
the notebooks, the site build and the test suite take, and how soon does a reader see the equations?

    .venv/bin/python benchmarks/run.py            # everything, about 15 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick    # skip the timings of the notebooks, build, suite and pages
    .venv/bin/python benchmarks/run.py --wall     # only the timings of the notebooks, build and suite
    .venv/bin/python benchmarks/run.py --pages    # only the time until the equations are visible

Writes benchmarks/results.json and benchmarks/results.md (shown in the book's benchmarks appendix).
All ratios come from this one run on the machine it names. Optional frameworks
(benchmarks/requirements.txt) that are not installed are reported as skipped.
"""

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np
import sympy as sp
from nbclient import NotebookClient

import companion as cp

neuron = importlib.import_module("companion.neuron")  # the module (cp.neuron is the function)

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10_000, 200_000, 1_000_000)
FEATURES = 100
REPEATS = 7          # timings per method and size; the best one counts (the least disturbed run)
SLOW_REPEATS = 1     # the per-sample Python loop, which takes seconds

# The goals, as data: (what is measured, the bound, "max" if the measurement must stay below the
# bound, "min" if above). Each is reported as met or missed with the number measured in this run.
GOALS = {
    "loss_gradient / fastest single read of X (N = 1e6)": (1.5, "max"),
    "HIPS autograd / loss_gradient (N = 1e6)": (1.5, "min"),
    "PyTorch autograd / loss_gradient (N = 1e6)": (1.5, "min"),
    "worst relative error, central differences": (1e-8, "max"),
    "worst relative error, complex step": (1e-13, "max"),
    "seconds to execute one notebook": (10.0, "max"),
    "seconds to build the site": (30.0, "max"),
    "seconds for the whole test command": (300.0, "max"),
    "ms until the equations are visible on a laptop (median, slowest page)": (1000.0, "max"),
    "ms until the equations are visible on a throttled phone (median, slowest chapter)": (3000.0, "max"),
}
LAPTOP_LOADS = 5     # loads of each page on the laptop profile; the median counts
PHONE_LOADS = 3      # loads of each chapter on the throttled phone profile


def verdict(goal: str, measured: float) -> str:
    """'met' or 'missed', from the goals table."""
    bound, kind = GOALS[goal]
    return "met" if (measured <= bound if kind == "max" else measured >= bound) else "missed"


def best_time(function, repeats: int) -> float:
    """The shortest of ``repeats`` wall-clock timings, in seconds (the least disturbed run)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def machine() -> dict:
    """Name the machine and the versions the timings were taken with."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
        if " avx512f" in cpuinfo.read_text():  # hosts of one model name differ: AVX-512 or not
            cpu += " with AVX-512"
    versions = {}
    for package in ("numpy", "numba", "sympy", "torch", "autograd"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), **versions,
            "date": time.strftime("%Y-%m-%d")}


# --- the gradient of the loss, six ways -------------------------------------------------------

def single_reads(X, w) -> dict:
    """The three cheapest ways to read all of X once: the floor for anything that must read it."""
    return {"X.sum()": X.sum, "X.sum(axis=0)": lambda: X.sum(axis=0), "X @ w": lambda: X @ w}


def two_pass(w, b, X, y):
    """The closed form in two passes over X: z = Xw + b, then X^T g."""
    z = X @ w + b
    g = (2.0 / y.size) * np.where(z > 0, z - y, 0.0)
    return X.T @ g, g.sum()


def numpy_one_pass(w, b, X, y):
    """companion.loss_gradient as it runs without Numba: the same one pass, in NumPy blocks of rows."""
    compiled = neuron._compiled_gradient_sums
    neuron._compiled_gradient_sums = lambda: None
    try:
        return cp.loss_gradient(w, b, X, y)
    finally:
        neuron._compiled_gradient_sums = compiled


def per_sample_loop(w, b, X, y):
    """The closed form, one sample at a time in Python: what the formula looks like unvectorised."""
    dw, db = np.zeros_like(w), 0.0
    for x_i, y_i in zip(X, y, strict=True):
        z = x_i @ w + b
        if z > 0:
            dw += (z - y_i) * x_i
            db += z - y_i
    return 2.0 / y.size * dw, 2.0 / y.size * db


def torch_gradient():
    """PyTorch's autograd on the same loss, or None when PyTorch is not installed."""
    try:
        import torch
    except ImportError:
        return None

    def gradient(w, b, X, y):
        X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)          # shares memory, no copy
        w_t = torch.tensor(w, requires_grad=True)
        b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        loss = torch.mean((y_t - torch.relu(X_t @ w_t + b_t)) ** 2)
        loss.backward()
        return w_t.grad.numpy(), b_t.grad.item()

    return gradient


def autograd_gradient():
    """HIPS autograd on the same loss, or None when it is not installed."""
    try:
        import autograd
        import autograd.numpy as anp
    except ImportError:
        return None

    def loss(w, b, X, y):
        return anp.mean((y - anp.maximum(0.0, anp.dot(X, w) + b)) ** 2)

    grad = autograd.grad(loss, argnum=(0, 1))
    return lambda w, b, X, y: grad(w, b, X, y)


def gradient_benchmarks() -> list[dict]:
    """Time every way of computing the loss gradient at each size, after checking they agree."""
    rng = np.random.default_rng(2026)
    methods = {  # name: (function, repeats)
        "companion.loss_gradient": (cp.loss_gradient, REPEATS),
        "the same pass in NumPy (no Numba)": (numpy_one_pass, REPEATS),
        "two-pass NumPy": (two_pass, REPEATS),
        "per-sample Python loop": (per_sample_loop, SLOW_REPEATS),
        "PyTorch autograd (CPU)": (torch_gradient(), REPEATS),
        "HIPS autograd": (autograd_gradient(), REPEATS),
    }
    rows = []
    for N in SIZES:
        X = rng.standard_normal((N, FEATURES))
        y = rng.standard_normal(N)
        w = 0.1 * rng.standard_normal(FEATURES)
        b = 0.05
        reads = {name: best_time(read, REPEATS) for name, read in single_reads(X, w).items()}
        fastest = min(reads, key=reads.get)
        reference = cp.loss_gradient(w, b, X, y)
        row = {"N": N, "n": FEATURES, f"fastest single read of X ({fastest})": reads[fastest]}
        for name, (function, repeats) in methods.items():
            if function is None:
                row[name] = None
                continue
            dw, db = function(w, b, X, y)
            agree = np.allclose(dw, reference[0], rtol=1e-9, atol=1e-12) and np.isclose(db, reference[1])
            if not agree:
                raise AssertionError(f"{name} disagrees with companion.loss_gradient at N={N}")
            call = lambda f=function, w=w, b=b, X=X, y=y: f(w, b, X, y)  # noqa: E731
            row[name] = best_time(call, repeats)
        rows.append(row)
        print(f"gradient N={N}: " + ", ".join(f"{k} {v:.4f}s" for k, v in row.items()
                                              if isinstance(v, float)), flush=True)
    return rows


# --- accuracy of the numeric Jacobian ---------------------------------------------------------

def accuracy_benchmarks() -> list[dict]:
    """The error of each numeric method against SymPy's exact Jacobian, relative to its largest entry."""
    x1, x2, x3 = sp.symbols("x1 x2 x3")
    variables = [x1, x2, x3]
    functions = {
        "exp(x) sin(x), element-wise": [sp.exp(v) * sp.sin(v) for v in variables],
        "[3 x1^2 x2, 2 x1 + x2^8, x3]": [3 * x1**2 * x2, 2 * x1 + x2**8, x3],
        "softplus(A x)": [sp.log(1 + sp.exp(2 * x1 - x2 + 0.5 * x3)), sp.log(1 + sp.exp(x1 + x2 - x3))],
        "x1 x2 x3 / (1 + x1^2)": [x1 * x2 * x3 / (1 + x1**2)],
    }
    point = [0.7, -1.3, 0.4]
    rows = []
    for name, exprs in functions.items():
        exact_matrix = cp.symbolic_jacobian(exprs, variables).subs(dict(zip(variables, point, strict=True)))
        exact = np.array(exact_matrix.evalf(30).tolist(), dtype=float)
        f = cp.to_function(exprs, variables)
        row = {"function": name}
        for method in ("forward", "central", "complex"):
            J = cp.jacobian(f, point, method=method)
            row[method] = float(np.max(np.abs(J - exact)) / np.max(np.abs(exact)))
        rows.append(row)
    return rows


# --- wall times of the notebooks, the site build and the test suite ----------------------------

def build_site(out: Path) -> Path:
    """Build the site into ``out`` as the README does (warnings are errors); return its html folder."""
    subprocess.run([sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(ROOT),
                    "--path-output", str(out), "-W", "-n", "--keep-going"], check=True, capture_output=True)
    return out / "_build" / "html"


def wall_times(out: Path) -> dict:
    """Execute each chapter, build the site into ``out``, and run the test suite, timing each once."""
    times = {"notebooks": {}}
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        times["notebooks"][path.name] = time.perf_counter() - start
        print(f"notebook {path.name}: {times['notebooks'][path.name]:.1f}s", flush=True)
    start = time.perf_counter()
    build_site(out)
    times["site build"] = time.perf_counter() - start
    print(f"site build: {times['site build']:.1f}s", flush=True)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    times["test suite"] = time.perf_counter() - start
    times["test suite result"] = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    print(f"test suite: {times['test suite']:.1f}s ({times['test suite result']})", flush=True)
    return times


# --- how soon a reader sees the equations ------------------------------------------------------

def page_load_times(html_dir: Path) -> dict:
    """Milliseconds from navigation until each page's equations are visible: the median of several loads.

    Each page loads as the browser tests load it (``tests/test_browser.py``: the same local server,
    browser flags and measurement, ``tests/browser/visible_math.js``), cold, in a fresh browser context:
    on a laptop (1280 x 900, no throttling) every page that has equations, and on the throttled phone
    (1.6 Mbps, 150 ms latency, CPU slowed 4x) every chapter. Measured here, on a quiet machine, and
    not in the test suite, where the other test worker takes half the machine. ``html_dir`` is a built
    site (``build_site``).
    """
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests import test_browser as browser_tests

    pages = [p for p in browser_tests.PAGES if 'class="katex"' in (html_dir / p).read_text(encoding="utf-8")]
    times = {"laptop": {}, "phone": {}}
    with browser_tests.serve(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_tests.CHROMIUM, args=browser_tests.FLAGS,
                                             headless=True)

        def laptop(page: str) -> float:
            visit = browser_tests.Visit(browser, base, html_dir, **browser_tests.DESKTOP)
            try:
                return visit.open(page).evaluate(browser_tests.JS["visible_math"])["visible"]
            finally:
                visit.close()

        try:
            laptop("index.html")  # the browser's own first start is not a reader's page load
            for page in pages:
                times["laptop"][page] = statistics.median(laptop(page) for _ in range(LAPTOP_LOADS))
                print(f"laptop {page}: {times['laptop'][page]:.0f} ms", flush=True)
            for page in browser_tests.CHAPTERS:
                times["phone"][page] = statistics.median(
                    browser_tests.throttled_visit(browser, base, html_dir, page)[0]["visible"]
                    for _ in range(PHONE_LOADS))
                print(f"throttled phone {page}: {times['phone'][page]:.0f} ms", flush=True)
        finally:
            browser.close()
    return times


# --- the report -------------------------------------------------------------------------------

def ratio(a, b):
    """The quotient a / b, or None when either is missing."""
    return None if a is None or b is None else a / b


def report(results: dict) -> str:
    """The results as the Markdown shown in the book's benchmarks appendix."""
    m = results["machine"]
    lines = [f"Measured on {m['date']}: {m['cpu']}, {m['cores']} cores; Python {m['python']}, NumPy {m['numpy']}, "
             f"Numba {m.get('numba', 'not recorded')}, "
             f"PyTorch {m['torch']}, HIPS autograd {m['autograd']}.", "",
             "### The gradient of the loss", "",
             f"Seconds (best of several runs) for $\\partial C/\\partial \\mathbf{{w}}$ and $\\partial C/\\partial b$ "
             f"with $n = {FEATURES}$ features; the ratio to one read of $X$ in brackets.", ""]
    names = [k for k in results["gradient"][0] if k not in ("N", "n")]
    floor_of = lambda row: next(v for k, v in row.items() if k.startswith("fastest single read"))  # noqa: E731
    lines.append("| method | " + " | ".join(f"N = {row['N']:,}" for row in results["gradient"]) + " |")
    lines.append("|---|" + "---|" * len(results["gradient"]))
    for name in names:
        cells = []
        for row in results["gradient"]:
            t = row.get(name)
            if name.startswith("fastest single read"):
                t = floor_of(row)
            cells.append("skipped (not installed)" if t is None else f"{t:.4f} ({t / floor_of(row):.1f}x)")
        lines.append(f"| {name.split(' (X')[0] if name.startswith('fastest') else name} | " + " | ".join(cells) + " |")
    big = results["gradient"][-1]
    ours = big["companion.loss_gradient"]
    lines += ["", f"Goals at N = {big['N']:,}, every ratio from this one run:", ""]
    goal = "loss_gradient / fastest single read of X (N = 1e6)"
    lines.append(f"- {goal}: measured **{ours / floor_of(big):.2f}x**, at most {GOALS[goal][0]}x: "
                 f"{verdict(goal, ours / floor_of(big))}.")
    for name, goal in (("HIPS autograd", "HIPS autograd / loss_gradient (N = 1e6)"),
                       ("PyTorch autograd (CPU)", "PyTorch autograd / loss_gradient (N = 1e6)")):
        speedup = ratio(big[name], ours)
        if speedup is None:
            lines.append(f"- {goal}: skipped, {name} not installed.")
        else:
            lines.append(f"- {goal}: measured **{speedup:.2f}x**, at least {GOALS[goal][0]}x: "
                         f"{verdict(goal, speedup)}.")
    lines.append(f"- one pass against two: `companion.loss_gradient` takes {ours / big['two-pass NumPy']:.2f} "
                 "times as long as the two-pass NumPy products (argument checks included).")
    lines.append(f"- against the per-sample Python loop: {big['per-sample Python loop'] / ours:.0f}x faster.")
    numpy_pass = big.get("the same pass in NumPy (no Numba)")
    if numpy_pass is not None:
        lines.append(f"- without Numba, the same pass in NumPy blocks takes {numpy_pass / floor_of(big):.2f} times "
                     "one read of X.")
    lines += ["", "### Accuracy of the numeric Jacobian", "",
              "Largest error relative to the largest exact entry, at $(0.7, -1.3, 0.4)$, exact values from SymPy "
              "at 30 digits. Goals: complex step within 1e-13, central differences within 1e-8.", "",
              "| function | forward | central | complex step |", "|---|---|---|---|"]
    for row in results["accuracy"]:
        lines.append(f"| {row['function']} | {row['forward']:.1e} | {row['central']:.1e} | {row['complex']:.1e} |")
    worst_central = max(r["central"] for r in results["accuracy"])
    worst_complex = max(r["complex"] for r in results["accuracy"])
    lines += ["", f"Worst central {worst_central:.1e} "
              f"({verdict('worst relative error, central differences', worst_central)}), worst complex step "
              f"{worst_complex:.1e} ({verdict('worst relative error, complex step', worst_complex)})."]
    if "wall" in results:
        wall = results["wall"]
        lines += ["", "### Wall times", ""]
        if "machine" in wall:  # results written before wall times named their machine have none
            m = wall["machine"]
            lines += [f"Measured on {m['date']}: {m['cpu']}, {m['cores']} cores; each notebook once in a fresh "
                      "kernel, the site built once, the test command run once in this checkout as it was (its learner "
                      "environments and PDF reused where cached).", ""]
        lines += ["| what | seconds | goal | |", "|---|---|---|---|"]
        for name, seconds in wall["notebooks"].items():
            goal = "seconds to execute one notebook"
            lines.append(f"| executing {name} | {seconds:.1f} | under {GOALS[goal][0]:g} | {verdict(goal, seconds)} |")
        for label, key, goal in (("site build from stored outputs", "site build", "seconds to build the site"),
                                 ("whole test command (`pytest`)", "test suite", "seconds for the whole test command")):
            lines.append(f"| {label} | {wall[key]:.1f} | under {GOALS[goal][0]:g} | {verdict(goal, wall[key])} |")
        lines += ["", f"The test command reported: `{wall['test suite result']}`."]
    if "pages" in results:
        pages, m = results["pages"], results["pages"]["machine"]
        lines += ["", "### How soon the equations are visible", "",
                  f"Measured on {m['date']}: {m['cpu']}, {m['cores']} cores, headless Chromium, the site served "
                  f"from this machine. Milliseconds from navigation until the page is painted and its KaTeX "
                  f"fonts have arrived, the median of {LAPTOP_LOADS} cold loads on a laptop profile "
                  f"(1280 x 900) and of {PHONE_LOADS} on the throttled phone (1.6 Mbps, 150 ms, CPU 4x).", "",
                  "| page | laptop | throttled phone |", "|---|---|---|"]
        for page, ms in pages["laptop"].items():
            phone = pages["phone"].get(page)
            lines.append(f"| {page} | {ms:.0f} | {'' if phone is None else f'{phone:.0f}'} |")
        worst_laptop, worst_phone = max(pages["laptop"].values()), max(pages["phone"].values())
        goal_laptop = "ms until the equations are visible on a laptop (median, slowest page)"
        goal_phone = "ms until the equations are visible on a throttled phone (median, slowest chapter)"
        lines += ["", f"Slowest page on the laptop: {worst_laptop:.0f} ms, goal under {GOALS[goal_laptop][0]:g} ms: "
                  f"{verdict(goal_laptop, worst_laptop)}. Slowest chapter on the throttled phone: {worst_phone:.0f} ms, "
                  f"goal under {GOALS[goal_phone][0]:g} ms: {verdict(goal_phone, worst_phone)}."]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run the benchmarks and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip the notebook, build, test-suite and page-load timings (keeping those "
                             "measured before)")
    parser.add_argument("--pages", action="store_true",
                        help="measure only how soon the equations are visible; keep the other results")
    parser.add_argument("--wall", action="store_true",
                        help="measure only the wall times (notebooks, site build, test command); keep the other results")
    parser.add_argument("--site", type=Path, default=None,
                        help="with --pages: a site built beforehand (its _build/html), instead of a new build")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite results.md from the committed results.json without measuring")
    args = parser.parse_args()
    if args.report_only:
        results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
        (ROOT / "benchmarks" / "results.md").write_text(report(results), encoding="utf-8")
        return 0
    if args.pages:
        results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as out:
            html_dir = args.site or build_site(Path(out))
            results["pages"] = {"machine": machine(), **page_load_times(html_dir)}
    elif args.wall:
        results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as out:
            results["wall"] = {"machine": machine(), **wall_times(Path(out))}
    else:
        results = {"machine": machine(), "gradient": gradient_benchmarks(), "accuracy": accuracy_benchmarks()}
        if args.quick:  # keep the page loads and wall times measured before (they name their own date and machine)
            before = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
            results.update({k: v for k, v in before.items() if k in ("pages", "wall")})
    if not (args.quick or args.pages or args.wall):
        with tempfile.TemporaryDirectory() as out:  # the site the build timing builds is the one loaded
            results["wall"] = {"machine": machine(), **wall_times(Path(out))}
            results["pages"] = {"machine": machine(), **page_load_times(Path(out) / "_build" / "html")}
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (ROOT / "benchmarks" / "results.md").write_text(report(results), encoding="utf-8")
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
