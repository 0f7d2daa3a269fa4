#!/usr/bin/python3
"""The deaths-per-week chart of bench/chartbench, made with matplotlib on the same data.

Usage: /usr/bin/python3 bench/chart_mpl.py OUTDIR [RUNS]

Reads OUTDIR/chart_weekly.csv (the weekly sums the Go benchmark charts) and
OUTDIR/chart_incidents.csv (the 1M incidents), and prints the median wall time of:
  plot+png   the chart from the weekly sums to a 1920x1080 PNG (what the Go benchmark's
             build+png does from its pre-aggregated source)
  agg        reading the 1M incidents and summing them per ISO week with numpy
Writes OUTDIR/chart_mpl.png.
"""
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

MONDAY0 = 4  # day number of Monday 5 January 1970


def weekly(outdir):
    w = np.loadtxt(f"{outdir}/chart_weekly.csv", delimiter=",", skiprows=1, dtype=np.int64)
    return w[:, 0], w[:, 1], w[:, 2]


def aggregate(outdir):
    a = np.loadtxt(f"{outdir}/chart_incidents.csv", delimiter=",", skiprows=1, dtype=np.int64)
    day, lo, hi = a[:, 0], a[:, 2], a[:, 3]
    low = np.where(lo >= 0, lo, 0)
    high = np.where(hi >= 0, hi, low)
    week = (day - MONDAY0) // 7
    w0 = week.min()
    idx = week - w0
    kmin = np.bincount(idx, weights=low)
    kmax = np.bincount(idx, weights=high)
    start = (np.arange(len(kmin)) + w0) * 7 + MONDAY0
    return start, kmin, kmax


def draw(start, kmin, kmax, path):
    dates = start.astype("datetime64[D]")
    fig = plt.figure(figsize=(13.333, 7.5), dpi=144)
    ax = fig.add_axes([0.07, 0.2, 0.9, 0.68])
    ax.bar(dates, kmin, width=5.6, align="edge", color="#3B4B61", label="Deaths, lowest reported figure")
    ax.bar(dates, kmax - kmin, width=5.6, align="edge", bottom=kmin, color="#C4C9D0",
           label="Up to the highest reported figure")
    ax.set_ylabel("Deaths per week", fontsize=16)
    ax.set_xlabel("Week (ISO, starting Monday)", fontsize=16)
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="y", color="#E3E3E3")
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(labelsize=14)
    fig.suptitle("Deaths per week", x=0.02, ha="left", fontsize=24, fontweight="bold")
    ax.legend(loc="upper left", bbox_to_anchor=(0, 1.1), ncol=2, frameon=False, fontsize=14)
    fig.text(0.02, 0.04, "Selection: all records. Deaths shown as a range: the solid part is the "
             "lowest reported figure, the lighter part reaches the highest.", fontsize=11.5)
    fig.savefig(path, dpi=144)
    plt.close(fig)


def median_time(fn, runs):
    """Median wall and CPU (process) time of fn over runs."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main():
    outdir = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    start, kmin, kmax = weekly(outdir)
    draw(start, kmin, kmax, f"{outdir}/chart_mpl.png")  # warm up fonts and caches
    t_plot = median_time(lambda: draw(start, kmin, kmax, f"{outdir}/chart_mpl.png"), runs)
    t_agg = median_time(lambda: aggregate(outdir), max(1, runs // 2))
    s2, lo2, hi2 = aggregate(outdir)
    same = len(s2) == len(start) and np.array_equal(lo2, kmin) and np.array_equal(hi2, kmax)
    print(f"matplotlib {matplotlib.__version__}: {len(start)} weekly bars")
    print(f"plot+png  median {t_plot[0] * 1000:.0f} ms wall, {t_plot[1] * 1000:.0f} ms CPU over {runs} runs")
    print(f"agg       median {t_agg[0] * 1000:.0f} ms wall, {t_agg[1] * 1000:.0f} ms CPU (numpy loadtxt + bincount "
          f"of {len(kmin)} weeks; same sums as Go: {same})")


if __name__ == "__main__":
    main()
