#!/usr/bin/python3
"""Side-by-side benchmark of coopchain against graph-tool and igraph.

Generates realistic supply networks with bench/gen (kernel.GenerateSupply:
heavy-tailed degrees, six layered stages, cycles), runs every tool on the
same CSV folders under /usr/bin/time -v and prints ONE markdown table with
the figures and targets of issue #19, medians of the runs:

  small (10,000 nodes / 50,000 links), REPEAT runs, interleaved
    - exact betweenness inside each process (after loading): coopchain on
      every core and on one (GOMAXPROCS=1), graph-tool (OpenMP, every
      core), igraph (one core);
    - the whole process, wall and CPU time and peak RSS: read the CSV
      folder, PageRank, supplier rank (PageRank on the reversed graph),
      exact betweenness, write the per-node values as JSON:
      `coopchain network --betweenness exact --format json --out FILE`
      vs bench/graphtool_analyze.py and bench/igraph_analyze.py.
  large (--large; 1,000,000 nodes / 10,000,000 links), LARGE_REPEAT runs
    - `coopchain network --in DIR --format json --out FILE` (load, PageRank,
      supplier rank, stages, approximate betweenness ε 0.01 δ 0.1, JSON):
      wall time and peak RSS;
    - CSV parsing speed: size of participants.csv + links.csv / load time;
    - binary snapshot (when the binary has `network --save-snapshot`):
      save once, then the load time of `network --snapshot FILE`;
    - load + PageRank + supplier rank against graph-tool (--igraph-large:
      igraph too).

Ratios are coopchain / graph-tool (below 1: coopchain is faster). The
agreement of the values (max absolute difference) follows the table.

Run with Debian's interpreter (python3-graph-tool, python3-igraph):
    /usr/bin/python3 bench/compare.py [--repeat 3] [--large]
or bench/compare.sh, which installs them if missing.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


class Run:
    """One process under /usr/bin/time -v."""

    def __init__(self, cmd, env=None):
        p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=dict(os.environ, **env) if env else None)
        if p.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr[-3000:]))
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr)
        parts = [float(x) for x in m.group(1).split(":")]
        self.wall = sum(x * 60 ** i for i, x in enumerate(reversed(parts)))
        user = float(re.search(r"User time \(seconds\): (\S+)", p.stderr).group(1))
        system = float(re.search(r"System time \(seconds\): (\S+)", p.stderr).group(1))
        self.cpu = user + system
        self.rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
        self.stdout = p.stdout
        self.stderr = p.stderr

    def last_json(self):
        return json.loads(self.stdout.strip().splitlines()[-1])


def ours(binary, args, out, env=None):
    r = Run([binary, "network", "--format", "json", "--quiet", "--out", out] + args, env=env)
    with open(out) as f:
        r.doc = json.load(f)
    r.seconds = r.doc["summary"]["seconds"]
    return r


# graph-tool's OpenMP threads spin while they wait by default; on a shared
# machine that costs it up to 100× on PageRank (a thread spins while the one
# it waits for is descheduled), so its threads sleep instead.
PEER_ENV = {"OMP_WAIT_POLICY": "passive"}


def peer(script, d, args):
    r = Run([PY, os.path.join(HERE, script), d] + args, env=PEER_ENV)
    r.seconds = r.last_json()["seconds"]
    return r


def maxdiff(a_path, b_doc, key):
    with open(a_path) as f:
        a = json.load(f)["participants"]
    b = {p["id"]: p[key] for p in b_doc["participants"]}
    return max(abs(p[key] - b[p["id"]]) for p in a)


def med(xs):
    return statistics.median(xs) if xs else None


class Table:
    def __init__(self):
        self.rows = []

    def add(self, what, ours, gt=None, ig=None, target="", met=None, unit="s", fmt="%.3f"):
        def cell(xs):
            if xs is None:
                return "n/a"
            if isinstance(xs, str):
                return xs
            return (fmt % med(xs)) + ("" if unit == "" else " " + unit)
        ratio = "n/a"
        if isinstance(ours, list) and isinstance(gt, list) and med(gt):
            ratio = "%.2f" % (med(ours) / med(gt))
        ok = "" if met is None else ("yes" if met else "**no**")
        self.rows.append("| %s | %s | %s | %s | %s | %s | %s |" % (what, cell(ours), cell(gt), cell(ig), ratio, target, ok))

    def print(self):
        print("| measure | coopchain | graph-tool | igraph | coopchain / graph-tool | target | met |")
        print("|---|---|---|---|---|---|---|")
        for r in self.rows:
            print(r)


def small_runs(a, binary, d):
    out = os.path.join(a.work, "ours.json")
    gt_out, ig_out = os.path.join(a.work, "graphtool.json"), os.path.join(a.work, "igraph.json")
    res = {k: [] for k in ("ours", "ours1", "gt", "ig")}
    agree = {}
    for r in range(a.repeat):
        res["ours"].append(ours(binary, ["--in", d, "--betweenness", "exact"], out))
        res["ours1"].append(ours(binary, ["--in", d, "--betweenness", "exact"], out, env={"GOMAXPROCS": "1"}))
        res["gt"].append(peer("graphtool_analyze.py", d, ["--out", gt_out]))
        res["ig"].append(peer("igraph_analyze.py", d, ["--out", ig_out]))
        if r == 0:
            doc = res["ours"][0].doc
            for name, path in (("graph-tool", gt_out), ("igraph", ig_out)):
                agree[name] = {k: maxdiff(path, doc, k) for k in ("pagerank", "supplier_rank", "betweenness")}
        print("  small run %d/%d done" % (r + 1, a.repeat), file=sys.stderr)
    return res, agree


def small_rows(t, a, res):
    label = "%s/%s" % (human(a.small_n), human(a.small_m))

    def sec(k, step):
        return [r.seconds[step] for r in res[k]]
    t.add(label + " exact betweenness, in-process, every core (graph-tool: OpenMP, igraph: 1 core)",
          sec("ours", "betweenness"), sec("gt", "betweenness"), sec("ig", "betweenness"),
          "≤ 0.5 s", med(sec("ours", "betweenness")) <= 0.5)
    t.add(label + " exact betweenness, coopchain on 1 core (`GOMAXPROCS=1`)", sec("ours1", "betweenness"),
          sec("gt", "betweenness"), sec("ig", "betweenness"))
    for k in ("pagerank", "supplier_rank"):
        t.add(label + " %s, in-process" % k.replace("_", " "), [x * 1000 for x in sec("ours", k)],
              [x * 1000 for x in sec("gt", k)], [x * 1000 for x in sec("ig", k)], unit="ms", fmt="%.1f")
    wall = {k: [r.wall for r in res[k]] for k in res}
    t.add(label + " whole process, wall: read CSV, PageRank, supplier rank, exact betweenness, write JSON",
          wall["ours"], wall["gt"], wall["ig"], "≤ 0.2× graph-tool", med(wall["ours"]) <= 0.2 * med(wall["gt"]))
    t.add(label + " whole process, CPU time (user + system)", [r.cpu for r in res["ours"]],
          [r.cpu for r in res["gt"]], [r.cpu for r in res["ig"]])
    t.add(label + " whole process, peak RSS", [r.rss for r in res["ours"]], [r.rss for r in res["gt"]],
          [r.rss for r in res["ig"]], unit="MB", fmt="%.0f")


def has_snapshot(binary):
    p = subprocess.run([binary, "network", "-h"], capture_output=True, text=True)
    return "save-snapshot" in p.stdout + p.stderr


def large_rows(t, a, binary, gen):
    d = os.path.join(a.work, "net_%d_%d" % (a.large_n, a.large_m))
    if not os.path.exists(os.path.join(d, "links.csv")):
        t0 = time.time()
        sh([gen, "-n", str(a.large_n), "-m", str(a.large_m), "-seed", "1", "-out", d])
        print("  generated %s in %.0f s" % (d, time.time() - t0), file=sys.stderr)
    mb = sum(os.path.getsize(os.path.join(d, f)) for f in ("participants.csv", "links.csv")) / 1e6
    out = os.path.join(a.work, "ours_large.json")
    runs, gts, igs = [], [], []
    snap = os.path.join(a.work, "large.snap")
    snapshot = has_snapshot(binary)
    saves, reloads = [], []
    for r in range(a.large_repeat):
        runs.append(ours(binary, ["--in", d, "--eps", "0.01", "--delta", "0.1"], out))
        if snapshot:
            saves.append(Run([binary, "network", "--in", d, "--save-snapshot", snap, "--save-only", "--quiet"]).wall)
            rr = ours(binary, ["--snapshot", snap, "--betweenness", "none"], os.path.join(a.work, "ours_snap.json"))
            reloads.append(rr.seconds["load"])
        gts.append(peer("graphtool_analyze.py", d, ["--skip-betweenness"]))
        if a.igraph_large:
            igs.append(peer("igraph_analyze.py", d, ["--skip-betweenness"]))
        print("  large run %d/%d done" % (r + 1, a.large_repeat), file=sys.stderr)
    label = "%s/%s" % (human(a.large_n), human(a.large_m))
    t.add("%s `coopchain network` wall (load, PageRank, supplier rank, stages, approximate betweenness, JSON)" % label,
          [r.wall for r in runs], target="≤ 10 s", met=med([r.wall for r in runs]) <= 10)
    t.add("%s `coopchain network` peak RSS" % label, [r.rss for r in runs], unit="MB", fmt="%.0f",
          target="≤ 1024 MB", met=med([r.rss for r in runs]) <= 1024)
    t.add("%s CSV parsing (%.0f MB: participants.csv + links.csv / load time)" % (label, mb),
          [mb / r.seconds["load"] for r in runs], [mb / g.seconds["load"] for g in gts],
          [mb / g.seconds["load"] for g in igs] if igs else None, unit="MB/s", fmt="%.0f",
          target="≥ 150 MB/s", met=med([mb / r.seconds["load"] for r in runs]) >= 150)
    if snapshot:
        t.add("%s snapshot: save (`network --save-snapshot F --save-only`, whole process)" % label, saves)
        t.add("%s snapshot: reload (`network --snapshot F`, load step)" % label, reloads, target="< 1 s",
              met=med(reloads) < 1)
    else:
        t.add("%s snapshot: reload (`network --snapshot F`)" % label, "n/a (no --save-snapshot in this build)",
              target="< 1 s")
    def lp(rs):
        return [r.seconds["load"] + r.seconds["pagerank"] + r.seconds["supplier_rank"] for r in rs]

    def lp_ours(rs):
        # coopchain finds the components once, then runs PageRank and
        # supplier rank at the same time: the wall time of that phase is
        # the longer of the two.
        return [r.seconds["load"] + r.seconds.get("components", 0) + max(r.seconds["pagerank"], r.seconds["supplier_rank"])
                for r in rs]
    t.add("%s load + PageRank + supplier rank, in-process wall (coopchain: load, components, then both at once)" % label,
          lp_ours(runs), lp(gts), lp(igs) if igs else None)
    for k in ("pagerank", "supplier_rank"):
        t.add("%s %s (coopchain: its own time while running beside the other)" % (label, k.replace("_", " ")),
              [r.seconds[k] for r in runs], [g.seconds[k] for g in gts], [g.seconds[k] for g in igs] if igs else None)
    t.add("%s approximate betweenness (ε 0.01, δ 0.1), in-process" % label, [r.seconds["betweenness"] for r in runs])
    return runs[0].doc["summary"]


def human(x):
    return "%gM" % (x / 1e6) if x >= 1e6 else "%gk" % (x / 1e3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--small-n", type=int, default=10_000)
    ap.add_argument("--small-m", type=int, default=50_000)
    ap.add_argument("--large", action="store_true", help="also the 1M/10M network")
    ap.add_argument("--large-repeat", type=int, default=1)
    ap.add_argument("--large-n", type=int, default=1_000_000)
    ap.add_argument("--large-m", type=int, default=10_000_000)
    ap.add_argument("--igraph-large", action="store_true", help="igraph on the large network too (about a minute)")
    ap.add_argument("--coopchain", help="use this coopchain binary instead of building one")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "coopchain-bench"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    binary, gen = os.path.join(a.work, "coopchain"), os.path.join(a.work, "gen")
    if a.coopchain:
        binary = a.coopchain
    else:
        sh(["go", "build", "-o", binary, "./cmd/coopchain"], cwd=ROOT)
    sh(["go", "build", "-o", gen, "./bench/gen"], cwd=ROOT)
    import graph_tool
    import igraph
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    gov = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()[0]
    t0 = time.time()
    small = os.path.join(a.work, "net_%d_%d" % (a.small_n, a.small_m))
    if not os.path.exists(os.path.join(small, "links.csv")):
        sh([gen, "-n", str(a.small_n), "-m", str(a.small_m), "-seed", "1", "-out", small])
    t = Table()
    res, agree = small_runs(a, binary, small)
    small_rows(t, a, res)
    summary = large_rows(t, a, binary, gen) if a.large else None
    print("\n%s; %d cores (%s), %.0f GB; %s; graph-tool %s, igraph %s; load average %.1f at the start, %.1f at the end; %.0f s" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(), cpu, mem, gov,
        graph_tool.__version__.split()[0], igraph.__version__, load, os.getloadavg()[0], time.time() - t0))
    print("medians of %d runs (small, interleaved)%s; times in seconds unless stated\n" % (
        a.repeat, ", %d run(s) large" % a.large_repeat if a.large else ""))
    t.print()
    print("\nagreement with coopchain on %s/%s (max absolute difference):" % (human(a.small_n), human(a.small_m)))
    for name, d in agree.items():
        print("  %-10s %s" % (name, ", ".join("%s %.2g" % (k, v) for k, v in d.items())))
    if summary:
        print("large: %s; approximate betweenness bound: %s" % (
            ", ".join("%s %.2f s" % (k, v) for k, v in sorted(summary["seconds"].items())),
            json.dumps(summary.get("betweenness_bound"))))


if __name__ == "__main__":
    main()
