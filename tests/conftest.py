"""Shared test settings: a headless Matplotlib and reproducible Hypothesis runs."""

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# Derandomised so that a CI run is repeatable; deadline off because the first call of a
# NumPy routine can be slow on a loaded machine.
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")
