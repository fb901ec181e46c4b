"""Prints the tables of docs/results/emlp.md from the runs.json files written by `noether experiment`.

    python3 docs/results/emlp-table.py             # the session-5 sweep (emlp-sweep2/: emlp at --lr 1e-3 and 3e-3)
    python3 docs/results/emlp-table.py emlp-sweep  # the first sweep (every model at the default 3e-3)
    python3 docs/results/emlp-table.py emlp-sweep3 # lorentz-scattering with standardised momenta (5 seeds at n <= 300)
    python3 docs/results/emlp-table.py emlp-ensemble # the same with --ensemble 5 (every configuration)
"""
import json, pathlib, statistics, sys

here = pathlib.Path(__file__).parent
sweep = sys.argv[1] if len(sys.argv) > 1 else "emlp-sweep2"
sizes = [30, 100, 300, 1000, 3000]


def runs(folder):
    path = here / sweep / folder / "runs.json"
    return json.loads(path.read_text()) if path.exists() else []


def lr(run):
    return run.get("options", {}).get("lr", "3e-3")


def label(model, strategy, rate):
    return f"{model} + {strategy}" + ("" if sweep == "emlp-sweep" else f" (lr {rate})") + (" × 5" if sweep == "emlp-ensemble" else "")


configurations = ([("emlp", "none", "3e-3")] if sweep == "emlp-sweep" else [("emlp", "none", "1e-3"), ("emlp", "none", "3e-3")]) + \
                 [("mlp", "none", "3e-3"), ("mlp", "augment", "3e-3")]
print("| task | configuration | " + " | ".join(f"n = {n}" for n in sizes) + " | equivariance error (mean) |")
print("|---|---|" + "---|" * len(sizes) + "---|")
for task in ["o5-invariant", "o3-inertia", "lorentz-scattering"]:
    all_runs = [r for r in runs(task) if r["epochs"] == 300 and r["seed"] == 0]
    best = {}
    for model, strategy, rate in configurations:
        rows = {r["train_size"]: r for r in all_runs if r["model"] == model and r["strategy"] == strategy and lr(r) == rate}
        best[(model, strategy, rate)] = rows
        if not rows:
            continue
        cells = [f"{rows[n]['test']:.3g}" if n in rows else "" for n in sizes]
        error = sum(r["equivariance_error"] for r in rows.values()) / max(1, len(rows))
        print(f"| {task} | {label(model, strategy, rate)} | " + " | ".join(cells) + f" | {error:.1e} |")
    m, a = (best[k].get(1000) for k in [("mlp", "none", "3e-3"), ("mlp", "augment", "3e-3")])
    for rate in [c[2] for c in configurations if c[0] == "emlp"]:
        e = best[("emlp", "none", rate)].get(1000)
        if e and m and a:
            print(f"|  | at n = 1000, emlp{'' if sweep == 'emlp-sweep' else f' (lr {rate})'}: mlp / emlp = {m['test'] / e['test']:.0f}×, mlp + augment / emlp = {a['test'] / e['test']:.1f}× |" + " |" * len(sizes))

for folder in ["o3-inertia-seeds", "lorentz-scattering-seeds"]:
    seeded = runs(folder)
    if not seeded:
        continue
    print()
    seeds = sorted({r["seed"] for r in seeded})
    print(f"| {folder.removesuffix('-seeds')}, {len(seeds)} seeds | n = 30 (seeds {', '.join(map(str, seeds))} → mean; median) | n = 100 | n = 300 |")
    print("|---|---|---|---|")
    for model, strategy, rate in [("emlp", "none", "1e-3"), ("emlp", "none", "3e-3"), ("mlp", "augment", "3e-3"), ("mlp", "augment", "1e-3"), ("mlp", "none", "3e-3")]:
        cells = []
        for n in [30, 100, 300]:
            tests = [r["test"] for r in sorted(seeded, key=lambda r: r["seed"])
                     if r["model"] == model and r["strategy"] == strategy and lr(r) == rate and r["train_size"] == n]
            cells.append(", ".join(f"{t:.3g}" for t in tests) + (f" → **{statistics.mean(tests):.3g}**" if tests else "")
                         + (f"; {statistics.median(tests):.3g}" if len(tests) > 3 else ""))
        if any(cells):
            print(f"| {label(model, strategy, rate)} | " + " | ".join(cells) + " |")

modified = runs("modified-inertia")
if modified:
    print()
    print("| modified-inertia, n = 1000 | test MSE | equivariance error |")
    print("|---|---:|---:|")
    for r in sorted(modified, key=lambda r: r["test"]):
        print(f"| {r['model']} (lr {lr(r)}) | {r['test']:.4f} | {r['equivariance_error']:.1e} |")
