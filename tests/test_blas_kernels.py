"""The notebooks' outputs do not depend on the CPU: nbval re-runs every notebook under each BLAS kernel.

NumPy's OpenBLAS picks its kernels for the CPU it runs on, and kernels round sums in different orders,
so a printed value that hinges on the last bits of a float can differ between a reader's laptop and
the machine that saved the notebook. The main nbval run checks the environment as found; this test
re-runs nbval on every notebook with ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` unset (when the
environment as found sets either) and with ``OPENBLAS_CORETYPE`` set to Prescott, Sandybridge and
Haswell, plus SkylakeX where ``/proc/cpuinfo`` lists avx512f. OpenBLAS is asked which core it runs
under each setting, and the named settings must select distinct cores (OpenBLAS reports Prescott
as "Katmai", its name for that family), so no run silently repeats another. The runs go two at a
time, one per core.

A setting under which OpenBLAS selects the very core it selects in the environment as found (on a CPU
with AVX-512, ``SkylakeX`` usually is that core), with ``OPENBLAS_L2_SIZE`` as found, computes what
the main nbval run of ``book/`` computes, bit for bit: the same kernels with the same parameters. When
that run is part of this pytest session (every cell of every notebook, compared strictly, in this
environment), the setting is checked by it and not run a second time (about 25 s of processor time);
run alone, this file runs every setting.
"""

import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from tests.helpers import ROOT, code_cells

CORENAME = """
import ctypes, glob, os, numpy
libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, 'numpy.libs', '*openblas*'))
lib = ctypes.CDLL(libs[0])
function = next(getattr(lib, n) for n in ('scipy_openblas_get_corename64_', 'openblas_get_corename64_',
                                          'openblas_get_corename') if hasattr(lib, n))
function.restype = ctypes.c_char_p
print(function().decode())
"""


def uses_openblas() -> bool:
    config = np.show_config(mode="dicts")
    return "openblas" in config["Build Dependencies"]["blas"]["name"].lower()


def has_avx512() -> bool:
    cpuinfo = Path("/proc/cpuinfo")
    return cpuinfo.exists() and " avx512f" in cpuinfo.read_text(encoding="utf-8")


def kernel_environments() -> dict[str, dict[str, str]]:
    base = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    environments = {}
    if base != dict(os.environ):  # as found differs from unset: check unset too
        environments["unset"] = base
    for kernel in ("Prescott", "Sandybridge", "Haswell", *(("SkylakeX",) if has_avx512() else ())):
        environments[kernel] = {**base, "OPENBLAS_CORETYPE": kernel}
    return environments


ENVIRONMENTS = kernel_environments()


def corename(environment: dict[str, str]) -> str:
    """The name of the core OpenBLAS selects in this environment."""
    return subprocess.run([sys.executable, "-c", CORENAME], env=environment, capture_output=True,
                          text=True, check=True).stdout.strip()


def nbval_under(environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
         "-o", "addopts=", "-W", "error", str(ROOT / "book")],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900, check=False)


BOOK = sorted((ROOT / "book").glob("*.ipynb"))


def main_run_checks(environment: dict[str, str], core: str, found: str, session) -> bool:
    """Whether the main nbval run of book/ in this session computes and checks what a run in
    ``environment`` would: the same core and OPENBLAS_L2_SIZE, every cell of every notebook of book/
    selected, and nbval comparing outputs strictly in this environment's kernel."""
    option = session.config.option
    strict = (getattr(option, "nbval", False) and not getattr(option, "nbval_lax", False)
              and getattr(option, "nbval_current_env", False) and getattr(option, "nbval_kernel_name", None) is None)
    selected = Counter(item.path for item in session.items)
    every_cell = all(selected[path] == len(code_cells(path)) for path in BOOK)
    same_blas = core == found and environment.get("OPENBLAS_L2_SIZE") == os.environ.get("OPENBLAS_L2_SIZE")
    return bool(strict and every_cell and same_blas)


@pytest.fixture(scope="module")
def runs(request):
    """Per setting: its core, and nbval's run under it (None where the main nbval run checks it)."""
    if not uses_openblas():
        pytest.skip("NumPy here does not use OpenBLAS, so OPENBLAS_CORETYPE selects nothing")
    cores = {name: corename(env) for name, env in ENVIRONMENTS.items()}
    found = corename(dict(os.environ))
    repeats = {name for name, env in ENVIRONMENTS.items()
               if main_run_checks(env, cores[name], found, request.session)}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(nbval_under, env) for name, env in ENVIRONMENTS.items() if name not in repeats}
        return {name: (cores[name], found, futures[name].result() if name in futures else None)
                for name in ENVIRONMENTS}


@pytest.mark.parametrize("kernel", ENVIRONMENTS)
def test_every_notebook_gives_its_stored_outputs_under_this_blas_kernel(runs, kernel, record_property):
    core, found, nbval = runs[kernel]
    if nbval is None:
        assert core == found  # how it was chosen: book/'s own nbval run in this session checks this core
        record_property("measured", f"BLAS kernel {kernel}: core {core}, the core found, checked by the main nbval run")
        return
    assert nbval.returncode == 0, f"nbval under {kernel}:\n{nbval.stdout[-4000:]}"


def test_each_setting_selects_its_own_blas_kernel(runs):
    cores = {name: core for name, (core, _, _) in runs.items() if name != "unset"}
    assert len(set(cores.values())) == len(cores), f"OpenBLAS cores per setting: {cores}"


def test_a_setting_is_left_to_the_main_run_only_when_that_run_computes_the_same():
    l2 = os.environ.get("OPENBLAS_L2_SIZE")
    environment = {"OPENBLAS_CORETYPE": "SkylakeX", **({"OPENBLAS_L2_SIZE": l2} if l2 else {})}

    def session(paths, **options):
        option = {"nbval": True, "nbval_lax": False, "nbval_current_env": True, "nbval_kernel_name": None, **options}
        return SimpleNamespace(config=SimpleNamespace(option=SimpleNamespace(**option)),
                               items=[SimpleNamespace(path=path) for path in paths])

    every_cell = [path for path in BOOK for _ in code_cells(path)]
    assert main_run_checks(environment, "SkylakeX", "SkylakeX", session(every_cell))
    assert not main_run_checks(environment, "SkylakeX", "Haswell", session(every_cell))  # another core
    other_l2 = {**environment, "OPENBLAS_L2_SIZE": "2" if l2 == "1" else "1"}
    assert not main_run_checks(other_l2, "SkylakeX", "SkylakeX", session(every_cell))  # another cache size
    assert not main_run_checks(environment, "SkylakeX", "SkylakeX", session([ROOT / "tests" / "test_blas_kernels.py"]))
    assert not main_run_checks(environment, "SkylakeX", "SkylakeX", session(every_cell[:1]))  # one notebook
    assert not main_run_checks(environment, "SkylakeX", "SkylakeX", session(every_cell[1:]))  # a cell left out
    assert not main_run_checks(environment, "SkylakeX", "SkylakeX", session(every_cell, nbval_lax=True))
    assert not main_run_checks(environment, "SkylakeX", "SkylakeX", session(every_cell, nbval_current_env=False))
    assert not main_run_checks(environment, "SkylakeX", "SkylakeX", session(every_cell, nbval=False))
