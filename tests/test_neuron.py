import importlib

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import companion as cp
from tests.strategies import vectors

neuron = importlib.import_module("companion.neuron")  # the module, not the function cp.neuron

data_shapes = st.tuples(st.integers(1, 12), st.integers(1, 4))


@st.composite
def problems(draw):
    """A neuron and a data set with no sample near the kink."""
    N, n = draw(data_shapes)
    w = draw(vectors(n))
    b = draw(st.floats(-2, 2))
    X = draw(vectors((N, n)))
    y = draw(vectors(N))
    assume(np.all(np.abs(X @ w + b) > 1e-3))
    return w, b, X, y


def packed(X, y):
    """The loss as a function of the stacked parameters [w; b]."""
    return lambda p: cp.loss(p[:-1], p[-1], X, y)


def test_neuron_is_relu_of_the_affine_map():
    assert cp.neuron([1.0, 2.0], -1.0, [3.0, 4.0]) == 10.0
    assert cp.neuron([1.0, 2.0], -20.0, [3.0, 4.0]) == 0.0


@given(problems())
def test_neuron_gradient_matches_the_numeric_gradient(problem):
    w, b, X, _ = problem
    x = X[0]
    dw, db = cp.neuron_gradient(w, b, x)
    numeric = cp.gradient(lambda p: cp.neuron(p[:-1], p[-1], x), np.append(w, b))
    np.testing.assert_allclose(np.append(dw, db), numeric, rtol=1e-6, atol=1e-8)


def test_neuron_gradient_at_the_kink_is_zero():
    dw, db = cp.neuron_gradient([1.0, -1.0], 0.0, [2.0, 2.0])
    np.testing.assert_array_equal(dw, [0.0, 0.0])
    assert db == 0.0


def test_loss_matches_the_definition_sample_by_sample():
    rng = np.random.default_rng(0)
    X, y, w, b = rng.normal(size=(7, 3)), rng.normal(size=7), rng.normal(size=3), 0.3
    by_hand = sum((y[i] - max(0.0, w @ X[i] + b)) ** 2 for i in range(7)) / 7
    assert cp.loss(w, b, X, y) == pytest.approx(by_hand, rel=1e-14)


@given(problems())
def test_loss_gradient_matches_the_numeric_gradient(problem):
    w, b, X, y = problem
    dw, db = cp.loss_gradient(w, b, X, y)
    numeric = cp.gradient(packed(X, y), np.append(w, b))
    np.testing.assert_allclose(np.append(dw, db), numeric, rtol=1e-6, atol=1e-7)


@given(problems())
def test_loss_gradient_is_the_mean_of_per_sample_chain_rules(problem):
    w, b, X, y = problem
    dw, db = cp.loss_gradient(w, b, X, y)
    # dC/dw = 1/N sum_i 2 (activation_i - y_i) d(activation_i)/dw, one sample at a time.
    terms = [(2 * (cp.neuron(w, b, x) - t), *cp.neuron_gradient(w, b, x)) for x, t in zip(X, y, strict=True)]
    np.testing.assert_allclose(dw, np.mean([c * g for c, g, _ in terms], axis=0), rtol=1e-12, atol=1e-12)
    assert db == pytest.approx(np.mean([c * g for c, _, g in terms]), rel=1e-12, abs=1e-12)


def test_condition_belongs_inside_the_sum():
    # One sample active, one inactive: the careless formula that multiplies the whole sum by a
    # single indicator gives a different answer from the right one.
    X, y, w, b = np.array([[1.0], [-1.0]]), np.array([0.0, 5.0]), np.array([1.0]), 0.0
    dw, db = cp.loss_gradient(w, b, X, y)
    assert dw[0] == pytest.approx(1.0)  # 2/2 * (1 - 0) * 1 from the active sample only
    assert db == pytest.approx(1.0)
    careless = 2 / 2 * sum((w @ x + b - t) * x for x, t in zip(X, y, strict=True))
    assert careless[0] != pytest.approx(dw[0])


def test_loss_gradient_has_the_stated_shapes():
    dw, db = cp.loss_gradient(np.ones(3), 0.5, np.ones((4, 3)), np.zeros(4))
    assert dw.shape == (3,)
    assert isinstance(db, float)


