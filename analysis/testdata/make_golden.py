#!/usr/bin/python3
"""Make the networkx golden files the analysis tests compare against.

Run with Debian's python3-networkx (apt-get install python3-networkx):
    /usr/bin/python3 analysis/testdata/make_golden.py

For every graph folder under analysis/testdata/graphs/ (a coopchain dataset:
participants.csv and links.csv) it writes networkx.json with, per participant:
pagerank (networkx.pagerank, alpha 0.85, weight = summed value_rub when links
have values), supplier_rank (the same on the reversed graph) and betweenness
(betweenness_centrality, normalized=True, unweighted). It also (re)generates
the random graphs, deterministically.
"""
import csv
import json
import os
import random

import networkx as nx

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graphs")


def write_dataset(name, nodes, edges, finals=()):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "participants.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "kind", "final_producer"])
        for n in nodes:
            w.writerow([n, "P " + n, "enterprise", "true" if n in finals else "false"])
    with open(os.path.join(d, "links.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["supplier_id", "buyer_id", "product_code", "value_rub"])
        for e in edges:
            w.writerow(list(e))


def generated(name, n, m, seed, weighted=True):
    """A layered supply network: heavy-tailed out-degrees, edges mostly to
    later layers, a few back edges that make cycles, some isolated nodes."""
    rnd = random.Random(seed)
    layers = 6
    layer = {i: min(layers - 1, int(rnd.random() ** 1.5 * layers)) for i in range(n)}
    by_layer = {l: [i for i in range(n) if layer[i] == l] for l in range(layers)}
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n)]
    rnd.shuffle(weights)
    edges = set()
    nodes = ["n%05d" % i for i in range(n)]
    tries = 0
    while len(edges) < m and tries < 50 * m:
        tries += 1
        u = rnd.choices(range(n), weights=weights)[0]
        if rnd.random() < 0.03:
            cands = by_layer[max(0, layer[u] - 1)]
        else:
            cands = by_layer[min(layers - 1, layer[u] + 1)]
        if not cands:
            continue
        v = rnd.choice(cands)
        if u == v or u >= n - 20 or v >= n - 20:  # the last 20 stay isolated
            continue
        edges.add((u, v))
    rows = []
    for u, v in sorted(edges):
        rows.append((nodes[u], nodes[v], "25.11", (str(rnd.randint(1, 1000) * 1000) if weighted else "")))
    finals = {nodes[i] for i in by_layer[layers - 1][:50]}
    write_dataset(name, nodes, rows, finals)


def golden(name):
    d = os.path.join(HERE, name)
    with open(os.path.join(d, "participants.csv")) as f:
        nodes = [r["id"] for r in csv.DictReader(f)]
    G = nx.DiGraph()
    G.add_nodes_from(nodes)
    weighted = False
    with open(os.path.join(d, "links.csv")) as f:
        for r in csv.DictReader(f):
            u, v = r["supplier_id"], r["buyer_id"]
            val = r.get("value_rub", "")
            w = float(val) if val not in ("", None) else 0.0
            weighted = weighted or val not in ("", None)
            if G.has_edge(u, v):
                G[u][v]["weight"] += w
            else:
                G.add_edge(u, v, weight=w)
    wkey = "weight" if weighted else None
    pr = nx.pagerank(G, alpha=0.85, weight=wkey, tol=1e-14, max_iter=100000)
    sr = nx.pagerank(G.reverse(copy=True), alpha=0.85, weight=wkey, tol=1e-14, max_iter=100000)
    bc = nx.betweenness_centrality(G, normalized=True)
    out = {
        "networkx": nx.__version__,
        "weighted": weighted,
        "participants": [{"id": n, "pagerank": pr[n], "supplier_rank": sr[n], "betweenness": bc[n]} for n in nodes],
    }
    with open(os.path.join(d, "networkx.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    # Hand-made graphs.
    write_dataset("chain", ["a", "b", "c", "d"], [("a", "b", "24.42.11", "100"), ("b", "c", "24.42.22", "80"), ("c", "d", "25.12.10", "60")], {"d"})
    write_dataset("diamond", ["s", "x", "y", "t"], [("s", "x", "", "30"), ("s", "y", "", "10"), ("x", "t", "", "25"), ("y", "t", "", "5"), ("x", "y", "", "1")], {"t"})
    write_dataset("cycle", ["a", "b", "c", "d", "e"], [("a", "b", "", "10"), ("b", "c", "", "10"), ("c", "a", "", "5"), ("c", "d", "", "7"), ("d", "e", "", "3")], {"e"})
    write_dataset("isolated_dangling", ["a", "b", "c", "d", "e", "f"], [("a", "b", "", "5"), ("a", "c", "", "1"), ("b", "c", "", "2"), ("d", "c", "", "4")], {"c"})
    write_dataset("unweighted", ["a", "b", "c", "d", "e"], [("a", "b", "", ""), ("a", "c", "", ""), ("b", "d", "", ""), ("c", "d", "", ""), ("d", "e", "", ""), ("e", "b", "", "")], {"e"})
    generated("generated2000", 2000, 8000, 42, True)
    generated("generated_unweighted600", 600, 2400, 7, False)
    for name in sorted(os.listdir(HERE)):
        if os.path.isdir(os.path.join(HERE, name)):
            golden(name)
            print("golden", name)


if __name__ == "__main__":
    main()
