import numpy as np
import pytest

import companion as cp

X = np.array([[0.0], [1.0], [2.0], [3.0]])
y = 2.0 * X[:, 0] + 1.0


def test_descent_recovers_a_line_with_positive_outputs():
    w, b, history = cp.gradient_descent([0.5], 0.5, X, y, learning_rate=0.05, iterations=2000)
    np.testing.assert_allclose([w[0], b], [2.0, 1.0], rtol=1e-6)
    assert history[-1] < 1e-12


def test_history_has_one_entry_per_step_plus_the_start():
    _, _, history = cp.gradient_descent([0.5], 0.5, X, y, learning_rate=0.05, iterations=7)
    assert history.shape == (8,)
    assert history[0] == pytest.approx(cp.loss([0.5], 0.5, X, y))


def test_a_small_learning_rate_never_increases_the_loss():
    _, _, history = cp.gradient_descent([0.1], 0.2, X, y, learning_rate=0.01, iterations=200)
    assert np.all(np.diff(history) <= 0)


def test_each_step_is_one_gradient_step():
    w, b, _ = cp.gradient_descent([0.5], 0.5, X, y, learning_rate=0.1, iterations=1)
    dw, db = cp.loss_gradient([0.5], 0.5, X, y)
    np.testing.assert_allclose(w, 0.5 - 0.1 * dw)
    assert b == pytest.approx(0.5 - 0.1 * db)


def test_a_dead_neuron_never_moves():
    w, b, history = cp.gradient_descent([-1.0], -1.0, X, y, learning_rate=0.1, iterations=50)
    np.testing.assert_array_equal(w, [-1.0])
    assert b == -1.0
    assert np.all(history == history[0])


def test_zero_iterations_return_the_start():
    w, b, history = cp.gradient_descent([0.5], 0.5, X, y, learning_rate=0.1, iterations=0)
    np.testing.assert_array_equal(w, [0.5])
    assert b == 0.5
    assert history.shape == (1,)


def test_too_large_a_step_can_kill_the_neuron():
    # Overshooting sends every sample to the inactive side, where the gradient is zero.
    w, b, history = cp.gradient_descent([0.5], 0.5, X, y, learning_rate=1.0, iterations=100)
    assert np.all(X @ w + b <= 0)
    assert history[-1] == history[-2] == pytest.approx(np.mean(y**2))


def test_divergence_is_reported():
    # Samples on both sides of zero keep some active whatever the sign of w, so the steps grow.
    X2 = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    with pytest.raises(ValueError, match=r"learning_rate: the loss overflowed at iteration \d+ with learning_rate=10.0"):
        cp.gradient_descent([0.5], 0.5, X2, 3 * np.abs(X2[:, 0]), learning_rate=10.0, iterations=1000)


def test_non_positive_learning_rate_is_rejected():
    with pytest.raises(ValueError, match=r"learning_rate: expected a positive number, got 0.0"):
        cp.gradient_descent([0.5], 0.5, X, y, learning_rate=0.0, iterations=1)


def test_non_integer_iterations_are_rejected():
    with pytest.raises(TypeError, match=r"iterations: expected an integer, got float 10.0"):
        cp.gradient_descent([0.5], 0.5, X, y, learning_rate=0.1, iterations=10.0)


def test_negative_iterations_are_rejected():
    with pytest.raises(ValueError, match=r"iterations: expected an integer >= 0, got -1"):
        cp.gradient_descent([0.5], 0.5, X, y, learning_rate=0.1, iterations=-1)


def test_weights_that_do_not_match_the_data_are_rejected():
    with pytest.raises(ValueError, match=r"X: expected 2 columns \(one per weight in w\), got shape \(4, 1\)"):
        cp.gradient_descent([0.5, 0.1], 0.5, X, y, learning_rate=0.1, iterations=1)


def test_path_starts_at_the_initial_point_and_ends_at_the_result():
    ws, bs, history = cp.gradient_descent_path([0.5], 0.5, X, y, learning_rate=0.05, iterations=30)
    w, b, final_history = cp.gradient_descent([0.5], 0.5, X, y, learning_rate=0.05, iterations=30)
    np.testing.assert_array_equal(ws[0], [0.5])
    np.testing.assert_array_equal(ws[-1], w)
    assert bs[-1] == b
    np.testing.assert_array_equal(history, final_history)
    assert history[5] == pytest.approx(cp.loss(ws[5], bs[5], X, y))


def test_data_that_overflow_blame_the_data_not_the_learning_rate():
    with pytest.raises(ValueError, match="X, y, w0, b0: the loss at the starting point overflowed"):
        cp.gradient_descent([1e200], 0.0, [[1e200]], [0.0], learning_rate=0.1, iterations=0)


def test_divergence_blames_the_learning_rate():
    with pytest.raises(ValueError, match=r"learning_rate: the loss overflowed at iteration .* try a smaller one"):
        cp.gradient_descent([1e50], 0.0, [[1e100], [-1e100]], [0.0, 0.0], learning_rate=1.0, iterations=3)


def test_data_are_checked_once_not_at_every_step(monkeypatch):
    import importlib

    calls = []
    neuron_module = importlib.import_module("companion.neuron")
    original = neuron_module.check_data

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    # Count the check wherever it is called from: training itself or the public loss functions.
    for module in ("companion.neuron", "companion.training"):
        monkeypatch.setattr(importlib.import_module(module), "check_data", counting)
    cp.gradient_descent([0.5], 0.0, [[1.0], [2.0]], [1.0, 2.0], learning_rate=0.1, iterations=50)
    assert len(calls) == 1
