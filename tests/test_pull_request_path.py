"""The pull-request path: the workflow runs only documented commands with read-only rights, code
owners cover content and code, and ``handbook validate --format github`` annotates and summarises."""

from __future__ import annotations

import argparse
import html
import json
import re
import shlex
import sys
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, Project, run
from handbook.cli.github_report import MAX_SUMMARY_BYTES, escape_data, escape_property, summary
from handbook.cli.main import parser
from handbook.sources.problems import Problem, printable

WORKFLOW = REPO / ".github" / "workflows" / "pull-request.yml"
CODEOWNERS = REPO / ".github" / "CODEOWNERS"
TEMPLATE = REPO / ".github" / "pull_request_template.md"
README = (REPO / "README.md").read_text("utf-8")

CASE = "cases/warehouse-finishing-sentences.md"
AL = "curriculum/competencies/active-listening.yml"
RUBRIC = "rubrics/coaching-culture.yml"
ODD_FILE = "cases/notes,draft.yaml"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


# --- the workflow ------------------------------------------------------------------------------


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def triggers(loaded: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean true.
    on = loaded.get("on", loaded.get(True))
    return {on: None} if isinstance(on, str) else dict.fromkeys(on) if isinstance(on, list) else on


def steps(loaded: dict) -> list[dict]:
    return [step for job in loaded["jobs"].values() for step in job["steps"]]


def run_lines() -> list[str]:
    lines = [line.strip() for step in steps(workflow()) if "run" in step for line in step["run"].splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def make_targets() -> set[str]:
    makefile = (REPO / "Makefile").read_text("utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", makefile, re.MULTILINE))


def subcommands(main: argparse.ArgumentParser) -> set[str]:
    return {name for action in main._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices}


def words(line: str) -> list[str]:
    """The words of a shell line, with its operators as words of their own (``>>``, ``&&``, ``|``)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return list(lexer)


def test_every_run_line_is_a_documented_make_target_or_handbook_command() -> None:
    lines = run_lines()
    assert lines, "the workflow runs nothing"
    targets, documented = make_targets(), subcommands(parser())
    for line in lines:
        assert "${{" not in line, f"an expression is pasted into the script (pass it through env): {line}"
        assert "`" not in line and "$(" not in line, f"command substitution: {line}"
        command = words(line)
        if command[-2:] == [">>", "$GITHUB_STEP_SUMMARY"]:  # the one redirection: into the job summary
            command = command[:-2]
        assert not [word for word in command if set(word) <= set("();<>|&")], f"a shell operator in: {line}"
        if command[0] == "make":
            assert len(command) > 1, line
            for target in command[1:]:
                assert target in targets, f"'make {target}' is not a target of the Makefile"
                assert re.search(rf"`make {re.escape(target)}\b", README), f"'make {target}' is not in the README"
        else:
            assert command[0] in ("handbook", ".venv/bin/handbook"), f"not make or handbook: {line}"
            subcommand = command[1]
            assert subcommand in documented, f"'handbook {subcommand}' is not a sub-command of the CLI: {line}"
            assert re.search(rf"handbook {re.escape(subcommand)}\b", README), \
                f"'handbook {subcommand}' is not documented in the README"
            try:  # the whole line, options and all, is what the real parser accepts
                parser().parse_args(command[1:])
            except SystemExit as error:
                pytest.fail(f"the CLI refuses {line!r} (exit {error.code})")


def test_the_workflow_validates_with_annotations_diffs_tests_and_builds() -> None:
    lines = run_lines()
    assert "make validate" in lines and "make test" in lines and "make build" in lines
    assert ".venv/bin/handbook validate --format github" in lines
    assert '.venv/bin/handbook diff --check "origin/$BASE_REF" HEAD' in lines
    assert '.venv/bin/handbook diff "origin/$BASE_REF" HEAD >> "$GITHUB_STEP_SUMMARY"' in lines
    diff_steps = [step for step in steps(workflow()) if "handbook diff" in step.get("run", "")]
    assert all(step["env"] == {"BASE_REF": "${{ github.base_ref }}"} for step in diff_steps)
    assert all("github.event_name == 'pull_request'" in step["if"] for step in diff_steps)


def test_the_workflow_runs_on_pull_request_with_read_only_permissions_and_no_secrets() -> None:
    loaded = workflow()
    on = triggers(loaded)
    assert "pull_request" in on and "pull_request_target" not in on and "workflow_run" not in on
    assert on["push"] == {"branches": ["main"]}
    assert loaded["permissions"] == {"contents": "read"}
    for job in loaded["jobs"].values():
        assert job.get("permissions", {}) in ({}, {"contents": "read"}), job.get("permissions")
        assert job["runs-on"].startswith("ubuntu")
    assert "secrets." not in WORKFLOW.read_text("utf-8")


def test_actions_are_pinned_to_a_commit_and_checkout_fetches_the_history() -> None:
    used = [step for step in steps(workflow()) if "uses" in step]
    assert used
    for step in used:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"not pinned to a commit: {step['uses']}"
    checkout = next(step for step in used if step["uses"].startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert checkout["with"]["persist-credentials"] is False


# --- code owners and the template ----------------------------------------------------------------


def owner_rules() -> list[tuple[re.Pattern[str], list[str]]]:
    rules = []
    for line in CODEOWNERS.read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pattern, *owners = line.split()
        rules.append((_gitignore(pattern), owners))
    return rules


def _gitignore(pattern: str) -> re.Pattern[str]:
    """The gitignore-style patterns CODEOWNERS uses, as far as ours need: anchored with a leading
    ``/``, a folder with a trailing ``/`` (everything under it), ``*`` within one path segment."""
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    body = re.escape(pattern.strip("/")).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    folder = "/.*" if pattern.endswith("/") else "(/.*)?"
    return re.compile(("^" if anchored else "^(.*/)?") + body + folder + "$")


def owners_of(path: str) -> list[str]:
    """The owners of ``path``: the last matching line wins, as on GitHub."""
    matching = [owners for rule, owners in owner_rules() if rule.match(path)]
    assert matching, f"no CODEOWNERS line covers {path}"
    return matching[-1]


CONTENT_TEAM = {"@living-handbook/curriculum-owners", "@living-handbook/governance"}


@pytest.mark.parametrize("path", [
    "curriculum/framework.yml", "curriculum/competencies/active-listening.yml",
    "curriculum/competencies/active-listening.es.yml", "cases/warehouse-finishing-sentences.md",
    "cases/warehouse-finishing-sentences.fr.md", "rubrics/coaching-cycle.yml", "rubrics/coaching-cycle.es.yml",
])
def test_code_owners_give_content_to_the_content_teams(path: str) -> None:
    assert set(owners_of(path)) <= CONTENT_TEAM, owners_of(path)


@pytest.mark.parametrize("path", ["docs/governance.md", "docs/governance.es.md", "docs/governance.fr.md",
                                  "docs/contributing.md", "docs/contributing.es.md", "docs/contributing.fr.md"])
def test_code_owners_give_the_governance_pages_to_governance(path: str) -> None:
    assert owners_of(path) == ["@living-handbook/governance"]


@pytest.mark.parametrize("path", ["mkdocs.yml", "plugins/handbook/cli/main.py", "Makefile", ".ci/run",
                                  ".github/workflows/pull-request.yml", ".github/CODEOWNERS", "pyproject.toml",
                                  "tests/conftest.py"])
def test_code_owners_give_code_to_the_code_owners(path: str) -> None:
    assert "@living-handbook/code-owners" in owners_of(path)


def test_code_owner_teams_are_placeholders_the_file_says_to_rename() -> None:
    text = CODEOWNERS.read_text("utf-8")
    assert "rename" in text
    owners = {owner for _, line_owners in owner_rules() for owner in line_owners}
    assert owners == {"@living-handbook/code-owners", "@living-handbook/curriculum-owners",
                      "@living-handbook/governance"}


def test_the_pull_request_template_is_the_governance_checklist() -> None:
    text = TEMPLATE.read_text("utf-8")
    for expected in ("What changes and why", "Release notes", "Major", "Minor", "Patch", "replacement",
                     "Translations", "handbook validate", "handbook diff --check", "Accessibility",
                     "inclusive language"):
        assert expected in text, expected
    assert text.count("- [ ]") >= 8


# --- handbook validate --format github --------------------------------------------------------------


def break_content(project: Project) -> None:
    """More than ten problems in four files: a file name with a comma, values quoting HTML, a value
    with a line break and a comma, a field name with a comma, and two rubric rules out of reach."""
    project.write(ODD_FILE, "notes: to do\n")
    project.edit(CASE, "level: emerging", f'level: "{SCRIPT}"')
    project.edit(CASE, "roles: [frontline-supervisor]", f'roles: ["{IMG}"]')
    project.edit(AL, "domain: core-skills", 'domain: "core,\\nskills"')
    project.edit(AL, "status: active", 'status: active\n"odd,key": 1')
    project.edit(RUBRIC, "threshold: 3\n", "threshold: 5\n")
    project.edit(RUBRIC, "[psychological-safety, active-listening]\n    floor: 2.5",
                 "[psychological-safety, active-listening]\n    floor: 7")


@pytest.fixture
def reported(project: Project, tmp_path: Path) -> tuple[Project, list[dict], str, str]:
    """The broken copy, its problems (from ``--format json``), and what ``--format github`` printed
    and wrote to the job summary (which already holds an earlier step's section)."""
    break_content(project)
    problems = json.loads(project.validate("--format", "json").stdout)["problems"]
    summary = tmp_path / "step-summary.md"
    summary.write_text("## An earlier section\n", "utf-8")
    checked = run([sys.executable, "-m", "handbook.cli", "validate", "-f", str(project.path("mkdocs.yml")),
                   "--format", "github"], {"GITHUB_STEP_SUMMARY": str(summary)})
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stderr, checked.stderr
    assert len(problems) > 10, problems
    return project, problems, checked.stdout, summary.read_text("utf-8")


def test_the_first_ten_problems_are_annotations_at_their_file_and_line(reported) -> None:
    project, problems, out, _ = reported
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert len(annotations) == 10
    assert all(line.startswith("::error file=") for line in annotations)
    for line, problem in zip(annotations, problems[:10], strict=True):
        properties = dict(item.split("=", 1) for item in line[len("::error "):].split("::", 1)[0].split(","))
        assert list(properties) == ["file", "line", "col", "title"]
        assert properties["file"] == problem["path"].replace(",", "%2C")
        assert (int(properties["line"]), int(properties["col"])) == (problem["line"], problem["column"])
        assert properties["title"] == (problem["field"] or "(file)").replace(",", "%2C")
    # The rest are still in the log, one line each, and the count closes it.
    assert out.splitlines()[10:-1] == [f"{p['path']}:{p['line']}:{p['column']}: {p['field'] or '(file)'}: "
                                       f"{printable(p['message'])}" for p in problems[10:]]
    assert out.splitlines()[-1] == f"{len(problems)} problems found in the content."
    # Where they point: the line of the offending value.
    case_line = project.line_of(CASE, "level: ")
    assert any(line.startswith(f"::error file={CASE},line={case_line},col=8,title=level::") for line in annotations)
    assert annotations[0] == ("::error file=cases/notes%2Cdraft.yaml,line=1,col=1,title=(file)::unexpected file "
                              "here: content files in this folder end in .md")


def test_annotations_escape_line_breaks_commas_and_percent_signs(reported) -> None:
    project, _, out, _ = reported
    lines = out.splitlines()
    # In the message, only %, CR and LF are escaped: the comma stays, the line break cannot end the command.
    assert any(line.startswith(f"::error file={AL},line=2,col=9,title=domain::'core,%0Askills' is not valid here.")
               for line in lines)
    # In a property, the comma would end the value: it is %2C (here in a field name and in a file name).
    odd = project.line_of(AL, '"odd,key"')
    assert any(line.startswith(f"::error file={AL},line={odd},col=1,title=odd%2Ckey::unknown field;")
               for line in lines)
    assert lines[0].startswith("::error file=cases/notes%2Cdraft.yaml,")

    assert escape_data("50% done\r\n::warning::x") == "50%25 done%0D%0A::warning::x"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("\x1b[31mred") == "\\x1b[31mred"


def test_a_huge_report_stays_within_what_github_keeps_of_a_summary() -> None:
    problems = [Problem(f"cases/case-{n:03}.md", n, 1, "body", "<" * 1000) for n in range(1, 501)]
    section = summary(problems)
    assert len(section.encode("utf-8")) <= MAX_SUMMARY_BYTES  # GitHub drops a summary over 1 MiB whole
    listed = section.count("\n| ") - section.count("\n| Line ")
    assert 0 < listed < 500
    assert section.rstrip().endswith(f"... and {500 - listed} more problems (500 in all): run `handbook validate` "
                                      "to see every one.")


def summary_rows(section: str) -> dict[str, list[list[str]]]:
    """The problem rows of the summary's tables, by file, each cell as the text it shows."""
    rows: dict[str, list[list[str]]] = {}
    current = ""
    for line in section.splitlines():
        if line.startswith("### "):
            current = html.unescape(line[4:].rsplit(" (", 1)[0])
            rows[current] = []
        elif line.startswith("| ") and not line.startswith("| Line ") and current:
            cells = line.split("|")
            assert len(cells) == 6, f"a cell split a table row: {line}"
            rows[current].append([html.unescape(cell.strip()) for cell in cells[1:-1]])
    return rows


def test_the_summary_lists_every_problem_grouped_by_file(reported) -> None:
    _, problems, _, summary = reported
    assert summary.startswith("## An earlier section\n")  # appended, never replaced
    section = summary.split("## Content checks\n", 1)[1]
    files = sorted({p["path"] for p in problems})
    assert f"**{len(problems)} problems** in {len(files)} files." in section
    expected: dict[str, list[list[str]]] = {}
    for p in problems:
        expected.setdefault(p["path"], []).append([str(p["line"]), str(p["column"]), p["field"] or "(file)",
                                                   printable(p["message"])])
    assert summary_rows(section) == expected
    assert sum(len(rows) for rows in expected.values()) == len(problems) > 10


def test_content_quoted_in_the_summary_is_text_never_markup(reported) -> None:
    _, problems, _, summary = reported
    section = summary.split("## Content checks\n", 1)[1]
    assert any(SCRIPT in p["message"] for p in problems) and any(IMG in p["message"] for p in problems)
    assert "<" not in section and ">" not in section  # no HTML at all: every < and > is &#60; and &#62;
    assert "&#60;script&#62;alert&#40;1&#41;&#60;/script&#62;" in section
    rendered = BeautifulSoup(markdown.markdown(section, extensions=["tables"]), "html.parser")
    assert not rendered.find_all(["script", "img", "a", "code"])
    tds = rendered.select("td")
    assert len(tds) == 4 * len(problems) and not [td for td in tds if td.find_all(True)]  # text only
    cells = [cell.get_text() for cell in tds]
    assert any(f"unknown level '{SCRIPT}'" in cell for cell in cells)
    assert any(f"unknown role '{IMG}'" in cell for cell in cells)
    assert any(cell == "odd,key" for cell in cells)


def test_valid_content_says_so_in_the_summary(project: Project, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    checked = run([sys.executable, "-m", "handbook.cli", "validate", "-f", str(project.path("mkdocs.yml")),
                   "--format", "github"], {"GITHUB_STEP_SUMMARY": str(summary)})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "::" not in checked.stdout
    assert summary.read_text("utf-8").startswith("## Content checks\n\nContent is valid&#58; 9 competencies")


def test_without_a_summary_file_the_annotations_still_come_and_the_status_is_1(project: Project) -> None:
    break_content(project)
    checked = run([sys.executable, "-m", "handbook.cli", "validate", "-f", str(project.path("mkdocs.yml")),
                   "--format", "github"], {"GITHUB_STEP_SUMMARY": ""})
    assert checked.returncode == 1
    assert sum(line.startswith("::error ") for line in checked.stdout.splitlines()) == 10
