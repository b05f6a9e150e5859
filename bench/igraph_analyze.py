#!/usr/bin/python3
"""The igraph peer of `coopchain analyze`/`coopchain network` for bench/compare.py.

Reads a coopchain CSV folder (participants.csv, links.csv) or a bare edge
list, builds the weighted directed graph (parallel links merged, values
summed) and computes PageRank (damping 0.85, weights = value_rub),
PageRank on the reversed graph (supplier rank) and betweenness
(directed, unweighted, normalised by (n-1)(n-2) like networkx). Prints
one JSON object with the timings of each step (seconds) and, with
--values FILE, writes the per-node values for the agreement check.

Run with Debian's interpreter, which has python3-igraph:
    /usr/bin/python3 bench/igraph_analyze.py DIR [--skip-betweenness] [--values out.json]
"""
import csv
import json
import os
import sys
import time

import igraph as ig


def read(path):
    """Returns (ids, edges, weights) with parallel edges merged."""
    ids, pos = [], {}
    links = path
    if os.path.isdir(path):
        p = os.path.join(path, "participants.csv")
        if os.path.exists(p):
            with open(p, newline="", encoding="utf-8-sig") as f:
                for r in csv.DictReader(f):
                    pos[r["id"]] = len(ids)
                    ids.append(r["id"])
        links = os.path.join(path, "links.csv")
    merged = {}
    weighted = False
    with open(links, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            u, v = r["supplier_id"], r["buyer_id"]
            for x in (u, v):
                if x not in pos:
                    pos[x] = len(ids)
                    ids.append(x)
            val = r.get("value_rub") or ""
            w = float(val) if val else 0.0
            weighted = weighted or val != ""
            k = (pos[u], pos[v])
            merged[k] = merged.get(k, 0.0) + w
    edges = list(merged.keys())
    weights = list(merged.values()) if weighted else None
    return ids, edges, weights


def main():
    args = sys.argv[1:]
    skip_bc = "--skip-betweenness" in args
    values = None
    if "--values" in args:
        values = args[args.index("--values") + 1]
    path = args[0]
    t = {}
    t0 = time.perf_counter()
    ids, edges, weights = read(path)
    g = ig.Graph(n=len(ids), edges=edges, directed=True)
    t["load"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    pr = g.pagerank(damping=0.85, weights=weights, directed=True)
    t["pagerank"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    rev = g.copy()
    rev.reverse_edges()
    t["reverse"] = time.perf_counter() - t1
    t1 = time.perf_counter()
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
    t["total"] = time.perf_counter() - t0
    if values:
        with open(values, "w") as f:
            json.dump({"ids": ids, "pagerank": pr, "supplier_rank": sr, "betweenness": bc}, f)
    print(json.dumps({"tool": "igraph " + ig.__version__, "nodes": len(ids), "edges": len(edges), "seconds": t}))


if __name__ == "__main__":
    main()
