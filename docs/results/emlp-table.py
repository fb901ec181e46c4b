"""Prints the tables of docs/results/emlp.md that the CLI's per-folder report.md does not: tables across the runs.json
files of several `noether experiment` folders, per seed with mean and median, for the single models
(emlp/data-efficiency/), the ensembles (emlp/ensembles/) and modified-inertia (emlp/modified-inertia/).

    python3 docs/results/emlp-table.py
"""
import json, pathlib, statistics

here = pathlib.Path(__file__).parent / "emlp"
sizes = [30, 100, 300, 1000, 3000]
tasks = ["o5-invariant", "o3-inertia", "lorentz-scattering"]


def runs(folder):
    path = here / folder / "runs.json"
    return json.loads(path.read_text()) if path.exists() else []


def lr(run):
    return run.get("options", {}).get("lr", "3e-3")


def label(model, strategy, rate, ensemble):
    return f"{model} + {strategy} (lr {rate})" + (" × 5" if ensemble else "")


def sweep_table(folder, ensemble):
    """One seed (0) at every size: test MSE per configuration, and the ratios at n = 1000."""
    configurations = [("emlp", "none", "1e-3"), ("emlp", "none", "3e-3"), ("mlp", "none", "3e-3"), ("mlp", "augment", "3e-3")]
    print("| task | configuration | " + " | ".join(f"n = {n}" for n in sizes) + " | equivariance error (mean) |")
    print("|---|---|" + "---|" * len(sizes) + "---|")
    for task in tasks:
        all_runs = [r for r in runs(f"{folder}/{task}") if r["epochs"] == 300 and r["seed"] == 0]
        best = {}
        for model, strategy, rate in configurations:
            rows = {r["train_size"]: r for r in all_runs if r["model"] == model and r["strategy"] == strategy and lr(r) == rate}
            best[(model, strategy, rate)] = rows
            if not rows:
                continue
            cells = [f"{rows[n]['test']:.3g}" if n in rows else "" for n in sizes]
            error = sum(r["equivariance_error"] for r in rows.values()) / len(rows)
            print(f"| {task} | {label(model, strategy, rate, ensemble)} | " + " | ".join(cells) + f" | {error:.1e} |")
        m, a = (best[k].get(1000) for k in [("mlp", "none", "3e-3"), ("mlp", "augment", "3e-3")])
        for rate in ["1e-3", "3e-3"]:
            e = best[("emlp", "none", rate)].get(1000)
            if e and m and a:
                print(f"|  | at n = 1000, emlp (lr {rate}): mlp / emlp = {m['test'] / e['test']:.0f}×, "
                      f"mlp + augment / emlp = {a['test'] / e['test']:.1f}× |" + " |" * len(sizes))


def seeds_table(folder, ensemble):
    """Several seeds at n = 30, 100, 300: each seed's test MSE, their mean and (from four seeds on) median."""
    seeded = runs(folder)
    if not seeded:
        return
    print()
    seeds = sorted({r["seed"] for r in seeded})
    task = pathlib.Path(folder).name.removesuffix("-seeds")
    print(f"| {task}, {len(seeds)} seeds | n = 30 (seeds {', '.join(map(str, seeds))} → mean"
          + ("; median" if len(seeds) > 3 else "") + ") | n = 100 | n = 300 |")
    print("|---|---|---|---|")
    for model, strategy, rate in [("emlp", "none", "1e-3"), ("emlp", "none", "3e-3"), ("mlp", "augment", "3e-3"), ("mlp", "augment", "1e-3"), ("mlp", "none", "3e-3")]:
        cells = []
        for n in [30, 100, 300]:
            tests = [r["test"] for r in sorted(seeded, key=lambda r: r["seed"])
                     if r["model"] == model and r["strategy"] == strategy and lr(r) == rate and r["train_size"] == n]
            cells.append(", ".join(f"{t:.3g}" for t in tests) + (f" → **{statistics.mean(tests):.3g}**" if tests else "")
                         + (f"; {statistics.median(tests):.3g}" if len(tests) > 3 else ""))
        if any(cells):
            print(f"| {label(model, strategy, rate, ensemble)} | " + " | ".join(cells) + " |")


print("Single models (emlp/data-efficiency/):\n")
sweep_table("data-efficiency", ensemble=False)
seeds_table("data-efficiency/o3-inertia-seeds", ensemble=False)
seeds_table("data-efficiency/lorentz-scattering-seeds", ensemble=False)

print("\nEnsembles of five (emlp/ensembles/):\n")
sweep_table("ensembles", ensemble=True)
seeds_table("ensembles/o3-inertia-seeds", ensemble=True)
seeds_table("ensembles/lorentz-scattering-seeds", ensemble=True)

modified = runs("modified-inertia")
if modified:
    print("\nmodified-inertia (emlp/modified-inertia/):\n")
    print("| modified-inertia, n = 1000 | test MSE | equivariance error |")
    print("|---|---:|---:|")
    for r in sorted(modified, key=lambda r: r["test"]):
        print(f"| {r['model']} (lr {lr(r)}) | {r['test']:.4f} | {r['equivariance_error']:.1e} |")
