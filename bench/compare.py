#!/usr/bin/python3
"""Side-by-side benchmark of coopchain against igraph (and networkx).

Generates realistic supply networks with bench/gen (heavy-tailed degrees,
six layered stages, cycles), then, in one run, interleaved, REPEAT times:

  small (10,000 nodes / 50,000 links by default)
    kernels  : PageRank, reversed PageRank (supplier rank) and exact
               betweenness, timed inside each process (after loading):
               `coopchain network --betweenness exact` vs igraph
    process  : whole process, wall time and peak RSS (/usr/bin/time -v):
               `coopchain analyze --in DIR --format json` vs a Python script
               that reads the same CSV folder with igraph and computes
               PageRank, reversed PageRank and betweenness
               (bench/igraph_analyze.py)
    networkx : PageRank and reversed PageRank (betweenness with
               --networkx-betweenness: minutes)
  large (--large; 1,000,000 nodes / 10,000,000 links by default)
    `coopchain network --in DIR --format json` (load + PageRank + supplier
    rank + stages + approximate betweenness, eps 0.01, delta 0.1), wall time
    and peak RSS; igraph load + PageRank + reversed PageRank for scale
    (--no-igraph-large to skip).

and prints medians and ratios (ours / igraph: below 1 means we are faster)
and the agreement of the values (max absolute difference).

Run with Debian's interpreter (python3-igraph, python3-networkx):
    /usr/bin/python3 bench/compare.py [--repeat 3] [--large] [--small-n 10000 --small-m 50000]
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


def timed(cmd, stdout_path=None, env=None):
    """Runs cmd under /usr/bin/time -v: returns (wall s, peak RSS MB, stdout)."""
    out = open(stdout_path, "w") if stdout_path else subprocess.PIPE
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=out, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, **env) if env else None)
    if stdout_path:
        out.close()
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr[-3000:]))
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr)
    parts = [float(x) for x in m.group(1).split(":")]
    wall = sum(x * 60 ** i for i, x in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return wall, rss, (p.stdout if not stdout_path else None)


def ours_network(binary, d, out, extra, env=None):
    wall, rss, _ = timed([binary, "network", "--in", d, "--format", "json", "--quiet", "--out", out] + extra, env=env)
    with open(out) as f:
        doc = json.load(f)
    return wall, rss, doc


def igraph(d, extra, values=None):
    cmd = [PY, os.path.join(HERE, "igraph_analyze.py"), d] + extra
    if values:
        cmd += ["--values", values]
    wall, rss, out = timed(cmd)
    return wall, rss, json.loads(out.strip().splitlines()[-1])


NX_SCRIPT = r"""
import csv, json, os, sys, time
import networkx as nx
d, do_bc = sys.argv[1], sys.argv[2] == "1"
t0 = time.perf_counter()
G = nx.DiGraph()
with open(os.path.join(d, "participants.csv"), newline="", encoding="utf-8-sig") as f:
    G.add_nodes_from(r["id"] for r in csv.DictReader(f))
