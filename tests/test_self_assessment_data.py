"""The self-assessment's data block on rubric pages: plain data from the model, safe in its ``<script>``
element whatever the content holds, added to the final page outside the checked content, and worded in
every language of both programs (the behaviour in a browser: tests/browser/test_self_assessment.py)."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from conftest import REPO, Project, page
from handbook.render.self_assessment import figure, json_block, with_widget

LABEL_FILES = [REPO / "plugins" / "handbook" / "i18n" / "locales" / f"{lang}.yml" for lang in ("en", "es", "fr")] + [
    REPO / "tests" / "fixtures" / "programs" / "preceptor" / "labels" / f"{lang}.yml" for lang in ("de", "ar")] + [
    REPO / "tests" / "fixtures" / "rtl" / "labels" / "ar.yml"]
DATA_BLOCK = re.compile(r'<script type="application/json" id="hb-self-assessment-data">(.*?)</script>', re.DOTALL)


def sa_labels(path: Path) -> dict[str, str]:
    return {k: v for k, v in yaml.safe_load(path.read_text("utf-8")).items() if k.startswith("sa_")}


def test_every_language_has_every_self_assessment_label_with_the_same_placeholders() -> None:
    english = sa_labels(LABEL_FILES[0])
    assert len(english) >= 40
    for path in LABEL_FILES[1:]:
        labels = sa_labels(path)
        assert sorted(labels) == sorted(english), path
        for key, text in english.items():
            assert sorted(re.findall(r"\{\w+\}", labels[key])) == sorted(re.findall(r"\{\w+\}", text)), (path, key)
            if path != LABEL_FILES[0] and key not in ("sa_level_option",):
                assert labels[key] != text, f"{path.name}: {key} is not translated"


def test_the_json_block_cannot_end_its_script_element() -> None:
    data = {"text": "</script><script>alert(1)</script> & <!-- \u2028"}
    block = json_block(data)
    assert "<" not in block and ">" not in block and "&" not in block and "\u2028" not in block
    assert json.loads(block) == data


def test_figures_are_exact_decimal_strings() -> None:
    assert [figure(Fraction(v)) for v in ("2.75", "3", "0.1", "-0.5", "17/6")] == ["2.75", "3", "0.1", "-0.5",
                                                                                   "17/6"]


def test_only_pages_with_the_container_get_the_data_and_scripts() -> None:
    page_html = '<html><body><div id="self-assessment" class="hb-self-assessment"></div></body></html>'
    added = with_widget(page_html, {"rubric": "r"}, "../..", "../../assessment/")
    assert added.index('id="hb-self-assessment-data"') > added.index('id="self-assessment"')
    assert added.endswith("</body></html>")
    assert '<script src="../../assets/handbook/scoring.js" defer></script>' in added
    assert '<script src="../../assets/handbook/self-assessment.js" defer></script>' in added
    assert with_widget(page_html, None, "..") == page_html
    assert with_widget("<html><body></body></html>", {"rubric": "r"}, "..") == "<html><body></body></html>"


def _version(rubric: str) -> str:
    return yaml.safe_load((REPO / f"rubrics/{rubric}.yml").read_text("utf-8"))["version"]


def test_rubric_pages_carry_the_data_outside_the_checked_content(site: Path) -> None:
    for path in ("rubrics/coaching-cycle", "es/rubrics/coaching-culture", "fr/rubrics/coaching-cycle"):
        html = (site / path / "index.html").read_text("utf-8")
        blocks = DATA_BLOCK.findall(html)
        assert len(blocks) == 1, path
        data = json.loads(blocks[0])
        assert data["rubric"] == path.rsplit("/", 1)[1] and data["program"] == "coaching-certification"
        assert data["version"] == _version(path.rsplit("/", 1)[1]) and data["assessment_url"] == "../../assessment/"
        assert data["labels"]["title"] and all(not key.startswith("sa_") for key in data["labels"])
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select_one("article script") is None
        assert soup.select_one("article div#self-assessment.hb-self-assessment") is not None
        assert html.index("Content-Security-Policy") < html.index("hb-self-assessment-data")
    for other in ("", "competencies/active-listening", "rubrics", "assessment"):
        assert "hb-self-assessment-data" not in page(site, other).decode(), other
        assert "self-assessment.js" not in page(site, other).decode(), other
    assert (site / "assets" / "handbook" / "scoring.js").is_file()
    assert (site / "assets" / "handbook" / "self-assessment.js").is_file()


def test_look_fors_reach_the_form_as_plain_text_whatever_they_hold(project: Project, tmp_path: Path) -> None:
    hostile = "`</script><img src=x onerror=alert(1)>` and **bold** & < more"
    project.edit("rubrics/coaching-cycle.yml",
                 "        - The agreement names a topic or a problem, but no goal the coachee could check progress "
                 "against.\n",
                 f"        - \"{hostile}\"\n")
    built = project.build(tmp_path / "site")
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "site" / "rubrics" / "coaching-cycle" / "index.html").read_text("utf-8")
    data = json.loads(DATA_BLOCK.search(html)[1])
    texts = [item["text"] for group in data["criteria"][0]["look_fors"] for item in group["items"]]
    assert "</script><img src=x onerror=alert(1)> and bold & < more" in texts
    assert "</script><img" not in html.split('id="hb-self-assessment-data"', 1)[1].split("</script>", 1)[0]
