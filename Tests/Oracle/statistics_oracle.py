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


class Interval:
    def __init__(self, low, high):
        self.low, self.high = low, high


def welch_ci95(after, before):
    """95% Welch interval for mean(after) - mean(before): the Welch-Satterthwaite
    degrees of freedom and scipy's Student t quantile. (scipy's own
    ttest_ind(...).confidence_interval needs scipy 1.11; Debian bookworm has 1.10.)
    As scipy gives: a point (the difference) when neither sample varies, NaN
    when a sample has a single value."""
    a, b = np.asarray(after, dtype=float), np.asarray(before, dtype=float)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = math.sqrt(va + vb)
        df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
        half = 0.0 if se == 0 else stats.t.ppf(0.975, df) * se
    diff = a.mean() - b.mean()
    return Interval(diff - half, diff + half)

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


METRICS = [("mean", "mean_mph"), ("median", "median_mph"), ("p85", "p85_mph"), ("compliance", "compliance_pct"), ("overThreshold", "over_threshold_pct")]
MPS = {"mph": 0.44704, "km/h": 1 / 3.6}


def check_report(path):
    """Recomputes the compare report (every site) from the raw fixture speeds."""
    global failed
    if not os.path.exists(path):
        print(f"statistics oracle: {path} is missing; run 'swift test' first", file=sys.stderr)
        failed += 1
        return
    doc = json.load(open(path))
    report, speeds = doc["report"], doc["speeds"]
    to_mph = lambda unit: MPS[unit] / MPS["mph"]
    changes = {}
    for site in report["sites"]:
        info = site["site"]
        sid, unit, limit, threshold = info["id"], info["unit"], info["limit"], info["enforcement_threshold"]
        k = to_mph(unit)
        # The collector counts speeds at 0.01 of the site's unit.
        sessions = {p: [np.round(np.array(speeds[s]) / 0.01) * 0.01 for s in site["periods"][p]["session_ids"]] for p in ("before", "after")}
        pooled = {p: np.concatenate(v) if v else np.array([]) for p, v in sessions.items()}
        for p in ("before", "after"):
            want = figures(pooled[p], limit, threshold)
            got = site[p]
            check(f"report/{sid}/{p}/count", got["count"], want["count"])
            for key in ("mean", "median", "p85", "sd"):
                field = {"mean": "mean_mph", "median": "median_mph", "p85": "p85_mph", "sd": "stddev_mph"}[key]
                check(f"report/{sid}/{p}/{field}", got[field], None if want[key] is None else want[key] * k)
                if unit == "km/h":
                    check(f"report/{sid}/{p}/{field}/kmh", got[field.replace("mph", "kmh")], want[key])
            check(f"report/{sid}/{p}/compliance_pct", got["compliance_pct"], want["compliance_pct"])
            check(f"report/{sid}/{p}/over_threshold_pct", got["over_threshold_pct"], want["over_threshold_pct"])
        for name, field in METRICS:
            scale = k if field.endswith("_mph") else 1
            ch = site["change"][field]
            if len(pooled["before"]) == 0 or len(pooled["after"]) == 0:
                check(f"report/{sid}/change/{field}", ch["estimate"], None)
                continue
            est = metric(name, pooled["after"], limit, threshold) - metric(name, pooled["before"], limit, threshold)
            check(f"report/{sid}/change/{field}", ch["estimate"], est * scale)
            changes.setdefault(field, {})[sid] = (est * scale, info["pilot"], info["scheme"] == "control")
            if name in ("mean", "compliance", "overThreshold"):
                f = {"mean": lambda a: a, "compliance": lambda a: 100.0 * (a <= limit), "overThreshold": lambda a: 100.0 * (a >= threshold)}[name]
                ci = welch_ci95(f(pooled["after"]), f(pooled["before"]))
                if math.isnan(ci.low):  # no variance in either period: no interval
                    check(f"report/{sid}/change/{field}/naive", ch["naive_ci95"], None)
                else:
                    check(f"report/{sid}/change/{field}/naive_low", (ch["naive_ci95"] or [None])[0], ci.low * scale)
                    check(f"report/{sid}/change/{field}/naive_high", (ch["naive_ci95"] or [None, None])[1], ci.high * scale)
            if len(sessions["before"]) > 1 and len(sessions["after"]) > 1:
                rng = SplitMix64(doc["seed"])
                diffs = []
                for _ in range(doc["replicates"]):
                    b = np.concatenate([sessions["before"][rng.index(len(sessions["before"]))] for _ in sessions["before"]])
                    a = np.concatenate([sessions["after"][rng.index(len(sessions["after"]))] for _ in sessions["after"]])
                    diffs.append(metric(name, a, limit, threshold) - metric(name, b, limit, threshold))
                lo, hi = np.percentile(diffs, [2.5, 97.5])
                check(f"report/{sid}/change/{field}/ci_low", (ch["ci95"] or [None])[0], lo * scale)
                check(f"report/{sid}/change/{field}/ci_high", (ch["ci95"] or [None, None])[1], hi * scale)
            else:
                check(f"report/{sid}/change/{field}/ci", ch["ci95"], None)
        if site["post_stratified"] is not None:
            check_post_stratified(site, sessions, doc, limit, threshold, k)

    for name, field in METRICS:
        pilot = [c for c, is_pilot, _ in changes[field].values() if is_pilot]
        control = [c for c, _, is_control in changes[field].values() if is_control]
        did = report["difference_in_differences"][field]
        check(f"report/did/{field}", did["estimate"], np.mean(pilot) - np.mean(control))
        rng = SplitMix64(doc["seed"])
        reps = []
        for _ in range(doc["replicates"]):
            p = [pilot[rng.index(len(pilot))] for _ in pilot]
            c = [control[rng.index(len(control))] for _ in control]
            reps.append(np.mean(p) - np.mean(c))
        lo, hi = np.percentile(reps, [2.5, 97.5])
        check(f"report/did/{field}/ci_low", did["ci95"][0], lo)
        check(f"report/did/{field}/ci_high", did["ci95"][1], hi)


