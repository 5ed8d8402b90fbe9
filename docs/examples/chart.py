# A chart from a data file: ./sandq exec --file docs/examples/sales.csv --out out/ docs/examples/chart.py
import csv
import os

import matplotlib.pyplot as plt

with open("sales.csv") as f:
    rows = list(csv.DictReader(f))
fig, ax = plt.subplots(figsize=(5, 3))
ax.bar([r["month"] for r in rows], [float(r["sales"]) for r in rows])
ax.set_title("Sales")
fig.savefig(os.path.join(os.environ["SANDQ_OUTPUT_DIR"], "sales.png"))
print("drew", len(rows), "months")
