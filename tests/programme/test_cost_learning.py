"""The learning curve against its textbook definition and properties.

Textbook: T. P. Wright, "Factors affecting the cost of airplanes", J. Aeronautical Sciences 3(4),
122-128 (1936): on an 85 % unit curve every doubling of the unit number multiplies the unit cost by
0.85, so unit 2 = 0.85, unit 4 = 0.7225 and unit 8 = 0.614125 of unit 1 (exact by definition; the
tolerance is floating point). TransCost's cost reduction factor f4 is the same curve (Koelle,
TransCost 8.2; lvreuse/cost/tools.py cost_reduction_factor).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jointmission.programme.learning import average_cost_factor, cumulative_cost_factor, unit_cost_factor


def test_85_percent_curve_doubling():
    np.testing.assert_allclose(unit_cost_factor([1, 2, 4, 8], 0.85), [1.0, 0.85, 0.7225, 0.614125], rtol=1e-12)


def test_cumulative_is_the_sum_of_units():
    # cumulative of n units = unit 1 + unit 2 + ... + unit n, e.g. 4 units on the 85 % curve
    expected = 1.0 + 0.85 + 3.0 ** np.log2(0.85) + 0.7225
    assert float(cumulative_cost_factor(4, 0.85)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("n", [1, 63, 64, 65, 200, 5000])
@pytest.mark.parametrize("p", [0.7, 0.85, 0.96, 1.0])
def test_long_series_match_the_explicit_sum(n, p):
    explicit = (np.arange(1, n + 1, dtype=float) ** np.log2(p)).sum()
    assert float(cumulative_cost_factor(n, p)) == pytest.approx(explicit, rel=1e-11)


def test_batch_is_the_difference_of_cumulatives():
    assert float(cumulative_cost_factor(5, 0.96, first_unit=11)) == pytest.approx(
        float(cumulative_cost_factor(15, 0.96) - cumulative_cost_factor(10, 0.96)), rel=1e-12)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="learning factor"):
        unit_cost_factor(2, 1.2)
    with pytest.raises(ValueError, match="n_units"):
        cumulative_cost_factor(2.5, 0.9)
    with pytest.raises(ValueError, match="unit_number"):
        unit_cost_factor(0, 0.9)


@given(n=st.integers(1, 3000), k=st.integers(1, 3000), p=st.floats(0.6, 1.0))
def test_cumulative_is_additive_and_increasing(n, k, p):
    a = float(cumulative_cost_factor(n, p))
    b = float(cumulative_cost_factor(k, p, first_unit=n + 1))
    assert float(cumulative_cost_factor(n + k, p)) == pytest.approx(a + b, rel=1e-10)
    assert b > 0
    # the average falls (or stays, with no learning) as the series grows
    assert float(average_cost_factor(n + k, p)) <= float(average_cost_factor(n, p)) + 1e-12
