"""Draws docs/bte_flux_ratio.svg: q/q_Fourier of the gray slab between black walls against Kn,
from psw's discrete-ordinates solver (S64), the exact solution (Heaslet & Warming's integral
equation, solved here by a Nyström method as in tests/thermal/phonon_bte_test.cpp) and the
1/(1 + 4Kn/3) interpolation.

    PYTHONPATH=build/release/python /usr/bin/python3 docs/bte_flux_ratio.py
"""

import pathlib

import matplotlib
import numpy as np
from scipy.special import expn

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import psw  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def e(n, x):
    """E_n(x) with the x = 0 limits 1/(n − 1)."""
    x = np.asarray(x, float)
    out = np.full(x.shape, 1.0 / (n - 1))
    out[x > 0] = expn(n, x[x > 0])
    return out


def exact(kn, m=800):
    """θ = ½E₂(τ) + ½∫θE₁(|τ − t|)dt, θ piecewise linear on nodes graded towards the walls."""
    tl = 1.0 / kn
    t = tl * (1 - np.cos(np.pi * np.arange(m + 1) / m)) / 2
    h = np.diff(t)
    a_mat = np.eye(m + 1)
    for i in range(m + 1):
        right = t[:-1] >= t[i]
        a = np.where(right, t[:-1] - t[i], t[i] - t[1:])
        b = a + h
        whole = e(2, a) - e(2, b)
        moment = a * e(2, a) + e(3, a) - b * e(2, b) - e(3, b)
        ramp = np.where(right, moment - a * whole, b * whole - moment)
        a_mat[i, :-1] -= 0.5 * (whole - ramp / h)
        a_mat[i, 1:] -= 0.5 * ramp / h
    theta = np.linalg.solve(a_mat, 0.5 * e(2, t))
    a, b = t[:-1], t[1:]
    whole = e(3, a) - e(3, b)
    ramp = a * e(3, a) + e(4, a) - b * e(3, b) - e(4, b) - a * whole
    psi = 1 - 2 * np.sum(theta[:-1] * (whole - ramp / h) + theta[1:] * ramp / h)
    return 3 * psi / (4 * kn)


def bte(kn):
    case = {"bte": {"slab": {"thickness_nm": 100, "cells": max(400, int(4 / kn))},
                    "phonons": {"mean_free_path_nm": 100 * kn, "group_velocity_m_per_s": 5000,
                                "heat_capacity_J_per_m3K": 1.6e6},
                    "walls": {"hot_K": 301, "cold_K": 300}, "ordinates": 64}}
    return psw.thermal.run_bte(case).flux_ratio


kn_line = np.logspace(-2, 2, 200)
kn_points = np.logspace(-2, 2, 9)
exact_points = np.array([exact(k) for k in kn_points])
bte_points = np.array([bte(k) for k in kn_points])

plt.rcParams["svg.fonttype"] = "none"
fig, (ax, ax_err) = plt.subplots(2, 1, figsize=(7.0, 6.0), sharex=True,
                                 gridspec_kw={"height_ratios": [3, 2]})
ax.loglog(kn_line, 1 / (1 + 4 * kn_line / 3), color="grey", label="1/(1 + 4Kn/3)")
ax.loglog(kn_points, exact_points, "o", mfc="none", color="black",
          label="exact (Heaslet & Warming, Nyström)")
ax.loglog(kn_points, bte_points, "x", color="C0", label="psw BTE, S64")
ax.set_ylabel("q / q_Fourier")
ax.legend()
ax_err.semilogx(kn_points, 100 * ((1 / (1 + 4 * kn_points / 3)) / exact_points - 1), "s-",
                color="grey", label="interpolation − exact")
ax_err.semilogx(kn_points, 100 * (bte_points / exact_points - 1), "x-", color="C0",
                label="psw BTE − exact")
ax_err.set_xlabel("Kn = Λ / L")
ax_err.set_ylabel("relative error, %")
ax_err.legend()
fig.tight_layout()
fig.savefig(HERE / "bte_flux_ratio.svg")
for k, x, b in zip(kn_points, exact_points, bte_points):
    print(f"Kn {k:8.3g}  exact {x:.6f}  bte {b:.6f}  ({100 * (b / x - 1):+.4f} %)")
