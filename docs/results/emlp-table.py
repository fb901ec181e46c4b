"""Prints the data-efficiency table of docs/results/emlp.md from the runs.json files in docs/results/emlp-sweep/ (written by `noether experiment`)."""
import json, pathlib
root = pathlib.Path(__file__).parent / "emlp-sweep"
sizes = [30, 100, 300, 1000, 3000]
print("| task | configuration | " + " | ".join(f"n = {n}" for n in sizes) + " | equivariance error (mean) |")
print("|---|---|" + "---|" * len(sizes) + "---|")
for task in ["o5-invariant", "o3-inertia", "lorentz-scattering"]:
    runs = json.loads((root / task / "runs.json").read_text())
    for model, strategy in [("emlp", "none"), ("mlp", "none"), ("mlp", "augment")]:
        rows = {r["train_size"]: r for r in runs if r["model"] == model and r["strategy"] == strategy and r["epochs"] == 300}
        cells = [f"{rows[n]['test']:.3g}" if n in rows else "" for n in sizes]
        error = sum(r["equivariance_error"] for r in rows.values()) / max(1, len(rows))
        print(f"| {task} | {model} + {strategy} | " + " | ".join(cells) + f" | {error:.1e} |")
    if all(n in {r['train_size'] for r in runs} for n in [1000]):
        e = next(r for r in runs if r["model"] == "emlp" and r["train_size"] == 1000)["test"]
        m = next(r for r in runs if r["model"] == "mlp" and r["strategy"] == "none" and r["train_size"] == 1000)["test"]
        a = next(r for r in runs if r["model"] == "mlp" and r["strategy"] == "augment" and r["train_size"] == 1000)["test"]
        print(f"|  | at n = 1000: mlp / emlp = {m / e:.0f}×, mlp + augment / emlp = {a / e:.1f}× |" + " |" * len(sizes))
