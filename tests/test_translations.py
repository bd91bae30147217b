"""Translated content: every page in every language, honest fallback, stale detection, coverage."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import REPO, Project, add_arabic, article_text, page
from handbook.cli.main import _AnyTagLoader

LANGUAGES = [lang for lang in next(p["i18n"] for p in yaml.load(
    (REPO / "mkdocs.yml").read_text("utf-8"), Loader=_AnyTagLoader)["plugins"]
    if isinstance(p, dict) and "i18n" in p)["languages"]]
DEFAULT = next(lang["locale"] for lang in LANGUAGES if lang.get("default"))
TRANSLATED = [lang["locale"] for lang in LANGUAGES if not lang.get("default")]
AL = "curriculum/competencies/active-listening.yml"


def labels(language: str) -> dict[str, str]:
    return yaml.safe_load((REPO / "plugins/handbook/i18n/locales" / f"{language}.yml").read_text("utf-8"))


def status(project: Project) -> dict[str, dict]:
    checked = project.validate_i18n("status", "--format", "json")
    assert checked.returncode == 0, checked.stderr
    return {report["language"]: report for report in json.loads(checked.stdout)["languages"]}


def test_every_page_exists_in_every_language_with_its_lang(site: Path) -> None:
    pages = [p.relative_to(site) for p in site.rglob("index.html")
             if p.relative_to(site).parts[0] not in TRANSLATED]
    assert len(pages) > 30
    for relative in pages:
        assert page(site, str(relative)).html["lang"] == DEFAULT
        for language in TRANSLATED:
            translated = site / language / relative
            assert translated.is_file(), f"{language}/{relative} is missing"
            assert page(site, f"{language}/{relative}").html["lang"] == language


def test_a_translated_competency_reads_in_its_language(site: Path) -> None:
    for language in TRANSLATED:
        translation = yaml.safe_load((REPO / f"curriculum/competencies/active-listening.{language}.yml").read_text())
        soup = page(site, f"{language}/competencies/active-listening")
        assert soup.select_one("article h1").get_text(strip=True).rstrip("¶") == translation["title"]
        assert soup.select_one(".translation-notice") is None
        text = article_text(soup)
        assert labels(language)["behaviours"] in text
        assert " ".join(translation["behaviours"]["developing"][0].split()) in text


def test_an_untranslated_case_falls_back_with_a_notice_and_stays_out_of_search(project: Project,
                                                                               tmp_path: Path) -> None:
    language = TRANSLATED[0]
    for translation in project.path("cases").glob(f"*.{language}.md"):
        translation.unlink()
    case = "warehouse-finishing-sentences"
    assert project.build(tmp_path / "site").returncode == 0

    soup = page(tmp_path / "site", f"{language}/cases/{case}")
    notice = soup.select_one(".admonition.translation-notice")
    assert notice is not None
    assert labels(language)["untranslated_notice"] in notice.get_text(" ")
    english_title = yaml.safe_load(project.path(f"cases/{case}.md").read_text().split("---")[1])["title"]
    assert soup.select_one("article h1").get_text(strip=True).rstrip("¶") == english_title
    index = json.loads((tmp_path / "site" / language / "search" / "search_index.json").read_text())
    assert not [doc for doc in index["docs"] if doc["location"].startswith(f"cases/{case}/")]


def test_an_untranslated_hand_written_page_falls_back_with_a_notice(project: Project, tmp_path: Path) -> None:
    language = TRANSLATED[0]
    project.path(f"docs/governance.{language}.md").unlink(missing_ok=True)
    assert project.build(tmp_path / "site").returncode == 0

    soup = page(tmp_path / "site", f"{language}/governance")
    assert soup.html["lang"] == language
    assert labels(language)["untranslated_notice"] in soup.select_one(".translation-notice").get_text(" ")
    assert soup.select_one("article h1").get_text(strip=True).rstrip("¶") == "Governance"


def test_changing_the_source_flags_translations_until_confirmed(project: Project, tmp_path: Path) -> None:
    assert all(AL not in report["stale"] for report in status(project).values())
    project.edit(AL, "Giving the coachee full attention", "Giving the coachee undivided attention")

    after_edit = status(project)
    assert all(AL in report["stale"] for report in after_edit.values())
    assert project.build(tmp_path / "site").returncode == 0
    language = TRANSLATED[0]
    notice = page(tmp_path / "site", f"{language}/competencies/active-listening").select_one(".translation-notice")
    assert labels(language)["stale_title"] in notice.get_text(" ")

    confirmed = project.validate_i18n("confirm", language, f"curriculum/competencies/active-listening.{language}.yml")
    assert confirmed.returncode == 0, confirmed.stderr
    after_confirm = status(project)
    assert AL not in after_confirm[language]["stale"]
    assert all(AL in after_confirm[other]["stale"] for other in TRANSLATED[1:])


def test_coverage_counts_only_complete_and_current_translations(project: Project) -> None:
    language = TRANSLATED[0]
    items = 1 + project.path("curriculum/releases.yml").is_file() \
        + sum(1 for _ in project.path("curriculum/competencies").glob("*.yml") if _.name.count(".") == 1) \
        + sum(1 for _ in project.path("cases").glob("*.md") if _.name.count(".") == 1) \
        + sum(1 for _ in project.path("rubrics").glob("*.yml") if _.name.count(".") == 1) \
        + sum(1 for _ in project.path("docs").rglob("*.md") if _.name.count(".") == 1)
    for translation in project.path("cases").glob(f"*.{language}.md"):
        translation.unlink()
    project.path(f"rubrics/coaching-culture.{language}.yml").unlink()
    partial = project.path(f"curriculum/competencies/inclusivity.{language}.yml")
    data = partial.read_text("utf-8")
    partial.write_text(data[: data.index("reflection_prompts:")], "utf-8")  # prompts left untranslated
    project.edit(AL, "Giving the coachee full attention", "Giving the coachee undivided attention")

    report = status(project)[language]

    cases = sum(1 for p in project.path("cases").glob("*.md") if p.name.count(".") == 1)
    missing = cases + 1
    assert len(report["missing"]) == missing
    assert report["partial"] == ["curriculum/competencies/inclusivity.yml"]
    assert report["stale"] == [AL]
    current = items - missing - 2
    assert report["coverage"] == 100 * current // items


def test_i18n_status_names_what_to_do(project: Project) -> None:
    language = TRANSLATED[0]
    project.path(f"rubrics/coaching-culture.{language}.yml").unlink()
    checked = project.validate_i18n("status")
    assert checked.returncode == 0
    assert (f"  missing  rubrics/coaching-culture.yml  (translate into rubrics/coaching-culture.{language}.yml)"
            in checked.stdout)


def test_translation_status_page_reports_every_language(site: Path) -> None:
    soup = page(site, "translations")
    summary = soup.select("article table")[0]
    rows = {row.select("td")[0].get_text(" ", strip=True): row for row in summary.select("tbody tr")}
    for language in LANGUAGES:
        if language["locale"] in TRANSLATED:
            row = next(row for name, row in rows.items() if name.startswith(language["name"]))
            assert row.select("td")[1].get_text(strip=True).endswith("%")


def test_each_language_searches_its_own_index_with_its_own_stemmer(site: Path) -> None:
    default = json.loads((site / "search/search_index.json").read_text("utf-8"))
    assert default["config"]["lang"] == [DEFAULT]
    assert not [d for d in default["docs"] if d["location"].startswith(tuple(f"{x}/" for x in TRANSLATED))]
    for language in TRANSLATED:
        index = json.loads((site / language / "search/search_index.json").read_text("utf-8"))
        assert index["config"]["lang"] == [language]
        locations = {d["location"].split("#")[0] for d in index["docs"]}
        assert "competencies/active-listening/" in locations
        config = json.loads(page(site, f"{language}/competencies/active-listening").select_one("#__config").string)
        assert config["base"].endswith(f"/{language}/")


def test_a_translation_naming_an_unknown_item_is_an_error(project: Project) -> None:
    language = TRANSLATED[0]
    project.write(f"curriculum/competencies/deep-listening.{language}.yml", "id: deep-listening\ntitle: X\n")
    checked = project.validate()
    assert checked.returncode == 1
    assert (f"curriculum/competencies/deep-listening.{language}.yml:1:5: id: no competency 'deep-listening' "
            "to translate: the source file is missing") in checked.stderr


def test_a_translation_with_a_field_that_is_not_text_is_an_error(project: Project) -> None:
    language = TRANSLATED[0]
    target = f"curriculum/competencies/active-listening.{language}.yml"
    project.edit(target, "id: active-listening\n", "id: active-listening\ndomain: core-skills\n")
    checked = project.validate()
    assert checked.returncode == 1
    assert (f"{target}:2:1: domain: unknown field; expected one of: behaviours, id, knowledge_checks, "
            "reflection_prompts, summary, title, translated_from, why_it_matters") in checked.stderr


def test_a_translation_with_a_missing_list_item_or_unknown_criterion_is_an_error(project: Project) -> None:
    language = TRANSLATED[0]
    target = f"rubrics/coaching-cycle.{language}.yml"
    project.edit(target, "  - id: shared-agreement", "  - id: shared-agreements")
    competency = f"curriculum/competencies/active-listening.{language}.yml"
    text = project.path(competency).read_text("utf-8")
    prompts = text.index("reflection_prompts:")
    first_prompt_end = text.index("\n  - ", text.index("\n  - ", prompts) + 1)
    project.path(competency).write_text(text[:text.index("\n  - ", prompts)] + text[first_prompt_end:], "utf-8")

    checked = project.validate()

    assert checked.returncode == 1
    line = project.line_of(target, "- id: shared-agreements")
    assert f"{target}:{line}:9: criteria[0].id: 'shared-agreements' is not in the source" in checked.stderr
    line = project.line_of(competency, "reflection_prompts:")
    assert (f"{competency}:{line + 1}:3: reflection_prompts: the source has 4 items here and the translation 3"
            in checked.stderr)


def test_a_translation_into_a_language_the_site_does_not_publish_is_an_error(project: Project) -> None:
    project.write("rubrics/coaching-cycle.de.yml", "id: coaching-cycle\ntitle: Portfolio\n")
    checked = project.validate()
    assert checked.returncode == 1
    assert ("rubrics/coaching-cycle.de.yml:1:1: (file): a translation into 'de', which the site does not "
            f"publish; configured translation languages: {', '.join(TRANSLATED)}") in checked.stderr


def test_a_translated_case_keeps_the_sections_of_its_source(project: Project) -> None:
    language = TRANSLATED[0]
    translated = next(project.path("cases").glob(f"*.{language}.md"))
    relative = f"cases/{translated.name}"
    text = translated.read_text("utf-8")
    translated.write_text(text.replace("{#debrief}", "{#discussion}"), "utf-8")
    checked = project.validate()
    assert checked.returncode == 1
    assert f"{relative}:" in checked.stderr and "body: " in checked.stderr


def test_a_right_to_left_language_is_one_configuration_entry_and_its_files(project: Project, tmp_path: Path) -> None:
    add_arabic(project)

    built = project.build(tmp_path / "site")

    assert built.returncode == 0, built.stderr
    soup = page(tmp_path / "site", "ar/competencies/active-listening")
    assert soup.html["lang"] == "ar"
    assert soup.body["dir"] == "rtl"
    assert soup.select_one("article h1").get_text(strip=True).rstrip("¶") == "الإصغاء الفعّال"
    assert "ترجمة جزئية" in soup.select_one(".translation-notice").get_text(" ")
    assert page(tmp_path / "site", "competencies/active-listening").body["dir"] == "ltr"


def test_a_changed_hand_written_page_flags_its_translations_until_confirmed(project: Project, tmp_path: Path) -> None:
    language = TRANSLATED[0]
    assert "docs/governance.md" not in status(project)[language]["stale"]
    project.edit("docs/governance.md", "# Governance\n", "# Governance\n\nA new opening paragraph.\n")

    assert "docs/governance.md" in status(project)[language]["stale"]
    assert project.build(tmp_path / "site").returncode == 0
    notice = page(tmp_path / "site", f"{language}/governance").select_one(".translation-notice")
    assert labels(language)["stale_title"] in notice.get_text(" ")

    confirmed = project.validate_i18n("confirm", language, f"docs/governance.{language}.md")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "docs/governance.md" not in status(project)[language]["stale"]
    front = project.path(f"docs/governance.{language}.md").read_text("utf-8").split("---")[1]
    assert "render_macros: true" in front and "translated_from:" in front


def test_the_translation_schemas_editors_use_are_derived_from_the_source_schemas() -> None:
    """VS Code maps x.<language>.yml files to these files: they must say what the checks say."""
    import json

    from handbook.checks.translation_schema import translation_schema

    for kind in ("framework", "releases", "competency", "case", "rubric"):
        shipped = json.loads((REPO / f"plugins/handbook/schemas/{kind}.translation.schema.json").read_text("utf-8"))
        assert shipped == translation_schema(kind), f"regenerate {kind}.translation.schema.json"
    settings = json.loads((REPO / ".vscode/settings.json").read_text("utf-8"))["yaml.schemas"]
    schemas = "./plugins/handbook/schemas/"
    assert settings[f"{schemas}competency.translation.schema.json"] == "curriculum/competencies/*.*.yml"
    assert "!curriculum/competencies/*.*.yml" in settings[f"{schemas}competency.schema.json"]


def test_confirming_a_translation_without_an_id_stamps_it_after_its_comments(project: Project) -> None:
    """The releases file has no id line: the stamp opens its data, and the state becomes current."""
    language = TRANSLATED[0]
    relative = f"curriculum/releases.{language}.yml"
    text = project.path(relative).read_text("utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("translated_from:"))
    project.path(relative).write_text(f"# Release notes, translated.\n{body}\n", "utf-8")
    assert "curriculum/releases.yml" in status(project)[language]["stale"]
    confirmed = project.validate_i18n("confirm", language, relative)
    assert confirmed.returncode == 0, confirmed.stderr
    lines = project.path(relative).read_text("utf-8").splitlines()
    assert lines[0] == "# Release notes, translated." and lines[1].startswith('translated_from: "')
    assert "curriculum/releases.yml" not in status(project)[language]["stale"]


def test_every_label_catalogue_has_every_word_the_generator_writes() -> None:
    """A missing label breaks a page only where that page is built; catch it in every catalogue,
    the package's and the test programs' own."""
    import yaml

    english = set(yaml.safe_load((REPO / "plugins/handbook/i18n/locales/en.yml").read_text("utf-8")))
    catalogues = [*(REPO / "plugins/handbook/i18n/locales").glob("*.yml"),
                  *(REPO / "tests/fixtures").rglob("labels/*.yml")]
    missing = {path.relative_to(REPO).as_posix(): sorted(english - set(yaml.safe_load(path.read_text("utf-8"))))
               for path in catalogues}
    assert {path: keys for path, keys in missing.items() if keys} == {}
