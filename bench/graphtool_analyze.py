#!/usr/bin/python3
"""The graph-tool peer of `coopchain network` for bench/compare.py.

Reads a coopchain CSV folder (participants.csv, links.csv; bench/netcsv.py:
parallel links merged, values summed), builds the weighted directed graph
and computes PageRank (damping 0.85, weights = value_rub), PageRank on the
reversed graph (supplier rank) and exact betweenness (directed, unweighted,
normalised by (n-1)(n-2) like networkx; graph-tool runs it on every core
with OpenMP). Prints one JSON object with the timings of each step
(seconds); with --out FILE also writes the per-node values as JSON, which
is part of the timed work, as `coopchain network --out FILE` does.

Run with Debian's interpreter, which has python3-graph-tool:
    /usr/bin/python3 bench/graphtool_analyze.py DIR [--skip-betweenness] [--out values.json]
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netcsv  # noqa: E402

import graph_tool as gt  # noqa: E402
from graph_tool import centrality  # noqa: E402


def main():
    args = sys.argv[1:]
    skip_bc = "--skip-betweenness" in args
    out = args[args.index("--out") + 1] if "--out" in args else None
    t = {}
    t0 = time.perf_counter()
    ids, src, dst, weights = netcsv.read(args[0])
    g = gt.Graph(directed=True)
    g.add_vertex(len(ids))
    w = None
    if weights is not None:
        w = g.new_edge_property("double")
        g.add_edge_list(netcsv.np.column_stack((src, dst, weights)), eprops=[w])
    else:
        g.add_edge_list(netcsv.np.column_stack((src, dst)))
    del src, dst, weights
    t["load"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    pr = centrality.pagerank(g, damping=0.85, weight=w, epsilon=1e-10, max_iter=10000)
    t["pagerank"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    rev = gt.GraphView(g, reversed=True)
    sr = centrality.pagerank(rev, damping=0.85, weight=w, epsilon=1e-10, max_iter=10000)
    t["supplier_rank"] = time.perf_counter() - t1
    bc = None
    if not skip_bc:
        t1 = time.perf_counter()
        vb, _ = centrality.betweenness(g, norm=True)
        bc = vb.a
        t["betweenness"] = time.perf_counter() - t1
    if out:
        t1 = time.perf_counter()
        netcsv.write(out, ids, pr.a.tolist(), sr.a.tolist(), None if bc is None else bc.tolist())
        t["write"] = time.perf_counter() - t1
    t["total"] = time.perf_counter() - t0
    print(json.dumps({"tool": "graph-tool " + gt.__version__.split()[0], "nodes": len(ids), "edges": g.num_edges(), "seconds": t}))


if __name__ == "__main__":
    main()
