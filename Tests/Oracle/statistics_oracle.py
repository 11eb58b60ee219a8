#!/usr/bin/env python3
"""Independent oracle for the collector's statistics.

Reads .build/oracle/statistics.json (written by the Swift test
"export figures for the numpy/scipy oracle" in SpeedStatisticsTests), recomputes
every figure with numpy and scipy from the inputs alone, and exits non-zero on
any mismatch. The bootstrap is reproduced draw for draw: SplitMix64 with the
same seed, indices by modulo, before sessions drawn before after sessions.
"""
import json
import math
import os
import sys

import numpy as np
from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PATH = os.path.join(ROOT, ".build", "oracle", "statistics.json")
TOL = 1e-7
passed = 0
failed = 0


def check(name, swift, expected, tol=TOL):
    global passed, failed
    if swift is None or expected is None:
        ok = swift is None and expected is None
    else:
        ok = math.isclose(float(swift), float(expected), rel_tol=0, abs_tol=tol)
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"MISMATCH {name}: swift={swift} oracle={expected}")


def figures(values, limit, threshold):
    a = np.array(values, dtype=float)
    if len(a) == 0:
        return dict(count=0, mean=None, median=None, p85=None, sd=None, compliance_pct=None, over_threshold_pct=None)
    return dict(
        count=len(a),
        mean=a.mean(),
        median=np.percentile(a, 50),
        p85=np.percentile(a, 85),
        sd=a.std(ddof=1) if len(a) > 1 else None,
        compliance_pct=100 * np.mean(a <= limit),
        over_threshold_pct=100 * np.mean(a >= threshold),
    )


def metric(name, values, limit, threshold):
    a = np.array(values, dtype=float)
    return {
        "mean": lambda: a.mean(),
        "median": lambda: np.percentile(a, 50),
        "p85": lambda: np.percentile(a, 85),
        "compliance": lambda: 100 * np.mean(a <= limit),
        "overThreshold": lambda: 100 * np.mean(a >= threshold),
    }[name]()


class SplitMix64:
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def index(self, n):
        return self.next() % n


def main():
    if not os.path.exists(PATH):
        print(f"statistics oracle: {PATH} is missing; run 'swift test' first", file=sys.stderr)
        return 1
    doc = json.load(open(PATH))

    for case in doc["figures"]:
        want = figures(case["values"], case["limit"], case["threshold"])
        for key, value in want.items():
            check(f"figures/{case['name']}/{key}", case["swift"][key], value)

    for case in doc["welch"]:
        lim, thr = case["limit"], case["threshold"]
        def transform(xs):
            a = np.array(xs)
            if case["metric"] == "mean":
                return a
            if case["metric"] == "compliance":
                return 100.0 * (a <= lim)
            return 100.0 * (a >= thr)
        ci = stats.ttest_ind(transform(case["after"]), transform(case["before"]), equal_var=False).confidence_interval(0.95)
        check(f"welch/{case['metric']}/low", case["swift"][0], ci.low)
        check(f"welch/{case['metric']}/high", case["swift"][1], ci.high)

    for case in doc["bootstrap"]:
        rng = SplitMix64(case["seed"])
        before, after = case["before"], case["after"]
        diffs = []
        for _ in range(case["replicates"]):
            pb = [x for _ in before for x in before[rng.index(len(before))]]
            pa = [x for _ in after for x in after[rng.index(len(after))]]
            diffs.append(metric(case["metric"], pa, case["limit"], case["threshold"]) - metric(case["metric"], pb, case["limit"], case["threshold"]))
        lo, hi = np.percentile(diffs, [2.5, 97.5])
        check(f"bootstrap/{case['metric']}/low", case["swift"][0], lo)
        check(f"bootstrap/{case['metric']}/high", case["swift"][1], hi)

    d = doc["did"]
    pilot, control = d["pilot"], d["control"]
    check("did/estimate", d["swift"]["estimate"], np.mean(pilot) - np.mean(control))
    rng = SplitMix64(d["seed"])
    reps = []
    for _ in range(d["replicates"]):
        p = [pilot[rng.index(len(pilot))] for _ in pilot]
        c = [control[rng.index(len(control))] for _ in control]
        reps.append(np.mean(p) - np.mean(c))
    lo, hi = np.percentile(reps, [2.5, 97.5])
    check("did/low", d["swift"]["ci95"][0], lo)
    check("did/high", d["swift"]["ci95"][1], hi)

    ps = doc["post_stratification"]
    bc = {int(k): v for k, v in ps["before_counts"].items()}
    av = {int(k): v for k, v in ps["after_values"].items()}
    shared = [s for s in bc if s in av]
    w = np.array([bc[s] for s in shared], dtype=float)
    check("post_stratification/estimate", ps["swift"]["estimate"], float(np.dot(w / w.sum(), [av[s] for s in shared])))
    check("post_stratification/coverage", ps["swift"]["coverage"], w.sum() / sum(bc.values()))

    g = doc["grouped"]
    bins = g["bins"]
    n = sum(b[2] for b in bins)
    def grouped_percentile(p):
        target, below = p * n, 0.0
        for lower, upper, f in bins:
            if f > 0 and below + f >= target:
                return lower + (upper - lower) * (target - below) / f
            below += f
    for p, key in [(0.5, "p50"), (0.85, "p85"), (0.1, "p10")]:
        check(f"grouped/{key}", g["swift"][key], grouped_percentile(p))
    mids = np.array([(b[0] + b[1]) / 2 for b in bins])
    counts = np.array([b[2] for b in bins])
    check("grouped/mean", g["swift"]["mean"], float(np.dot(mids, counts) / n))
    # Share at or under v with each bin's vehicles spread evenly: the ogive, by interpolation.
    edges = [bins[0][0]] + [b[1] for b in bins]
    cum = np.concatenate([[0], np.cumsum(counts)])
    for v, key in [(20, "pct_le_20"), (22, "pct_le_22")]:
        check(f"grouped/{key}", g["swift"][key], 100 * np.interp(v, edges, cum) / n)

    for df, q in doc["t_quantile_975"]:
        check(f"t_ppf/{df}", q, stats.t.ppf(0.975, df), 1e-8)

    print(f"statistics oracle: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
