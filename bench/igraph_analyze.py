#!/usr/bin/python3
"""The igraph peer of `coopchain network` for bench/compare.py.

Reads a coopchain CSV folder (participants.csv, links.csv; bench/netcsv.py:
parallel links merged, values summed), builds the weighted directed graph
and computes PageRank (damping 0.85, weights = value_rub), PageRank on the
reversed graph (supplier rank) and exact betweenness (directed, unweighted,
normalised by (n-1)(n-2) like networkx; igraph runs it on one core).
Prints one JSON object with the timings of each step (seconds); with
--out FILE also writes the per-node values as JSON, which is part of the
timed work, as `coopchain network --out FILE` does.

Run with Debian's interpreter, which has python3-igraph:
    /usr/bin/python3 bench/igraph_analyze.py DIR [--skip-betweenness] [--out values.json]
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netcsv  # noqa: E402

import igraph as ig  # noqa: E402


def main():
    args = sys.argv[1:]
    skip_bc = "--skip-betweenness" in args
    out = args[args.index("--out") + 1] if "--out" in args else None
    t = {}
    t0 = time.perf_counter()
    ids, src, dst, weights = netcsv.read(args[0])
    g = ig.Graph(n=len(ids), edges=list(zip(src.tolist(), dst.tolist())), directed=True)
    weights = None if weights is None else weights.tolist()
    del src, dst
    t["load"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    pr = g.pagerank(damping=0.85, weights=weights, directed=True)
    t["pagerank"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    rev = g.copy()
    rev.reverse_edges()
    sr = rev.pagerank(damping=0.85, weights=weights, directed=True)
    t["supplier_rank"] = time.perf_counter() - t1
    bc = None
    if not skip_bc:
        t1 = time.perf_counter()
        bc = g.betweenness(directed=True)
        n = len(ids)
        if n > 2:
            s = 1.0 / ((n - 1) * (n - 2))
            bc = [x * s for x in bc]
        t["betweenness"] = time.perf_counter() - t1
    if out:
        t1 = time.perf_counter()
        netcsv.write(out, ids, pr, sr, bc)
        t["write"] = time.perf_counter() - t1
    t["total"] = time.perf_counter() - t0
    print(json.dumps({"tool": "igraph " + ig.__version__, "nodes": len(ids), "edges": g.ecount(), "seconds": t}))


if __name__ == "__main__":
    main()
