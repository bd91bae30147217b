"""``handbook lint``: each rule fires on what it is about and stays quiet otherwise, in English
and in a translation; settings per rule and per language; exit codes and output format."""

from __future__ import annotations

import re

import pytest

from conftest import Project
from handbook.cli.main import main

COMPETENCY = "curriculum/competencies/active-listening.yml"
COMPETENCY_ES = "curriculum/competencies/active-listening.es.yml"
RUBRIC = "rubrics/coaching-cycle.yml"
RUBRIC_FR = "rubrics/coaching-cycle.fr.yml"
FINDING = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): (?P<rule>[a-z]+(?:-[a-z]+)*): (?P<message>.+)$")
ALL_RULES = ["reading-ease", "sentence-length", "terms-to-avoid", "glossary-translation", "acronyms", "image-alt",
             "vague-wording", "duplicate-text"]


def lint(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, str]], str]:
    """Run ``handbook lint`` on the project: exit status, the findings as parsed, and stderr."""
    capsys.readouterr()
    status = main(["lint", "-f", str(project.path("mkdocs.yml")), *args])
    out, err = capsys.readouterr()
    lines = [line for line in out.splitlines() if line and not line.startswith("... and ")]
    parsed = [FINDING.match(line) for line in lines]
    unparsed = [line for line, match in zip(lines, parsed, strict=True) if not match]
    assert not unparsed, f"not 'path:line: rule: message': {unparsed}"
    return status, [match.groupdict() for match in parsed if match], err


def settings(project: Project, block: str) -> None:
    """Replace the lint settings in the project's mkdocs.yml with ``block`` (YAML under ``lint:``)."""
    config = project.path("mkdocs.yml").read_text("utf-8")
    start = config.index("      lint:\n")
    end = config.index("  - i18n:\n")
    indented = "".join(f"        {line}\n" for line in block.strip("\n").splitlines())
    project.path("mkdocs.yml").write_text(config[:start] + "      lint:\n" + indented + config[end:], "utf-8")


def only(*rules: str) -> str:
    """Settings that switch off every rule but ``rules``."""
    return "disable: [" + ", ".join(rule for rule in ALL_RULES if rule not in rules) + "]\n"


def set_first_item(project: Project, relative: str, after: str, text: str) -> int:
    """Make the first list item after the line ``after`` read ``text``; its line number."""
    content = project.path(relative).read_text("utf-8")
    start = content.index(after) + len(after)
    item = re.compile(r"^(\s+- )(.*)$", re.MULTILINE).search(content, start)
    assert item is not None
    project.path(relative).write_text(content[:item.start(2)] + text + content[item.end(2):], "utf-8")
    return content.count("\n", 0, item.start()) + 1


def at(findings: list[dict[str, str]], path: str, rule: str) -> list[dict[str, str]]:
    return [finding for finding in findings if finding["path"] == path and finding["rule"] == rule]


LONG = ("Writes down every single thing the coachee says during the whole of the conversation, including the "
        "small asides and the jokes and the long pauses and the questions that the coachee asks back, so that "
        "nothing at all is lost before the summary at the end of it, and then reads the whole of it back aloud.")


