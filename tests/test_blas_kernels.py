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
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import ROOT

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


def run_under(environment: dict[str, str]) -> tuple[str, subprocess.CompletedProcess]:
    corename = subprocess.run([sys.executable, "-c", CORENAME], env=environment, capture_output=True,
                              text=True, check=True).stdout.strip()
    nbval = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
         "-o", "addopts=", "-W", "error", str(ROOT / "book")],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900, check=False)
    return corename, nbval


@pytest.fixture(scope="module")
def runs():
    if not uses_openblas():
        pytest.skip("NumPy here does not use OpenBLAS, so OPENBLAS_CORETYPE selects nothing")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run_under, env) for name, env in ENVIRONMENTS.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("kernel", ENVIRONMENTS)
def test_every_notebook_gives_its_stored_outputs_under_this_blas_kernel(runs, kernel):
    _, nbval = runs[kernel]
    assert nbval.returncode == 0, f"nbval under {kernel}:\n{nbval.stdout[-4000:]}"


def test_each_setting_selects_its_own_blas_kernel(runs):
    cores = {name: corename for name, (corename, _) in runs.items() if name != "unset"}
    assert len(set(cores.values())) == len(cores), f"OpenBLAS cores per setting: {cores}"
