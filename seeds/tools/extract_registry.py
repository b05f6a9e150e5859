#!/usr/bin/env python3
"""Derive seeds/data/registry/clusters.csv and seeds/data/rating.csv from the Atlas text.

Run from the repository root with ../shared beside it:
    python3 seeds/tools/extract_registry.py ../shared/seeds/001_c2b18a0b9c2d38e6.txt

The product never reads ../shared at run time; this script is how the committed
CSV files were made, kept so that they can be checked and remade.
"""
import csv
import re
import sys

# Latin letters that look like Cyrillic ones. The Atlas text has words such as
# "гидropневматического" (Latin "ro" inside a Cyrillic word); inside a word that
# has Cyrillic letters they are mapped back so that search and filters work.
HOMOGLYPHS = str.maketrans("aceopxyACEHKMOPTXB", "асеорхуАСЕНКМОРТХВ")


# Words whose Latin letters are a transliteration rather than look-alikes.
KNOWN = {"гидropневматического": "гидропневматического"}


def fix_mixed_script(text):
    for bad, good in KNOWN.items():
        text = text.replace(bad, good)

    def fix(m):
        w = m.group(0)
        if re.search(r"[а-яА-ЯёЁ]", w) and re.search(r"[a-zA-Z]", w):
            return w.translate(HOMOGLYPHS)
        return w
    return re.sub(r"[\w-]+", fix, text)


def pct(s):
    return s.strip().rstrip("%").replace(",", ".")


def main(path):
    lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    start = max(i for i, l in enumerate(lines) if l.strip() == "РЕЕСТР ПРОМЫШЛЕННЫХ КЛАСТЕРОВ РОССИИ")
    reg = []
    for l in lines[start:]:
        parts = l.split("\t")
        if len(parts) == 5 and parts[0].isdigit():
            no, name, regions, spec, count = [p.strip() for p in parts]
            regs = [r.strip() for r in regions.split(";") if r.strip()]
            reg.append({
                "id": "ru-%03d" % int(no),
                "registry_no": int(no),
                "name": name,
                "regions": ";".join(regs),
                "specialization": fix_mixed_script(spec),
                "kind": "interregional" if len(regs) > 1 else "industrial",
                "country": "RU",
                "participants_count": int(count),
                "source": "Atlas 2025, registry (GISP, 1 Nov 2025)",
            })
    assert [r["registry_no"] for r in reg] == list(range(1, 105)), "registry must be 1..104"
    with open("seeds/data/registry/clusters.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(reg[0].keys()))
        w.writeheader()
        w.writerows(reg)

    hdr = next(i for i, l in enumerate(lines) if l.startswith("№\tНаименование субъекта РФ\tБлок S1"))
    rating = []
    for l in lines[hdr + 1:]:
        parts = l.split("\t")
        if len(parts) != 8 or not parts[0].isdigit():
            break
        rating.append({
            "rank": int(parts[0]), "region": parts[1].strip(),
            "s1": pct(parts[2]), "s2": pct(parts[3]), "s3": pct(parts[4]),
            "s4": pct(parts[5]), "s5": pct(parts[6]), "total": pct(parts[7]),
            "source": "Atlas 2025, I National rating of regions",
        })
    assert len(rating) == 20, len(rating)
    with open("seeds/data/rating.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rating[0].keys()))
        w.writeheader()
        w.writerows(rating)
    print("registry:", len(reg), "rating:", len(rating))


if __name__ == "__main__":
    main(sys.argv[1])