def test_inactive_samples_give_zero_gradient():
    dw, db = cp.loss_gradient([1.0], -10.0, [[1.0], [2.0]], [3.0, 4.0])
    np.testing.assert_array_equal(dw, [0.0])
    assert db == 0.0


def test_x_of_the_wrong_length_is_rejected():
    with pytest.raises(ValueError, match=r"x: expected 2 features \(one per weight in w\), got 3"):
        cp.neuron([1.0, 2.0], 0.0, [1.0, 2.0, 3.0])


def test_vector_bias_is_rejected():
    with pytest.raises(TypeError, match=r"b: expected a real number, got list"):
        cp.neuron_gradient([1.0], [0.0, 1.0], [1.0])


def test_non_2d_data_is_rejected():
    with pytest.raises(ValueError, match=r"X: expected a 2-D array \(a matrix\), got an array of shape \(3,\)"):
        cp.loss([1.0], 0.0, [1.0, 2.0, 3.0], [1.0, 2.0, 3.0])


def test_data_with_the_wrong_number_of_columns_is_rejected():
    with pytest.raises(ValueError, match=r"X: expected 2 columns \(one per weight in w\), got shape \(3, 1\)"):
        cp.loss_gradient([1.0, 2.0], 0.0, np.ones((3, 1)), np.ones(3))


def test_targets_of_the_wrong_length_are_rejected():
    with pytest.raises(ValueError, match=r"y: expected one target per row of X \(3\), got 2"):
        cp.loss([1.0], 0.0, np.ones((3, 1)), [1.0, 2.0])


def test_empty_data_is_rejected():
    with pytest.raises(ValueError, match=r"X: expected at least one sample, got 0 rows"):
        cp.loss([1.0], 0.0, np.ones((0, 1)), [])


def test_non_finite_data_is_rejected():
    with pytest.raises(ValueError, match=r"X: expected finite values, got 1 NaN or infinite entries"):
        cp.loss_gradient([1.0], 0.0, [[np.inf], [1.0]], [1.0, 2.0])


def test_boolean_bias_is_rejected():
    with pytest.raises(TypeError, match=r"b: expected a real number, got bool True"):
        cp.neuron([1.0], True, [1.0])


def test_loss_gradient_that_overflows_is_an_error_not_inf(one_pass):
    with pytest.raises(ValueError, match="w, b, X, y: the loss gradient overflowed float64"):
        cp.loss_gradient([1e200], 0.0, [[1e200]], [0.0])


def test_loss_that_overflows_is_an_error_not_inf():
    with pytest.raises(ValueError, match="w, b, X, y: the loss overflowed float64"):
        cp.loss([1e200], 0.0, [[1e200]], [0.0])


@pytest.mark.parametrize("function", [cp.neuron, cp.neuron_gradient])
def test_neuron_that_overflows_is_an_error_not_inf(function):
    with pytest.raises(ValueError, match=r"w, b, x: the pre-activation w @ x \+ b overflowed float64"):
        function([1e200, 1e200], 0.0, [1e200, 1e200])


@pytest.fixture(params=["numpy", "numpy in parts", "compiled in parts"])
def one_pass(request, monkeypatch):
    """loss_gradient's one pass: in NumPy on one thread, or in parts on every core (data as large as
    ``neuron.LARGE``, here at any size), in NumPy or in the compiled loop (Numba, requirements.txt)."""
    if request.param.endswith("in parts"):
        monkeypatch.setattr(neuron, "LARGE", 0)
    if request.param == "compiled in parts":
        assert neuron._compiled_gradient_sums() is not None, "Numba (requirements.txt) is not installed"
    else:
        monkeypatch.setattr(neuron, "_compiled_gradient_sums", lambda: None)
    return request.param


@pytest.mark.parametrize("N", [5, 2048 * 3 + 7])  # one block, several blocks
def test_one_pass_gradient_equals_the_two_pass_formula(one_pass, N):
    rng = np.random.default_rng(N)
    X, y, w = rng.normal(size=(N, 6)), rng.normal(size=N), rng.normal(size=6)
    z = X @ w + 0.2
    g = (2.0 / N) * np.where(z > 0, z - y, 0.0)
    dw, db = cp.loss_gradient(w, 0.2, X, y)
    np.testing.assert_allclose(dw, X.T @ g, rtol=1e-12, atol=1e-15)
    assert db == pytest.approx(g.sum(), rel=1e-12)


