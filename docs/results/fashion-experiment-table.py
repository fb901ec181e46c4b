"""Prints the runs of the issue-8 acceptance experiment (docs/results/fashion-experiment/runs.json) as a table:
test accuracy per model + strategy and training size, one cell per seed (finished runs only)."""
import json, pathlib

runs = json.loads((pathlib.Path(__file__).parent / "fashion-experiment" / "runs.json").read_text())
sizes, seeds = [250, 1000, 4000], [0, 1]
print("| model + strategy | " + " | ".join(f"n = {n} (seeds 0, 1)" for n in sizes) + " |")
print("|---|" + "---|" * len(sizes))
for model in ["cnn", "p4cnn", "c8"]:
    for strategy in ["none", "augment"]:
        cells = []
        for n in sizes:
            found = {r["seed"]: r for r in runs if r["model"] == model and r["strategy"] == strategy and r["train_size"] == n}
            cells.append(", ".join(f"{found[s]['test']:.3f}" if s in found else "—" for s in seeds))
        print(f"| {model} + {strategy} | " + " | ".join(cells) + " |")
print(f"\n{len(runs)} of 36 runs finished.")
