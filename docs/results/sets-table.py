"""Prints the tables of docs/results/sets.md from the JSON lines in docs/results/sets/ (written by `noether train --json`):
the accuracy by test length across the digit-sum runs, and one row per other run across tasks.

    python3 docs/results/sets-table.py
"""
import json, pathlib
raw = pathlib.Path(__file__).parent / "sets"
def load(name):
    p = raw / f"{name}.json"
    return json.loads(p.read_text().strip().splitlines()[-1]) if p.exists() and p.stat().st_size else None
runs = {p.stem: load(p.stem) for p in sorted(raw.glob("*.json"))}
runs = {k: v for k, v in runs.items() if v and "test_by_length" in v}
print("| length | " + " | ".join(k for k in runs) + " |")
print("|---|" + "---|" * len(runs))
for length in [str(5 * i) for i in range(1, 21)]:
    print(f"| {length} | " + " | ".join(f"{v['test_by_length'][length]:.3f}" for v in runs.values()) + " |")
print("| 1–9 (test) | " + " | ".join(f"{v['test']:.4f}" for v in runs.values()) + " |")
print("| invariance error | " + " | ".join(f"{v['equivariance_error']:.1e}" for v in runs.values()) + " |")
print("| train seconds | " + " | ".join(f"{v['train_seconds']:.0f}" for v in runs.values()) + " |")
print()
print("| task | model | strategy | pooling | train size | epochs | metric | test | invariance error | params | train s |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for p in sorted(raw.glob("*.json")):
    r = load(p.stem)
    if not r or "test_by_length" in r: continue
    extra = f" (oracle {r['oracle_log_likelihood']:.3f})" if "oracle_log_likelihood" in r else ""
    print(f"| {r['task']} | {r['model']} | {r['strategy']} | {r.get('pooling', '')} | {r['train_size']} | {r['epochs']} | {r['metric']} | "
          f"{r['test']:.3f}{extra} | {r['equivariance_error']:.1e} | {r['params']} | {r['train_seconds']:.0f} |")
