"""Streaming analysis: Pareto fronts, percentiles (exact and binned), regression coefficients."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jointmission.runners import analysis
from jointmission.runners.analysis import analyze, pareto_mask


def _brute(F):
    n = len(F)
    return np.array([not any(np.all(F[j] >= F[i]) and np.any(F[j] > F[i]) for j in range(n)) for i in range(n)])


@pytest.mark.parametrize("k", [2, 3, 4])
def test_pareto_mask_matches_brute_force(k):
    rng = np.random.default_rng(k)
    F = rng.normal(size=(400, k))
    F[:, 1] = -F[:, 0] + 0.3 * F[:, 1]  # a real trade-off: a long front
    F = np.round(F, 1)  # ties and duplicates
    got = pareto_mask(F)
    want = _brute(F)
    # duplicates keep exactly one representative; compare the sets of distinct points
    assert {tuple(r) for r in F[got]} == {tuple(r) for r in F[want]}
    assert len(F[got]) == len({tuple(r) for r in F[got]})


def _chunks(tmp_path, x, y, size):
    files = []
    for c, lo in enumerate(range(0, len(y), size)):
        sl = slice(lo, lo + size)
        t = pa.table({"case": np.arange(len(y))[sl], "a": x[sl, 0], "b": x[sl, 1], "liftoff_mass_t": x[sl, 0] * 0 + 1.0,
                      "payload_t[T]": y[sl], "status[T]": np.zeros(len(y[sl]), dtype=np.int8)})
        f = tmp_path / f"c{c}.parquet"
        pq.write_table(t, f)
        files.append(f)
    return files


def test_statistics_and_sensitivity_streamed_over_chunks(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    n = 50_000
    x = np.column_stack([rng.normal(10, 2, n), rng.uniform(0, 1, n)])
    y = 3.0 * x[:, 0] - 4.0 * x[:, 1] + rng.normal(0, 0.5, n)
    files = _chunks(tmp_path, x, y, 7_000)
    kw = dict(params=["a", "b"], targets=["T"], n_cases=n, low_high=[(8.0, 12.0), (0.0, 1.0)], objectives=None)
    exact = analyze(files, **kw)["targets"]["T"]
    assert exact["mean"] == pytest.approx(y.mean(), rel=1e-12)
    assert exact["std"] == pytest.approx(y.std(ddof=1), rel=1e-10)
    assert exact["percentiles"]["p5"] == pytest.approx(np.percentile(y, 5), rel=1e-12)
    # SRC of the exact linear model: b_j sd(x_j) / sd(y)
    src = {s["parameter"]: s for s in exact["sensitivity"]}
    assert src["a"]["src"] == pytest.approx(3.0 * x[:, 0].std() / y.std(), rel=5e-3)
    assert src["b"]["src"] == pytest.approx(-4.0 * x[:, 1].std() / y.std(), rel=2e-2)
    assert src["a"]["swing"] == pytest.approx(3.0 * 4.0, rel=5e-3)
    assert exact["sensitivity"][0]["parameter"] == "a"  # the larger swing first
    assert src["a"]["spearman"] > 0.9 and src["b"]["spearman"] < 0
    # the binned second pass (used above EXACT_MAX OK cases) agrees within its stated resolution
    monkeypatch.setattr(analysis, "EXACT_MAX", 1000)
    binned = analyze(files, **kw)["targets"]["T"]
    assert binned["percentile_resolution"] > 0
    for q in ("p1", "p50", "p99"):
        assert binned["percentiles"][q] == pytest.approx(exact["percentiles"][q],
                                                         abs=2 * binned["percentile_resolution"])
    assert binned["mean"] == pytest.approx(exact["mean"], rel=1e-12)
    assert binned["std"] == pytest.approx(exact["std"], rel=1e-10)


def test_pareto_front_merged_across_chunks_equals_whole(tmp_path):
    rng = np.random.default_rng(5)
    n = 3000
    x = rng.uniform(size=(n, 2))
    y = -x[:, 0] + 0.2 * rng.normal(size=n)
    files = _chunks(tmp_path, x, y, 400)
    out = analyze(files, params=["a", "b"], targets=["T"], n_cases=n, low_high=[(0, 1), (0, 1)],
                  objectives=[("payload_t[T]", "max"), ("a", "max"), ("b", "min")])
    F = np.column_stack([y, x[:, 0], -x[:, 1]])
    want = np.flatnonzero(pareto_mask(F))
    np.testing.assert_array_equal(out["_pareto"]["case"], want)


def test_categorical_parameter_is_summarised_per_category_not_fitted(tmp_path):
    """A categorical parameter (dictionary-encoded column of category codes, e.g. an engine choice)
    gets no slope, SRC, rank correlation or tornado swing; each output is summarised per category
    (cases, ok, mean/min/max of the ok values) and the numeric parameters are fitted without it."""
    rng = np.random.default_rng(3)
    n, names = 9_000, ["YF-130", "RD-180", "RD-171M"]
    a = rng.normal(10, 2, n)
    code = rng.integers(0, 3, n)
    y = 3.0 * a + np.array([0.0, 50.0, -20.0])[code] + rng.normal(0, 0.1, n)
    status = np.where(rng.uniform(size=n) < 0.2, 3, 0).astype(np.int8)
    files = []
    for c, lo in enumerate(range(0, n, 4_000)):
        sl = slice(lo, lo + 4_000)
        t = pa.table({"case": np.arange(n)[sl], "a": a[sl],
                      "eng": pa.DictionaryArray.from_arrays(pa.array(code[sl], pa.int32()), pa.array(names)),
                      "liftoff_mass_t": np.ones(len(a[sl])), "payload_t[T]": y[sl], "status[T]": status[sl]})
        files.append(tmp_path / f"c{c}.parquet")
        pq.write_table(t, files[-1])
    e = analyze(files, params=["a", "eng"], targets=["T"], n_cases=n, low_high=[(8.0, 12.0), (0.0, 2.0)],
                objectives=None, categories={"eng": names})["targets"]["T"]
    assert [s["parameter"] for s in e["sensitivity"]] == ["a"]
    assert e["sensitivity"][0]["slope_per_unit"] == pytest.approx(3.0, rel=0.05)
    rows = e["by_category"]["eng"]
    assert [r["value"] for r in rows] == names
    for i, r in enumerate(rows):
        sel = code == i
        ok = sel & (status == 0)
        assert (r["cases"], r["ok"]) == (int(sel.sum()), int(ok.sum()))
        assert r["mean"] == pytest.approx(y[ok].mean(), rel=1e-12)
        assert (r["min"], r["max"]) == (y[ok].min(), y[ok].max())
