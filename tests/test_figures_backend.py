"""Figures never touch the user's matplotlib state: drawing the porkchop and the sweep figures
leaves the backend as it was (a notebook keeps its inline backend), never imports
``matplotlib.pyplot``, and writes PNGs that decode to a real picture.

Runs in a subprocess so that the check sees a fresh interpreter: the backend is set to ``svg``
there (not Agg, so a ``matplotlib.use("Agg")`` would show) and nothing has imported pyplot yet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow  # one subprocess: imports, a porkchop and two small sweeps (~8 s)

SCRIPT = r"""
import json, sys
from pathlib import Path

import matplotlib

out = Path(sys.argv[1])
before = matplotlib.get_backend()

import jointmission as jm
from jointmission.report.porkchop_plot import porkchop_figure, write_porkchop_figure
from jointmission.report.sweep_plots import write_sweep_report

ds = jm.porkchop("earth", "mars", ("2026-09-01", "2027-01-31"), ("2027-06-01", "2028-03-01"), step_days=8)
best = jm.best_transfer("earth", "mars", ("2026-09-01", "2027-01-31"), ("2027-06-01", "2028-03-01"), step_days=8)
fig = porkchop_figure(ds, [best])
files = {"porkchop.png": str(write_porkchop_figure(ds, out / "porkchop.png", [best]))}
for name in ("grid", "mc"):
    res = jm.run_sweep(out / f"{name}.yaml", out / name)
    files.update({f"{name}/{k}": str(v) for k, v in write_sweep_report(out / name).items()})
print(json.dumps({"before": before, "after": matplotlib.get_backend(),
                  "pyplot": "matplotlib.pyplot" in sys.modules, "figure": type(fig).__module__,
                  "files": files}))
"""

HEADER = """\
name: figure test {name}
vehicle:
  catalog: Joint Heavy CN
targets:
  - name: LEO
    orbit: {{altitude: 200 km}}
  - name: TLI
    c3: -2 km2/s2
"""

SWEEPS = {
    "grid": """
        sweep:
          grid:
            vehicle.boosters.count: [2, 4, 6]
            vehicle.stages[2].m_dry: {start: 22 t, stop: 30 t, num: 3}
          objectives: {"payload_t[LEO]": max, liftoff_mass_t: min}
          losses: nominal
        """,
    "mc": """
        sweep:
          monte_carlo:
            samples: 400
            seed: 3
            parameters:
              vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 5 s}
              vehicle.stages[1].m_dry: {distribution: triangular, low: 55 t, high: 70 t}
          losses: nominal
          loss_check: 0
        """,
}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("figures")
    for name, sweep in SWEEPS.items():
        (out / f"{name}.yaml").write_text(HEADER.format(name=name) + textwrap.dedent(sweep).lstrip("\n"),
                                          encoding="utf-8")
    env = {**os.environ, "MPLBACKEND": "svg"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(out)], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), out


def test_backend_untouched_and_no_pyplot(drawn):
    info, _ = drawn
    assert info["before"].lower() == "svg"
    assert info["after"] == info["before"], "a figure function switched the user's matplotlib backend"
    assert info["pyplot"] is False, "a figure function imported matplotlib.pyplot"
    assert info["figure"] == "matplotlib.figure"


def test_every_figure_is_written_and_decodes(drawn):
    import matplotlib.image as mpimg

    info, _ = drawn
    pngs = sorted(k for k in info["files"] if k.endswith(".png"))
    # the porkchop; per target of the grid: tornado + grid line plot, plus its Pareto front; per target
    # of the Monte Carlo: tornado + histogram
    assert "porkchop.png" in pngs and "grid/pareto.png" in pngs
    assert any(k.startswith("grid/grid_") for k in pngs) and any(k.startswith("mc/hist_") for k in pngs)
    assert any(k.startswith("mc/tornado_") for k in pngs)
    for k in pngs:
        img = mpimg.imread(info["files"][k])
        assert img.ndim == 3 and img.shape[0] >= 250 and img.shape[1] >= 400, (k, img.shape)
        assert float(np.std(img[..., :3])) > 0.02, f"{k} is (nearly) blank"
    for name in ("grid", "mc"):
        report = Path(info["files"][f"{name}/report.md"]).read_text(encoding="utf-8")
        assert all(f"({Path(k).name})" in report for k in pngs if k.startswith(f"{name}/"))