def check_post_stratified(site, sessions, doc, limit, threshold, k):
    """Post-stratified after figures and their bootstrap intervals, from timestamps (the fixture is in UTC)."""
    def strata(sid):
        values = np.round(np.array(doc["speeds"][sid]) / 0.01) * 0.01
        out = {}
        for i, v in enumerate(values):
            t = (doc["starts"][sid] + i * doc["spacing_ns"]) // 10**9
            day, hour = t // 86400, (t % 86400) // 3600
            weekday = (day + 4) % 7  # 0 = Sunday
            s = hour + (24 if weekday in (0, 6) else 0)
            out.setdefault(s, []).append(v)
        return out
    ids = {p: site["periods"][p]["session_ids"] for p in ("before", "after")}
    per = {p: [strata(s) for s in ids[p]] for p in ids}

    def pooled(sessions_strata):
        out = {}
        for st in sessions_strata:
            for s, vs in st.items():
                out.setdefault(s, []).extend(vs)
        return out

    fns = {"mean_mph": lambda a: np.mean(a), "compliance_pct": lambda a: 100 * np.mean(np.array(a) <= limit),
           "over_threshold_pct": lambda a: 100 * np.mean(np.array(a) >= threshold)}

    def estimate(field, before, after):
        shared = [s for s in before if s in after]
        if not shared:  # a replicate with no stratum in common is left out, as in Swift
            return None
        w = np.array([len(before[s]) for s in shared], dtype=float)
        ps = float(np.dot(w / w.sum(), [fns[field](after[s]) for s in shared]))
        raw = fns[field](np.concatenate([before[s] for s in before]))
        return ps, ps - raw, w.sum() / sum(len(v) for v in before.values())

    sid = site["site"]["id"]
    for field in fns:
        got = site["post_stratified"][field]
        scale = k if field == "mean_mph" else 1
        after, change, coverage = estimate(field, pooled(per["before"]), pooled(per["after"]))
        check(f"report/{sid}/post_stratified/{field}/after", got["after"], after * scale)
        check(f"report/{sid}/post_stratified/{field}/change", got["change"], change * scale)
        check(f"report/{sid}/post_stratified/{field}/coverage", got["coverage"], coverage)
        if len(per["before"]) > 1 and len(per["after"]) > 1:
            rng = SplitMix64(doc["seed"])
            reps = []
            for _ in range(doc["replicates"]):
                b = [per["before"][rng.index(len(per["before"]))] for _ in per["before"]]
                a = [per["after"][rng.index(len(per["after"]))] for _ in per["after"]]
                e = estimate(field, pooled(b), pooled(a))
                if e is not None:
                    reps.append(e[1])
            lo, hi = np.percentile(reps, [2.5, 97.5])
            check(f"report/{sid}/post_stratified/{field}/ci_low", (got["ci95"] or [None])[0], lo * scale)
            check(f"report/{sid}/post_stratified/{field}/ci_high", (got["ci95"] or [None, None])[1], hi * scale)


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
        ci = welch_ci95(transform(case["after"]), transform(case["before"]))
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

    check_report(os.path.join(ROOT, ".build", "oracle", "report.json"))

    print(f"oracle: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
