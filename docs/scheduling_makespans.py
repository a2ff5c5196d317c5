"""Draws docs/scheduling_makespans.svg: makespan distributions per policy on the default
scenario (2000 lots of 100 joints), each normalised by its lot's plan.

    PYTHONPATH=build/release/python /usr/bin/python3 docs/scheduling_makespans.py
"""

import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from psw import scheduling as sch  # noqa: E402

LOTS = 2000
HERE = pathlib.Path(__file__).resolve().parent

summaries = sch.schedule(lots=LOTS, threads=2)
plt.rcParams["svg.fonttype"] = "none"
fig, ax = plt.subplots(figsize=(7.5, 4.0))
bins = [0.85 + 0.005 * i for i in range(71)]
for s in summaries:
    # makespan / plan (deadline = 1.1 × plan), completed lots only
    ratios = [m * 1.1 / d for m, d, a in zip(s.makespans_s, s.deadlines_s, s.aborted_lots)
              if not a]
    label = (f"{s.policy}: {100 * s.over_target_fraction:.2f} % over plan + 10 %"
             + (f", {s.aborted} aborted" if s.aborted else ""))
    ax.hist(ratios, bins=bins, histtype="step", linewidth=1.4, label=label)
ax.axvline(1.0, color="grey", linestyle=":", linewidth=1)
ax.axvline(1.1, color="black", linestyle="--", linewidth=1)
ax.text(1.102, ax.get_ylim()[1] * 0.45, "plan + 10 %", fontsize=8)
ax.set_xlabel("makespan / plan (completed lots)")
ax.set_ylabel(f"lots (of {LOTS})")
ax.set_title("Default scenario: 100-joint lots, sintering median 60 s, P99 240 s")
ax.legend(fontsize=7.5, loc="upper right", framealpha=0.9)
fig.tight_layout()
fig.savefig(HERE / "scheduling_makespans.svg", metadata={"Date": None})
