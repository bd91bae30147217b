"""The printable downloads: a scoring sheet per rubric and language, and "look-fors at a glance" per
rubric and level, made at build time from the rubric data, checked as real PDFs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import ENV, PRECEPTOR, REPO, Project, page
from pdf_tools import missing_glyphs, nearly_contains, page_count, page_size, page_texts, squeezed

A4, LETTER = (595.3, 841.9), (612.0, 792.0)
LANGUAGES = {"en": "", "es": "es/", "fr": "fr/"}
CYCLE_VERSION = yaml.safe_load((REPO / "rubrics/coaching-cycle.yml").read_text("utf-8"))["version"]


def _print(html: str, pdf: Path) -> bytes:
    """Print one document with the plugin's engine, in a process of its own (as a build does)."""
    code = ("import sys; from pathlib import Path; from handbook.render.pdf import write_pdf; "
            "Path(sys.argv[1]).write_bytes(write_pdf(sys.stdin.read()))")
    subprocess.run([sys.executable, "-c", code, str(pdf)], input=html, text=True, check=True, env=ENV, timeout=120)
    return pdf.read_bytes()


def _rubric(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def _plain(markdown: str) -> str:
    """A look-for as a reader sees it: Markdown emphasis and code marks are not printed."""
    return re.sub(r"[*_`]", "", markdown)


def _levels(rubric: dict) -> list[str]:
    return [point["level"] for point in rubric["scale"]]


def _sheet(site: Path, prefix: str, rubric: str, paper: str = "a4") -> Path:
    return site / prefix / "downloads" / f"{rubric}-scoring-sheet-{paper}.pdf"


def _glance(site: Path, prefix: str, rubric: str, level: str, paper: str = "a4") -> Path:
    return site / prefix / "downloads" / f"{rubric}-look-fors-{level}-{paper}.pdf"


def _translated(source: Path, language: str) -> dict:
    """A rubric in ``language``: its translation's text over the source's structure."""
    data = _rubric(source)
    if language == "en":
        return data
    translation = _rubric(source.with_name(f"{source.stem}.{language}.yml"))
    by_id = {criterion["id"]: criterion for criterion in translation.get("criteria", [])}
    for criterion in data["criteria"]:
        translated = by_id.get(criterion["id"], {})
        criterion["title"] = translated.get("title", criterion["title"])
        for level, items in translated.get("look_fors", {}).items():
            criterion["look_fors"][level] = items
    return data


RUBRIC_FILES = sorted(p for p in (REPO / "rubrics").glob("*.yml") if p.stem.count(".") == 0)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("source", RUBRIC_FILES, ids=lambda p: p.stem)
def test_each_scoring_sheet_holds_every_look_for_and_keeps_each_criterion_on_one_page(
        site: Path, source: Path, language: str) -> None:
    rubric = _translated(source, language)
    for paper, size in (("a4", A4), ("letter", LETTER)):
        sheet = _sheet(site, LANGUAGES[language], rubric["id"], paper)
        assert page_size(sheet) == pytest.approx(size, abs=1)
        pages = [" ".join(text.split()) for text in page_texts(sheet)]
        assert 2 <= len(pages) <= 3, f"{sheet.name}: {len(pages)} pages"
        for number, text in enumerate(pages, 1):  # "Page 1 of 2", "Página 1 de 2"...
            assert re.search(rf"\b{number}\D{{1,6}}{len(pages)}$", text), text[-80:]
        for criterion in rubric["criteria"]:
            look_fors = [" ".join(_plain(item).split()) for level in _levels(rubric)
                         for item in criterion["look_fors"][level]]
            holding = [i for i, text in enumerate(pages) if " ".join(criterion["title"].split()) in text]
            assert holding, f"{criterion['title']!r} is not in {sheet.name}"
            first = holding[0]  # its section; the results table names it again on the last page
            missing = [item for item in look_fors if squeezed(item) not in squeezed(pages[first])]
            assert not missing, f"{sheet.name} page {first + 1} lacks {missing[:1]} of {criterion['id']}"


def test_a_sheet_states_the_rule_the_fill_in_fields_and_the_version_on_every_page(site: Path) -> None:
    pages = [" ".join(text.split()) for text in page_texts(_sheet(site, "", "coaching-cycle"))]
    whole = " ".join(pages)
    for field in ("Candidate", "Entry", "Scorer", "Date", "Signature", "Mean of the criterion scores"):
        assert field in whole
    assert "mean of its criterion scores is at least 3 (of at most 4)" in whole
    assert "floor 2.5" in whole
    for number, text in enumerate(pages, 1):
        assert text.startswith("Coaching Certification Framework")
        # The margin boxes (pdftotext drops a space or two of theirs).
        assert squeezed(f"Version {CYCLE_VERSION} · English") in squeezed(text)
        assert squeezed(f"Page {number} of {len(pages)}") in squeezed(text[-40:])
        assert squeezed("Portfolio entry 1: a full coaching cycle · Scoring sheet") in squeezed(text)
    # None of the web page's furniture.
    assert "Skip to content" not in whole and "Search" not in whole


def test_spanish_and_french_sheets_write_figures_their_way(site: Path) -> None:
    spanish = " ".join(" ".join(page_texts(_sheet(site, "es/", "coaching-cycle"))).split())
    french = " ".join(" ".join(page_texts(_sheet(site, "fr/", "coaching-cycle"))).split())
    assert "mínimo 2,5" in spanish and "Página 1 de" in spanish and f"Versión {CYCLE_VERSION}" in spanish
    assert "plancher 2,5" in french and "Page 1 sur" in french


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_glance_is_one_page_with_that_levels_look_fors_only(site: Path, language: str) -> None:
    for source in RUBRIC_FILES:
        rubric = _translated(source, language)
        for level in _levels(rubric):
            for paper in ("a4", "letter"):
                glance = _glance(site, LANGUAGES[language], rubric["id"], level, paper)
                assert page_count(glance) == 1, glance.name
                text = squeezed(page_texts(glance)[0])
                for criterion in rubric["criteria"]:
                    assert squeezed(criterion["title"]) in text
                    for item in criterion["look_fors"][level]:
                        assert squeezed(_plain(item)) in text, (glance.name, item)
                    other = next(lvl for lvl in _levels(rubric) if lvl != level)
                    assert squeezed(_plain(criterion["look_fors"][other][0])) not in text


def test_rubric_pages_link_their_pdfs_and_the_downloads_page_lists_them_all(site: Path) -> None:
    for language, prefix in LANGUAGES.items():
        listed = {a["href"] for a in page(site, f"{prefix}downloads").select("article a[href$='.pdf']")}
        for source in RUBRIC_FILES:
            rubric = _rubric(source)
            papers = ("a4", "letter")
            expected = {f"{rubric['id']}-scoring-sheet-{paper}.pdf" for paper in papers} | {
                f"{rubric['id']}-look-fors-{level}-{paper}.pdf" for level in _levels(rubric) for paper in papers}
            links = {a["href"] for a in page(site, f"{prefix}rubrics/{rubric['id']}").select("article a[href$='.pdf']")}
            assert {Path(href).name for href in links} == expected, language
            for href in links:
                assert (site / prefix / "rubrics" / rubric["id"] / href).resolve().is_file(), href
            assert expected <= {Path(href).name for href in listed}
            for href in listed:
                assert (site / prefix / "downloads" / href).resolve().is_file()


def test_pdfs_carry_a_title_and_the_language(site: Path) -> None:
    reader = PdfReader(str(_sheet(site, "fr/", "coaching-cycle")))
    assert reader.metadata.title.endswith(": Grille de notation")
    assert reader.trailer["/Root"].get("/Lang") == "fr"
    assert not missing_glyphs(_sheet(site, "fr/", "coaching-cycle"))


# -- The right-to-left program ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def preceptor_rubric() -> dict:
    source = PRECEPTOR / "rubrics" / "preceptor-practice.yml"
    data = _rubric(source)
    arabic = _rubric(source.with_name("preceptor-practice.ar.yml"))
    return {"de": data, "ar": {**data, "criteria": [{**c, **t} for c, t in zip(data["criteria"],
                                                                                arabic["criteria"], strict=True)]}}


def test_the_arabic_pdfs_read_right_to_left_in_logical_order_with_every_glyph(
        preceptor_site: Path, preceptor_rubric: dict) -> None:
    rubric = preceptor_rubric["ar"]
    sheet = _sheet(preceptor_site, "ar/", "preceptor-practice")
    assert PdfReader(str(sheet)).trailer["/Root"].get("/Lang") == "ar"
    text = " ".join(page_texts(sheet))
    for criterion in rubric["criteria"]:
        assert nearly_contains(text, criterion["title"])
        for level in _levels(rubric):
            for item in criterion["look_fors"][level]:
                # In the grid, pdftotext may carry a cell's last line on after the next column's
                # first: each look-for's opening words must read in logical order there.
                assert nearly_contains(text, " ".join(item.split()[:4])), item
    assert "2.75" in text and "1.75" in text  # the threshold and the floors, as Arabic writes them
    assert missing_glyphs(sheet) == []
    for level in _levels(rubric):
        glance = _glance(preceptor_site, "ar/", "preceptor-practice", level)
        assert missing_glyphs(glance) == []
        text = page_texts(glance)[0]
        for criterion in rubric["criteria"]:
            for item in criterion["look_fors"][level]:  # one column: each look-for whole
                assert nearly_contains(text, item), item
                assert not nearly_contains(text, item[::-1])  # the check tells logical from visual order


def test_the_german_sheet_states_fractional_floors_and_the_weight(preceptor_site: Path) -> None:
    text = " ".join(" ".join(page_texts(_sheet(preceptor_site, "", "preceptor-practice"))).split())
    assert "Mindestwert 1,75" in text and "Mindestwert 2" in text
    assert "Gewicht 2" in text or "Gewichtung 2" in text
    assert "Seite 1 von" in text


def test_the_glyph_check_finds_an_empty_box(tmp_path: Path) -> None:
    """The check above can fail: a character no installed font has is drawn as the empty box."""
    probe = tmp_path / "probe.pdf"
    _print('<html lang="en"><body><p>A\U0010fffdB</p></body></html>', probe)
    assert len(missing_glyphs(probe)) == 1


# -- Hostile input -------------------------------------------------------------------------------------


def test_a_document_can_load_nothing_from_the_build_machine(tmp_path: Path) -> None:
    """Whatever a template or an override writes, the engine fetches no file and no URL: no image,
    stylesheet or attachment from the machine ends up in a PDF."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN", "utf-8")
    picture = tmp_path / "picture.svg"
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text y="20">SVG-SECRET</text></svg>', "utf-8")
    pdf = tmp_path / "out.pdf"
    made = _print(f"""<html><head><link rel="stylesheet" href="file://{secret}">
        <link rel="attachment" href="file://{secret}"><style>@import url("file://{secret}");
        body {{ background: url("file://{picture}"); }}</style></head>
        <body><p>Visible</p><img src="file://{picture}" alt=""><img src="http://127.0.0.1:9/x.png" alt="">
        <a rel="attachment" href="file://{secret}">attached</a><object data="file://{secret}"></object>
        <iframe src="file://{secret}"></iframe></body></html>""", pdf)
    assert b"TOP-SECRET-TOKEN" not in made and b"SVG-SECRET" not in made
    reader = PdfReader(str(pdf))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert not any("/Annots" in p and any(a.get_object().get("/Subtype") == "/FileAttachment"
                                          for a in p["/Annots"]) for p in reader.pages)
    assert "Visible" in page_texts(pdf)[0]


def test_labels_cannot_break_out_of_the_page_styles(project: Project, tmp_path: Path) -> None:
    """The page-number label is written into the sheet's CSS: quotes, braces and a closing style
    tag in it stay text."""
    labels = project.path("labels")
    labels.mkdir()
    hostile = 'Seite {page} "} body { display: none } </style><script>x()</script> /* {pages}'
    (labels / "en.yml").write_text(yaml.safe_dump({"sheet_page": hostile}), "utf-8")
    project.edit("mkdocs.yml", "  - handbook:\n", "  - handbook:\n      labels_dir: labels\n")
    built = project.build(tmp_path / "site", pdfs=True)
    assert built.returncode == 0, built.stderr
    sheet = _sheet(tmp_path / "site", "", "coaching-cycle")
    text = squeezed(" ".join(page_texts(sheet)))
    assert squeezed('"} body { display: none } </style><script>x()</script> /*') in text
    assert squeezed("Builds a clear coaching agreement") in text  # the body is still shown


def test_without_the_engine_the_site_builds_and_says_once_that_pdfs_were_skipped(
        project: Project, tmp_path: Path) -> None:
    hide_engine = ("import sys; sys.modules['playwright'] = None; from mkdocs.__main__ import cli; "
                   "sys.argv = ['mkdocs', *sys.argv[1:]]; cli()")
    command = [sys.executable, "-c", hide_engine, "build", "--strict", "-f", str(project.path("mkdocs.yml")),
               "-d", str(tmp_path / "site")]
    env = {key: value for key, value in ENV.items() if key != "CI"} | {"HANDBOOK_PDF_DOWNLOADS": "true"}
    built = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert built.returncode == 0, built.stderr
    assert built.stderr.count("PDF downloads skipped: Playwright is not installed") == 1, built.stderr
    assert not list((tmp_path / "site").rglob("*.pdf"))
    rubric = page(tmp_path / "site", "rubrics/coaching-cycle")
    assert not rubric.select("a[href$='.pdf']")
    assert "were not built" in page(tmp_path / "site", "downloads").select_one("article").get_text()

    in_ci = subprocess.run(command, capture_output=True, text=True, env={**env, "CI": "true"}, timeout=300)
    assert in_ci.returncode == 1
    assert "PDF downloads cannot be made: Playwright is not installed" in in_ci.stderr
    assert "Traceback" not in in_ci.stderr


def test_the_readme_states_what_each_sheet_takes(site: Path) -> None:
    """The page counts the README reports are the built ones (update the table when they change)."""
    readme = (REPO / "README.md").read_text("utf-8")
    table = readme.split("### What each sheet takes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([\w-]+) \| (\w+) \| (\d+) \| (\d+) \| (\d+) \|$", table, re.MULTILINE)
    expected = {(source.stem, language) for source in RUBRIC_FILES for language in LANGUAGES}
    assert {(rubric, language) for rubric, language, *_ in rows} == expected
    for rubric, language, a4, letter, glance in rows:
        prefix = LANGUAGES[language]
        assert page_count(_sheet(site, prefix, rubric, "a4")) == int(a4), (rubric, language)
        assert page_count(_sheet(site, prefix, rubric, "letter")) == int(letter), (rubric, language)
        level = _levels(_rubric(REPO / "rubrics" / f"{rubric}.yml"))[0]
        assert page_count(_glance(site, prefix, rubric, level)) == int(glance)


def _page_number_side(pdf: Path) -> str:
    """Which half of the first page's foot the page number ("1" of "Page 1 of 2") is printed in."""
    layout = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r'<page width="([\d.]+)" height="([\d.]+)"', layout).groups())
    foot = [(float(x0) + float(x1)) / 2 for x0, y0, x1, text in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', layout)
            if text == "1" and float(y0) > height * 0.9]
    assert foot, "no page number at the foot of the page"
    return "left" if max(foot) < width / 2 else "right"


def test_the_page_margins_mirror_for_a_right_to_left_language(preceptor_site: Path) -> None:
    """The page number sits where a line ends: bottom right in German, bottom left in Arabic."""
    assert _page_number_side(_sheet(preceptor_site, "", "preceptor-practice")) == "right"
    assert _page_number_side(_sheet(preceptor_site, "ar/", "preceptor-practice")) == "left"