def test_the_compiled_loop_reads_large_data_and_agrees_with_numpy(monkeypatch):
    compiled, calls = neuron._compiled_gradient_sums(), []
    assert compiled is not None, "Numba (requirements.txt) is not installed"
    monkeypatch.setattr(neuron, "_compiled_gradient_sums", lambda: lambda *args: calls.append(1) or compiled(*args))
    rng = np.random.default_rng(7)
    X, y, w = rng.normal(size=(2**15, 40)), rng.normal(size=2**15), rng.normal(size=40)
    dw, db = cp.loss_gradient(w, 0.1, X, y)
    assert len(calls) == neuron.PARTS  # 2^15 x 40 numbers: large enough for the compiled loop
    in_numpy = (2.0 / y.size) * neuron._gradient_sums(w, 0.1, X, y, 0, y.size)
    np.testing.assert_allclose(dw, in_numpy[:-1], rtol=1e-12, atol=1e-14)
    assert db == pytest.approx(in_numpy[-1], rel=1e-12)


@pytest.mark.parametrize("one_pass", ["numpy in parts", "compiled in parts"], indirect=True)
def test_the_gradient_in_parts_does_not_depend_on_the_number_of_cores(one_pass, monkeypatch):
    rng = np.random.default_rng(5)
    X, y, w = rng.normal(size=(5_000, 7)), rng.normal(size=5_000), rng.normal(size=7)
    on_every_core = cp.loss_gradient(w, 0.1, X, y)
    monkeypatch.setattr(neuron, "_cores", lambda: 1)
    on_one_core = cp.loss_gradient(w, 0.1, X, y)
    np.testing.assert_array_equal(on_one_core[0], on_every_core[0])
    assert on_one_core[1] == on_every_core[1]


def test_data_in_column_order_give_the_same_gradient(one_pass):
    rng = np.random.default_rng(4)
    X, y, w = rng.normal(size=(3_000, 5)), rng.normal(size=3_000), rng.normal(size=5)
    by_rows = cp.loss_gradient(w, 0.1, X, y)
    by_columns = cp.loss_gradient(w, 0.1, np.asfortranarray(X), y)
    np.testing.assert_allclose(by_columns[0], by_rows[0], rtol=1e-12)
    assert by_columns[1] == pytest.approx(by_rows[1], rel=1e-12)


def test_the_gradient_is_the_same_on_every_call(one_pass):
    rng = np.random.default_rng(3)
    X, y, w = rng.normal(size=(40_000, 5)), rng.normal(size=40_000), rng.normal(size=5)
    first = cp.loss_gradient(w, 0.0, X, y)
    for _ in range(5):
        again = cp.loss_gradient(w, 0.0, X, y)
        np.testing.assert_array_equal(again[0], first[0])
        assert again[1] == first[1]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_loss_gradient_names_a_non_finite_entry_of_x_even_on_an_inactive_row(one_pass, bad):
    # loss_gradient does not scan X beforehand: a bad entry must still reach the result and be named.
    with pytest.raises(ValueError, match="X: expected finite values, got 1 NaN or infinite entries"):
        cp.loss_gradient([1.0, 1.0], -5.0, [[bad, 0.0], [1.0, 2.0]], [0.0, 0.0])


@pytest.mark.parametrize("bad", [np.nan, -np.inf])
def test_the_numpy_pass_notices_a_non_finite_z_even_where_the_blas_skips_zero_rows(bad):
    # Reference BLAS skips a row whose coefficient is 0, so 0 * inf need not reach e @ X_b: the pass must
    # notice the non-finite z_i itself. This X multiplies as such a BLAS does.
    class SkippingZeroRows(np.ndarray):
        def __rmatmul__(self, e):
            rows = np.flatnonzero(e)
            return e[rows] @ np.asarray(self)[rows]

    X = np.array([[bad, 0.0], [1.0, 2.0]]).view(SkippingZeroRows)  # both samples inactive: e = 0
    sums = neuron._gradient_sums(np.array([1.0, 1.0]), -5.0, X, np.zeros(2), 0, 2)
    assert np.isnan(sums[-1])
