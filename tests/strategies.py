"""Hypothesis strategies shared by the property tests."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

moderate = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)
away_from_zero = st.one_of(st.floats(-3.0, -0.5), st.floats(0.5, 3.0))


def vectors(n, elements=moderate):
    """Vectors of length n with moderate entries."""
    return arrays(np.float64, n, elements=elements)


sizes = st.integers(1, 5)
