"""The map benchmark's matplotlib side (bench/map.sh): the same 100k incidents over the same
country outlines (Sitrep's embedded 1:110m layer, written by bench/mapgen), as a plain
matplotlib scatter on longitude and latitude, coloured by theatre and sized by deaths,
saved as a 1920x1080 PNG.

Usage: python3 bench/map_mpl.py INCIDENTS.csv OUTLINES.json OUT.png
"""
import csv
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]


def main(inc_path, outlines_path, out_path):
    lons, lats, sizes, theatres = [], [], [], []
    with open(inc_path, newline="") as f:
        for row in csv.DictReader(f):
            lons.append(float(row["longitude"]))
            lats.append(float(row["latitude"]))
            sizes.append(2 + 6 * int(row["killed_min"]))
            theatres.append(row["theatre"])
    counts = {}
    for t in theatres:
        counts[t] = counts.get(t, 0) + 1
    top = sorted(counts, key=lambda t: -counts[t])[:7]
    colour = {t: PALETTE[i] for i, t in enumerate(top)}
    colours = [colour.get(t, "#999999") for t in theatres]
    with open(outlines_path) as f:
        rings = json.load(f)

    fig = plt.figure(figsize=(1920 / 144, 1080 / 144), dpi=144)
    ax = fig.add_axes([0.02, 0.12, 0.96, 0.78])
    ax.set_facecolor("#E4EEF6")
    ax.add_collection(PolyCollection(rings, facecolors="#F6F4EF", edgecolors="#B9B4A8", linewidths=0.5))
    ax.scatter(lons, lats, s=sizes, c=colours, alpha=0.7, linewidths=0)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-58, 84)
    ax.grid(True, color="#CFDDE9", linewidth=0.6)
    fig.suptitle("Where the incidents happened, by theatre", x=0.02, ha="left", fontsize=24, fontweight="bold")
    fig.text(0.02, 0.04, "Selection: all records. %d incidents. A dot is an incident with coordinates." % len(lons), fontsize=11)
    fig.savefig(out_path, dpi=144)


if __name__ == "__main__":
    main(*sys.argv[1:4])
