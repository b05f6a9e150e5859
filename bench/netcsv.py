"""Reads a coopchain CSV folder for the peers of bench/compare.py (igraph,
graph-tool): participants.csv fixes the nodes and their order (nodes only
in links.csv follow), links.csv gives supplier_id, buyer_id and optional
value_rub; parallel links are merged with their values summed, like
coopchain's loader. Also writes the per-node JSON every tool writes.
"""
import csv
import json
import os

import numpy as np


def _rows(path):
    f = open(path, newline="", encoding="utf-8-sig")
    r = csv.reader(f)
    header = next(r)
    return f, r, {name: i for i, name in enumerate(header)}


def read(path):
    """Returns (ids, src, dst, weights or None) as numpy arrays, merged."""
    ids, pos = [], {}
    links = path
    if os.path.isdir(path):
        p = os.path.join(path, "participants.csv")
        if os.path.exists(p):
            f, r, col = _rows(p)
            i = col["id"]
            for row in r:
                pos[row[i]] = len(ids)
                ids.append(row[i])
            f.close()
        links = os.path.join(path, "links.csv")
    f, r, col = _rows(links)
    cu, cv = col.get("supplier_id", col.get("source")), col.get("buyer_id", col.get("target"))
    cw = col.get("value_rub", col.get("weight"))
    merged = {}
    weighted = False
    get = merged.get
    for row in r:
        u, v = row[cu], row[cv]
        a = pos.get(u)
        if a is None:
            a = pos[u] = len(ids)
            ids.append(u)
        b = pos.get(v)
        if b is None:
            b = pos[v] = len(ids)
            ids.append(v)
        w = 0.0
        if cw is not None and row[cw] != "":
            w = float(row[cw])
            weighted = True
        k = a << 32 | b
        merged[k] = get(k, 0.0) + w
    f.close()
    keys = np.fromiter(merged.keys(), dtype=np.int64, count=len(merged))
    weights = np.fromiter(merged.values(), dtype=np.float64, count=len(merged)) if weighted else None
    del merged
    return ids, keys >> 32, keys & 0xFFFFFFFF, weights


def write(path, ids, pagerank, supplier_rank, betweenness):
    """Writes {"participants": [{id, pagerank, supplier_rank, betweenness}]}."""
    with open(path, "w") as f:
        parts = []
        for i, x in enumerate(ids):
            p = {"id": x, "pagerank": pagerank[i], "supplier_rank": supplier_rank[i]}
            if betweenness is not None:
                p["betweenness"] = betweenness[i]
            parts.append(p)
        json.dump({"participants": parts}, f)