def test_long_sentences_are_found_in_every_language_with_a_limit_per_language(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = set_first_item(project, COMPETENCY, "  emerging:\n", LONG)
    line_es = set_first_item(project, COMPETENCY_ES, "  emerging:\n", "Anota todo lo que dice la persona coachee "
                             "durante toda la conversación, incluidos los comentarios al margen y las bromas y las "
                             "pausas largas y las preguntas que la persona coachee le devuelve, para que no se "
                             "pierda nada de nada antes del resumen que hace al final de ella, y después lo lee todo "
                             "en voz alta.")
    short = set_first_item(project, COMPETENCY, "  developing:\n", "Summarises what they heard. Then they ask.")
    settings(project, only("sentence-length") + "rules:\n  sentence-length:\n    max_words: {en: 55, es: 55}\n")

    _, findings, _ = lint(project, capsys)

    english = {f["line"]: f["message"] for f in at(findings, COMPETENCY, "sentence-length")}
    assert english[str(line)].startswith(f"a sentence of {len(LONG.split())} words (at most 55): split it — “Writes")
    assert str(short) not in english
    assert str(line_es) in [f["line"] for f in at(findings, COMPETENCY_ES, "sentence-length")]

    settings(project, only("sentence-length") + "rules:\n  sentence-length:\n    max_words: {en: 55, es: 200}\n")
    _, findings, _ = lint(project, capsys)
    assert str(line) in [f["line"] for f in at(findings, COMPETENCY, "sentence-length")]
    assert not at(findings, COMPETENCY_ES, "sentence-length")


HARD = ("Institutionalised organisational accountability necessitates comprehensive documentation, "
        "systematic verification, interdepartmental coordination, and continuous evaluation. "
        "Consequently, administrative responsibilities multiply considerably, particularly regarding "
        "confidentiality, proportionality, and procedural consistency throughout implementation. "
        "Organisational institutionalisation necessitates considerable deliberation.")
HARD_FR = ("L'institutionnalisation organisationnelle de la responsabilisation nécessite une documentation "
           "exhaustive, une vérification systématique, une coordination interdépartementale et une évaluation "
           "continue. Conséquemment, les responsabilités administratives se multiplient considérablement, "
           "particulièrement concernant la confidentialité, la proportionnalité et l'homogénéité procédurale.")


def test_hard_passages_are_found_where_textstat_measures_the_language(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("docs/lint-sample.md", f"# Sample\n\n## Hard\n\n{HARD}\n\n## Easy\n\n"
                  "We meet once a week. You bring a goal. We talk about it for half an hour. Then you try one "
                  "thing. Next week you tell me how it went. We look at what you learned and what you want "
                  "to try next.\n")
    project.write("docs/lint-sample.fr.md", f"# Exemple\n\n{HARD_FR}\n")
    settings(project, only("reading-ease") + "rules:\n  reading-ease:\n    min: {en: 30, fr: 30}\n")

    _, findings, _ = lint(project, capsys)

    english = at(findings, "docs/lint-sample.md", "reading-ease")
    assert [f["line"] for f in english] == ["5"]  # the hard section only, at its first line
    assert re.match(r"reading ease -?\d+ \(at least 30\)", english[0]["message"])
    assert [f["line"] for f in at(findings, "docs/lint-sample.fr.md", "reading-ease")] == ["3"]

    settings(project, only("reading-ease") + "rules:\n  reading-ease:\n    min: {en: -500}\n    languages: [en]\n")
    _, findings, _ = lint(project, capsys)
    assert not at(findings, "docs/lint-sample.md", "reading-ease")
    assert not at(findings, "docs/lint-sample.fr.md", "reading-ease")  # French is not checked at all now


def test_terms_to_avoid_come_from_the_glossary_with_their_alternative(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    case = next(p for p in sorted(project.path("cases").glob("*.md")) if p.name.count(".") == 1)
    relative = f"cases/{case.name}"
    text = case.read_text("utf-8")
    case.write_text(text + "\nAsk your subordinate what they would like to try.\n", "utf-8")
    line = text.count("\n") + 2
    project.write("docs/lint-sample.es.md", "# Ejemplo\n\nHabla con tu subordinate.\n")  # an English term
    settings(project, only("terms-to-avoid"))

    _, findings, _ = lint(project, capsys)

    found = at(findings, relative, "terms-to-avoid")
    assert [f["line"] for f in found] == [str(line)]
    assert "'subordinate' is a term to avoid: write 'coachee' instead" in found[0]["message"]
    assert "see the glossary, 'coachee'" in found[0]["message"]
    assert not at(findings, "docs/lint-sample.es.md", "terms-to-avoid")  # English terms in English files only


def test_a_translation_that_renders_a_term_differently_from_the_glossary(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = set_first_item(project, COMPETENCY_ES, "  developing:\n", "Describe las conductas que ha observado "
                          "en la conversación.")
    line_fr = set_first_item(project, RUBRIC_FR, "      proficient:\n", "La pièce montre une séance de "
                             "co-développement menée avec le groupe.")
    english = set_first_item(project, COMPETENCY, "  developing:\n", "Names the conductas they saw.")
    settings(project, only("glossary-translation"))

    _, findings, _ = lint(project, capsys)

    spanish = at(findings, COMPETENCY_ES, "glossary-translation")
    assert [f["line"] for f in spanish] == [str(line)]
    assert spanish[0]["message"] == ("'conductas' is not how the glossary renders 'observable behaviour' in es: "
                                     "write 'comportamientos observables'")
    french = at(findings, RUBRIC_FR, "glossary-translation")
    assert [f["line"] for f in french] == [str(line_fr)]
    assert "write 'cercle de coaching entre pairs' (une autre méthode" in french[0]["message"]
    assert not [f for f in at(findings, COMPETENCY, "glossary-translation") if f["line"] == str(english)]


def test_acronyms_are_defined_at_their_first_use_or_allowed(project: Project,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    project.write("docs/lint-sample.md", "# Sample\n\nBook the MRI scan early.\n\nThe QA team checks it.\n\n"
                  "Later, quality assurance (QA) signs it off.\n\nMagnetic resonance imaging (MRI) takes time. "
                  "The SLA (service level agreement) is short.\n")
    project.write("docs/lint-sample.es.md", "# Ejemplo\n\nEl equipo habla con la OTAN.\n\n"
                  "La resonancia magnética (RM) tarda.\n")
    settings(project, only("acronyms") + "rules:\n  acronyms:\n    allow: [HTML, JSON]\n")

    _, findings, _ = lint(project, capsys)

    english = {(f["line"], f["message"]) for f in at(findings, "docs/lint-sample.md", "acronyms")}
    assert english == {
        ("3", "'MRI' is used before it is defined on line 9: write the full name at its first use, "
              "'Full Name (MRI)'"),
        ("5", "'QA' is used before it is defined on line 7: write the full name at its first use, "
              "'Full Name (QA)'")}
    spanish = at(findings, "docs/lint-sample.es.md", "acronyms")
    assert [(f["line"], f["message"].split(" is ")[0]) for f in spanish] == [("3", "'OTAN'")]
    assert "is never defined in this file" in spanish[0]["message"]

    settings(project, only("acronyms") + "rules:\n  acronyms:\n    allow: {es: [OTAN]}\n")
    _, findings, _ = lint(project, capsys)
    assert not at(findings, "docs/lint-sample.es.md", "acronyms")
    assert at(findings, "docs/lint-sample.md", "acronyms")  # the allowed list was Spanish only


def test_images_need_alternative_text(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("docs/lint-sample.md", "# Sample\n\n![](chart.png)\n\n![A bar chart of scores](chart.png)\n\n"
                  '<img src="chart.png">\n\n<img src="chart.png" alt="Scores by level">\n')
    line = set_first_item(project, COMPETENCY_ES, "  emerging:\n", 'Muestra el gráfico <img src="chart.png" '
                          'alt=""> al equipo.')
    settings(project, only("image-alt"))

    _, findings, _ = lint(project, capsys)

    assert [f["line"] for f in at(findings, "docs/lint-sample.md", "image-alt")] == ["3", "7"]
    assert at(findings, "docs/lint-sample.md", "image-alt")[0]["message"].startswith(
        "an image without alternative text")
    assert [f["line"] for f in at(findings, COMPETENCY_ES, "image-alt")] == [str(line)]


def test_vague_behaviours_and_look_fors_in_each_language(project: Project,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    vague = set_first_item(project, COMPETENCY, "  proficient:\n", "Understands what the coachee needs.")
    adverb = set_first_item(project, RUBRIC, "      exemplary:\n", "The candidate responds calmly to the coachee.")
    fine = set_first_item(project, COMPETENCY, "  exemplary:\n", 'Reflects feelings as well as facts, and asks '
                          '"Do you know what you will try?"')
    spanish = set_first_item(project, COMPETENCY_ES, "  proficient:\n", "Comprende lo que necesita la persona "
                             "coachee.")
    settings(project, only("vague-wording") + """rules:
  vague-wording:
    verbs: {en: [understands, knows], es: [comprende]}
    adverbs: {en: [calmly, well]}
    allow: {en: [as well as]}
""")

    _, findings, _ = lint(project, capsys)

    english = {(f["line"], f["message"]) for f in at(findings, COMPETENCY, "vague-wording")}
    assert (str(vague), "'Understands' is a vague verb in a behaviour: say what the person does that someone "
                        "else could see or hear") in english
    assert not [line for line, _ in english if line == str(fine)]  # allowed phrase, quoted speech
    look_for = at(findings, RUBRIC, "vague-wording")
    assert (str(adverb), "'calmly' is an adverb standing in for evidence in a look-for: say what shows it "
                         "instead") in {(f["line"], f["message"]) for f in look_for}
    assert [f["line"] for f in at(findings, COMPETENCY_ES, "vague-wording")] == [str(spanish)]


def test_the_same_behaviour_at_two_levels_is_found(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Asks the coachee to name one thing they will try before the next meeting."
    first = set_first_item(project, COMPETENCY, "  emerging:\n", text)
    second = set_first_item(project, COMPETENCY, "  developing:\n", "  asks the Coachee to name one thing they "
                            "will try, before the next meeting!")
    other = "curriculum/competencies/goal-setting.yml"
    third = set_first_item(project, other, "  proficient:\n", text)
    spanish_text = "Pide a la persona coachee que nombre una cosa que probará."
    set_first_item(project, COMPETENCY_ES, "  emerging:\n", spanish_text)
    spanish = set_first_item(project, COMPETENCY_ES, "  exemplary:\n", spanish_text)
    settings(project, only("duplicate-text"))

    _, findings, _ = lint(project, capsys)

    assert [f["line"] for f in at(findings, COMPETENCY, "duplicate-text")] == [str(second)]
    message = at(findings, COMPETENCY, "duplicate-text")[0]["message"]
    assert message.startswith(f"the same behaviour as at level 'emerging' of 'active-listening' ({COMPETENCY}:"
                              f"{first}), here for level 'developing' of 'active-listening'")
    assert [f["line"] for f in at(findings, other, "duplicate-text")] == [str(third)]
    assert [f["line"] for f in at(findings, COMPETENCY_ES, "duplicate-text")] == [str(spanish)]


def test_findings_are_warnings_unless_strict(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("docs/lint-sample.md", "# Sample\n\n![](chart.png)\n")
    settings(project, only("image-alt"))

    status, findings, err = lint(project, capsys)
    assert status == 0 and findings
    assert re.search(r"\d+ warnings? in \d+ files?\.", err)

    status, strict_findings, err = lint(project, capsys, "--strict")
    assert status == 1 and strict_findings == findings
    assert re.search(r"\d+ errors? in \d+ files?\.", err)

    settings(project, "disable: [" + ", ".join(ALL_RULES) + "]\n")
    status, findings, err = lint(project, capsys, "--strict")
    assert (status, findings) == (0, [])
    assert "No findings" in err


def test_bad_settings_are_all_reported_with_their_place(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    settings(project, """disable: [sentence-lenght]
rules:
  sentence-length:
    max_words: long
  reading-ease:
    min: {de: 40}
    threshold: 3
  vague-wording:
    verbs: understands
""")
    config = project.path("mkdocs.yml").read_text("utf-8").splitlines()

    def line_of(text: str) -> int:
        return next(number for number, line in enumerate(config, 1) if text in line)

    status, findings, err = lint(project, capsys)

    assert status == 1 and findings == []
    assert "Traceback" not in err
    assert (f"mkdocs.yml:{line_of('disable: [sentence-lenght]')}:9: lint.disable: unknown rule 'sentence-lenght'; "
            "expected one of: reading-ease, sentence-length,") in err
    assert (f"mkdocs.yml:{line_of('max_words: long')}:13: lint.rules.sentence-length.max_words: expected a whole "
            "number of at least 1 for every language, or a mapping of language codes to it but received: 'long'") in err
    assert (f"mkdocs.yml:{line_of('min: {de: 40}')}:13: lint.rules.reading-ease.min.de: 'de' is not a language of "
            "the site; expected one of: en, es, fr") in err
    assert (f"mkdocs.yml:{line_of('threshold: 3')}:13: lint.rules.reading-ease.threshold: unknown setting of "
            "reading-ease; expected one of: min, min_words, languages") in err
    assert f"mkdocs.yml:{line_of('verbs: understands')}:13: lint.rules.vague-wording.verbs: expected a list" in err
    assert "5 problems found in the lint settings." in err


def test_invalid_content_is_reported_not_linted(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.edit(COMPETENCY, "domain: core-skills", "domain: core-skill")
    status, findings, err = lint(project, capsys)
    assert status == 1 and findings == []
    assert f"{COMPETENCY}:" in err and "unknown domain 'core-skill'" in err