with open(os.path.join(d, "links.csv"), newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        u, v, w = r["supplier_id"], r["buyer_id"], float(r["value_rub"] or 0)
        if G.has_edge(u, v):
            G[u][v]["weight"] += w
        else:
            G.add_edge(u, v, weight=w)
t = {"load": time.perf_counter() - t0}
t1 = time.perf_counter(); nx.pagerank(G, alpha=0.85, weight="weight", tol=1e-10); t["pagerank"] = time.perf_counter() - t1
t1 = time.perf_counter(); nx.pagerank(G.reverse(copy=False), alpha=0.85, weight="weight", tol=1e-10); t["supplier_rank"] = time.perf_counter() - t1
if do_bc:
    t1 = time.perf_counter(); nx.betweenness_centrality(G, normalized=True); t["betweenness"] = time.perf_counter() - t1
print(json.dumps({"tool": "networkx " + nx.__version__, "seconds": t}))
"""


def networkx(d, betweenness):
    wall, rss, out = timed([PY, "-c", NX_SCRIPT, d, "1" if betweenness else "0"])
    return wall, rss, json.loads(out.strip().splitlines()[-1])


def maxdiff(ids, ref, doc, key):
    pos = {p["id"]: p for p in doc["participants"]}
    return max(abs(pos[i][key] - r) for i, r in zip(ids, ref))


def med(xs):
    return statistics.median(xs)


def row(name, ours, theirs, unit="s"):
    o, t = med(ours), med(theirs)
    ratio = o / t if t else float("nan")
    print("  %-48s %10.4f %10.4f %7.2f   (%s; runs: %s | %s)" % (name, o, t, ratio, unit,
          " ".join("%.4f" % x for x in ours), " ".join("%.4f" % x for x in theirs)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--small-n", type=int, default=10_000)
    ap.add_argument("--small-m", type=int, default=50_000)
    ap.add_argument("--large", action="store_true", help="also the 1M/10M network")
    ap.add_argument("--large-n", type=int, default=1_000_000)
    ap.add_argument("--large-m", type=int, default=10_000_000)
    ap.add_argument("--no-igraph-large", action="store_true")
    ap.add_argument("--networkx-betweenness", action="store_true")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "coopchain-bench"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    binary, gen = os.path.join(a.work, "coopchain"), os.path.join(a.work, "gen")
    sh(["go", "build", "-o", binary, "./cmd/coopchain"], cwd=ROOT)
    sh(["go", "build", "-o", gen, "./bench/gen"], cwd=ROOT)
    import igraph as ig
    import networkx as nx
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    gov = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
    print("machine: %d cores (%s), %.0f GB; %s; igraph %s, networkx %s" % (os.cpu_count(), cpu, mem, gov, ig.__version__, nx.__version__))

    small = os.path.join(a.work, "net_%d_%d" % (a.small_n, a.small_m))
    if not os.path.exists(os.path.join(small, "links.csv")):
        sh([gen, "-n", str(a.small_n), "-m", str(a.small_m), "-seed", "1", "-out", small])
    out = os.path.join(a.work, "ours.json")
    vals = os.path.join(a.work, "igraph_values.json")
    k = {x: ([], []) for x in ("pagerank", "supplier_rank", "betweenness")}
    one_core = []
    proc_wall, proc_rss = ([], []), ([], [])
    nx_t = {"pagerank": [], "supplier_rank": [], "betweenness": []}
    agree = {}
    print("\nsmall network: %d nodes, %d links (%s), %d runs each, interleaved" % (a.small_n, a.small_m, small, a.repeat))
    for r in range(a.repeat):
        # Kernels, timed inside the processes.
        _, _, doc = ours_network(binary, small, out, ["--betweenness", "exact"])
        _, _, ig_doc = igraph(small, [], values=vals if r == 0 else None)
        for x in k:
            k[x][0].append(doc["summary"]["seconds"][x])
            k[x][1].append(ig_doc["seconds"][x])
        # The same on one core (igraph's betweenness uses one).
        _, _, doc1 = ours_network(binary, small, out, ["--betweenness", "exact"], env={"GOMAXPROCS": "1"})
        one_core.append(doc1["summary"]["seconds"]["betweenness"])
        if r == 0:
            with open(vals) as f:
                iv = json.load(f)
            for key in ("pagerank", "supplier_rank", "betweenness"):
                agree["exact " + key] = maxdiff(iv["ids"], iv[key], doc, key)
            _, _, adoc = ours_network(binary, small, out, ["--betweenness", "approx", "--eps", "0.01", "--delta", "0.1"])
            agree["approximate betweenness (eps 0.01)"] = maxdiff(iv["ids"], iv["betweenness"], adoc, "betweenness")
        # Whole processes.
        w, m, _ = timed([binary, "analyze", "--in", small, "--format", "json"], stdout_path=os.path.join(a.work, "analyze.json"))
        proc_wall[0].append(w)
        proc_rss[0].append(m)
        w, m, _ = igraph(small, [])
        proc_wall[1].append(w)
        proc_rss[1].append(m)
        _, _, nxd = networkx(small, a.networkx_betweenness and r == 0)
        for x in nxd["seconds"]:
            if x in nx_t:
                nx_t[x].append(nxd["seconds"][x])
    print("  %-48s %10s %10s %7s" % ("median", "coopchain", "igraph", "ratio"))
    for x in k:
        row("kernel " + x, k[x][0], k[x][1])
    row("kernel betweenness, coopchain on 1 core", one_core, k["betweenness"][1])
    row("process: analyze --format json vs igraph script", proc_wall[0], proc_wall[1])
    row("process peak RSS", proc_rss[0], proc_rss[1], unit="MB")
    print("  networkx (same graph): pagerank %.3f s, supplier_rank %.3f s%s" % (
        med(nx_t["pagerank"]), med(nx_t["supplier_rank"]),
        (", betweenness %.1f s" % nx_t["betweenness"][0]) if nx_t["betweenness"] else ""))
    print("  agreement with igraph (max abs difference):")
    for key, d in agree.items():
        print("    %-40s %.3g" % (key, d))

    if not a.large:
        return
    large = os.path.join(a.work, "net_%d_%d" % (a.large_n, a.large_m))
    if not os.path.exists(os.path.join(large, "links.csv")):
        t0 = time.time()
        sh([gen, "-n", str(a.large_n), "-m", str(a.large_m), "-seed", "1", "-out", large])
        print("\ngenerated %s in %.0f s" % (large, time.time() - t0))
    print("\nlarge network: %d nodes, %d links, %d runs each, interleaved" % (a.large_n, a.large_m, a.repeat))
    ow, orss, steps, iw, irss, ist = [], [], [], [], [], []
    for r in range(a.repeat):
        w, m, doc = ours_network(binary, large, out, ["--eps", "0.01", "--delta", "0.1"])
        ow.append(w)
        orss.append(m)
        steps.append(doc["summary"]["seconds"])
        bound = doc["summary"].get("betweenness_bound")
        if not a.no_igraph_large:
            w, m, igd = igraph(large, ["--skip-betweenness"], values=vals if r == 0 else None)
            iw.append(w)
            irss.append(m)
            ist.append(igd["seconds"])
            if r == 0:
                with open(vals) as f:
                    iv = json.load(f)
                agree_pr = maxdiff(iv["ids"], iv["pagerank"], doc, "pagerank")
                agree_sr = maxdiff(iv["ids"], iv["supplier_rank"], doc, "supplier_rank")
                del iv
    print("  coopchain network (load + pagerank + supplier rank + stages + approximate betweenness + JSON):")
    print("    wall: median %.1f s (runs %s; target < 120 s)" % (med(ow), " ".join("%.1f" % x for x in ow)))
    print("    peak RSS: median %.0f MB (runs %s; target < 4096 MB)" % (med(orss), " ".join("%.0f" % x for x in orss)))
    for x in ("load", "degrees", "pagerank", "supplier_rank", "stages", "betweenness", "write"):
        print("    %-14s median %.2f s" % (x, med([s.get(x, 0) for s in steps])))
    print("    betweenness bound: %s" % json.dumps(bound))
    if iw:
        print("  igraph (load + pagerank + reversed pagerank, no betweenness):")
        print("    wall: median %.1f s, peak RSS median %.0f MB" % (med(iw), med(irss)))
        for x in ("load", "pagerank", "supplier_rank"):
            o, t = med([s[x] for s in steps]), med([s[x] for s in ist])
            print("    %-14s coopchain %.2f s, igraph %.2f s, ratio %.2f" % (x, o, t, o / t))
        print("  agreement with igraph: pagerank %.3g, supplier_rank %.3g (max abs difference)" % (agree_pr, agree_sr))


if __name__ == "__main__":
    main()
