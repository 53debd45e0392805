r"""The loss gradient's two sums in one pass over X, compiled by Numba (optional: ``pip install numba``).

The loop is the formula of :func:`companion.loss_gradient`, one sample at a time: each row
:math:`\mathbf{x}_i` comes from memory once, and while it is in the fastest cache both
:math:`z_i = \mathbf{w} \cdot \mathbf{x}_i + b` and, on an active sample, :math:`e_i \mathbf{x}_i` are
computed from it. Compiled code releases Python's lock (``nogil``), so :mod:`companion.neuron` sums
parts of X on every core. Importing this module needs Numba; :mod:`companion.neuron` uses NumPy without it.
The benchmarks appendix measures both.
"""

import numba
import numpy as np


# fastmath "reassoc" lets the compiler sum the dot product in vector registers (another order of the same
# additions, as every BLAS does); the other fast-math flags stay off, so NaN and infinity behave as IEEE
# arithmetic says and the check below sees them. cache=True keeps the compiled code on disk (4 s to compile).
@numba.njit(nogil=True, fastmath={"reassoc"}, cache=True)
def gradient_sums(w, b, X, y, start, stop):
    """Over the active samples among rows start..stop-1: the sum of e_i x_i, then that of e_i.

    The last entry is NaN if any z_i is not finite.
    """
    n = w.size
    sums = np.zeros(n + 1)
    for i in range(start, stop):
        x_i = X[i]
        z = b
        for j in range(n):
            z += w[j] * x_i[j]
        if z > 0.0:
            e = z - y[i]
            for j in range(n):
                sums[j] += e * x_i[j]
            sums[n] += e
        elif not np.isfinite(z):  # a NaN or infinity in x_i, or an overflow: reported, never skipped
            sums[n] = np.nan
    return sums
