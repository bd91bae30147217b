"""The case library's filter data, as the built pages carry it: only the program's own facets (with
competencies, level and roles), in the page's language; the second program's too. And the sections of
its navigation open their own pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from conftest import PRECEPTOR, REPO, page
from handbook.render.case_library import facet_key

DATA_BLOCK = re.compile(r'<script type="application/json" id="hb-case-library-data">(.*?)</script>', re.DOTALL)
FIXED = ["competency", "level", "role"]


def library_data(site: Path, prefix: str = "") -> dict:
    found = DATA_BLOCK.findall((site / prefix / "cases" / "index.html").read_text("utf-8"))
    assert len(found) == 1
    return json.loads(found[0])


def framework(program: Path, language: str = "") -> dict:
    suffix = f".{language}" if language else ""
    return yaml.safe_load((program / "curriculum" / f"framework{suffix}.yml").read_text("utf-8"))


def cases(program: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text("utf-8").split("---")[1])
            for p in (program / "cases").glob("*.md") if p.name.count(".") == 1}


def test_the_second_programs_filters_are_its_own_facets_only(preceptor_site: Path) -> None:
    source = framework(PRECEPTOR)
    facet_ids = [facet["id"] for facet in source["facets"]]
    coaching = {facet["id"] for facet in framework(REPO)["facets"]}
    assert not coaching & set(facet_ids)
    program_cases = cases(PRECEPTOR)
    for prefix in ("", "ar/"):
        data = library_data(preceptor_site, prefix)
        assert data["program"] == source["id"]
        keys = [group["key"] for group in data["groups"]]
        assert keys == [facet_key(f) for f in facet_ids if any(c["facets"].get(f) for c in program_cases.values())] \
            + FIXED
        assert not coaching & set(keys)
        for group in data["groups"]:
            if group["kind"] == "facet":
                declared = next(f for f in source["facets"] if f["id"] == group["facet"])
                assert {o["id"] for o in group["options"]} <= {v["id"] for v in declared["values"]}
        assert {c["id"] for c in data["cases"]} == set(program_cases)
        for case in data["cases"]:
            assert sorted(case["facets"]) == sorted(facet_ids)
            assert (preceptor_site / prefix / "cases" / case["url"] / "index.html").is_file()
            assert case["level"] == program_cases[case["id"]]["level"]
            assert case["roles"] == program_cases[case["id"]]["roles"]
            assert case["competencies"] == program_cases[case["id"]]["competencies"]


def test_the_filters_speak_the_pages_language(preceptor_site: Path) -> None:
    german = library_data(preceptor_site)
    arabic = library_data(preceptor_site, "ar/")
    assert german["language"] == "de" and arabic["language"] == "ar"
    source = framework(PRECEPTOR)
    translated = framework(PRECEPTOR, "ar")
    first = source["facets"][0]
    assert german["groups"][0]["title"] == first["title"]
    assert arabic["groups"][0]["title"] == next(f for f in translated["facets"] if f["id"] == first["id"])["title"]
    assert german["labels"]["clear"] != arabic["labels"]["clear"]
    assert {"filters_title", "how", "count", "shown_other", "none", "clear"} <= set(german["labels"])
    assert {"shown_zero", "shown_two", "shown_few", "shown_many"} <= set(arabic["labels"])  # Arabic's plural forms


def test_the_coaching_library_filters_by_its_facets_then_competency_level_and_role(site: Path) -> None:
    data = library_data(site)
    assert [group["key"] for group in data["groups"]] == [f["id"] for f in framework(REPO)["facets"]] + FIXED
    assert len(data["cases"]) == len(cases(REPO))
    spanish = library_data(site, "es/")
    assert [g["key"] for g in spanish["groups"]] == [g["key"] for g in data["groups"]]
    assert spanish["groups"][0]["title"] != data["groups"][0]["title"]


def test_a_facet_named_like_a_fixed_group_keeps_its_own_key() -> None:
    assert facet_key("setting") == "setting"
    assert [facet_key(name) for name in FIXED] == [f"facet-{name}" for name in FIXED]


def test_the_second_programs_sections_open_their_own_pages(preceptor_site: Path) -> None:
    nav = yaml.safe_load(re.sub(r"!ENV \[[^\]]*\]", "null", (PRECEPTOR / "mkdocs.yml").read_text("utf-8")))["nav"]
    soup = page(preceptor_site, "")
    for entry in nav:
        if not isinstance(entry, dict) or not isinstance(next(iter(entry.values())), list):
            continue
        title, entries = next(iter(entry.items()))
        first = entries[0].removesuffix(".md").removesuffix("index").rstrip("/")
        links = [a for a in soup.select(".md-nav--primary .md-nav__container > a.md-nav__link")
                 if " ".join(a.get_text().split()) == title]
        assert len(links) == 1, title
        assert links[0]["href"].rstrip("/") == first, (title, links[0]["href"])


def test_case_pages_lead_back_to_the_library_with_the_script(preceptor_site: Path) -> None:
    for case_id in cases(PRECEPTOR):
        soup = page(preceptor_site, f"cases/{case_id}")
        assert soup.select_one(".hb-case-nav a.hb-case-back")["href"] == "../"
        assert soup.select_one('script[src$="assets/handbook/case-library.js"]') is not None
        # A case stands under the library: its entry in the navigation is the active one.
        assert soup.select_one(".md-nav--primary .md-nav__item--active > a.md-nav__link")["href"] == "../"
