"""Release policy: what a change between two versions of the library must come with.

The rules are the governance page's: an id goes only after an earlier release deprecated it; the
version grows by the kind of change (scoring, removal, content, wording); a version has release
notes; a deprecation names what replaces it. Each program sets which rules apply and which bump
each kind of change needs (``policy`` in the handbook plugin's options).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handbook.model.diff import CATEGORIES, CONTENT, REMOVAL, SCORING, WORDING, Change, Diff

RULES = ("deprecate-before-removal", "version-bump", "release-notes", "deprecation-replacement")
BUMPS = ("major", "minor", "patch", "none")
DEFAULT_BUMPS = {SCORING: "major", REMOVAL: "major", CONTENT: "minor", WORDING: "patch"}
# Kinds whose ids other files, links and saved answers refer to.
_REFERENCED = {"competency", "case", "rubric", "criterion", "level", "domain", "role", "case-section", "facet",
               "facet-value"}


class PolicyConfigError(ValueError):
    """The ``policy`` options are not what the rules need: the message says what to write."""


@dataclass(frozen=True)
class Policy:
    rules: frozenset[str]
    bumps: dict[str, str]

    @classmethod
    def from_options(cls, options: Any) -> Policy:
        options = options or {}
        if not isinstance(options, dict):
            raise PolicyConfigError("policy: expected a mapping such as {bumps: {wording: patch}, "
                                    "rules: {release-notes: false}}")
        unknown = set(options) - {"bumps", "rules"}
        if unknown:
            raise PolicyConfigError(f"policy: unknown option {', '.join(sorted(unknown))}; expected bumps, rules")
        bumps = dict(DEFAULT_BUMPS)
        given = options.get("bumps") or {}
        if not isinstance(given, dict):
            raise PolicyConfigError("policy.bumps: expected a mapping, e.g. {scoring: major, content: minor}")
        for category, bump in given.items():
            if category not in CATEGORIES:
                raise PolicyConfigError(f"policy.bumps: unknown kind of change '{category}'; expected one of: "
                                        f"{', '.join(CATEGORIES)}")
            if bump not in BUMPS:
                raise PolicyConfigError(f"policy.bumps.{category}: expected one of: {', '.join(BUMPS)}, "
                                        f"but received: {bump!r}")
            bumps[category] = bump
        rules = set(RULES)
        switches = options.get("rules") or {}
        if not isinstance(switches, dict):
            raise PolicyConfigError("policy.rules: expected a mapping of rule to true or false, "
                                    "e.g. {release-notes: false}")
        for rule, enabled in switches.items():
            if rule not in RULES:
                raise PolicyConfigError(f"policy.rules: unknown rule '{rule}'; expected one of: {', '.join(RULES)}")
            if not isinstance(enabled, bool):
                raise PolicyConfigError(f"policy.rules.{rule}: expected true or false, but received: {enabled!r}")
            if not enabled:
                rules.discard(rule)
        return cls(frozenset(rules), bumps)


@dataclass(frozen=True)
class Failure:
    rule: str
    item: str
    where: str
    message: str
    fix: str

    def line(self) -> str:
        return f"{self.where}: {self.rule}: {self.message} Fix: {self.fix}"

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "item": self.item, "where": self.where, "message": self.message, "fix": self.fix}


def check(diff: Diff, policy: Policy) -> list[Failure]:
    failures: list[Failure] = []
    if "deprecate-before-removal" in policy.rules:
        failures += _removals(diff)
    if "version-bump" in policy.rules:
        failures += _bump(diff, policy)
    if "release-notes" in policy.rules:
        failures += _notes(diff)
    if "deprecation-replacement" in policy.rules:
        failures += _replacements(diff)
    return failures


def version_parts(version: str) -> tuple[int, int, int] | None:
    core = version.partition("-")[0].split(".")
    return (int(core[0]), int(core[1]), int(core[2])) if len(core) == 3 and all(p.isdigit() for p in core) else None


def bump_between(old: str, new: str) -> str:
    """'major', 'minor', 'patch', 'none' or 'down'."""
    before, after = version_parts(old), version_parts(new)
    if before is None or after is None or after == before:
        return "none" if old == new or before == after else "patch"
    if after < before:
        return "down"
    return "major" if after[0] > before[0] else "minor" if after[1] > before[1] else "patch"


def next_version(old: str, bump: str) -> str:
    parts = version_parts(old) or (0, 0, 0)
    if bump == "major":
        return f"{parts[0] + 1}.0.0"
    if bump == "minor":
        return f"{parts[0]}.{parts[1] + 1}.0"
    return f"{parts[0]}.{parts[1]}.{parts[2] + 1}"


def _removals(diff: Diff) -> list[Failure]:
    failures = []
    releases = diff.head.releases_source or "the releases file"
    for change in diff.changes:
        if change.change not in ("removed", "renamed") or change.field or change.kind not in _REFERENCED:
            continue
        if change.ref in diff.base.deprecations:
            continue
        what = f"renamed to {change.renamed_to}" if change.change == "renamed" else "removed"
        replacement = change.renamed_to or "<the item that replaces it>"
        failures.append(Failure(
            "deprecate-before-removal", change.ref, change.where,
            f"{change.ref} was {what}, but no earlier release deprecated it.",
            f"keep {change.ref} in this release and deprecate it in {releases} (under the new version's "
            f"'deprecated:', item: {change.ref}, replaced_by: {replacement}, reason: ...); remove it in a later "
            "release."))
    return failures


def required_bump(diff: Diff, policy: Policy) -> tuple[str, list[Change]]:
    """The smallest bump the changes allow, and the changes that need it."""
    for bump in ("major", "minor", "patch"):
        needing = [c for c in diff.changes if policy.bumps.get(c.category) == bump]
        if needing:
            return bump, needing
    if diff.translations and policy.bumps[WORDING] != "none":  # a translation's change is one of wording
        return policy.bumps[WORDING], []
    return "none", []


_ORDER = {"none": 0, "patch": 1, "minor": 2, "major": 3}


def _bump(diff: Diff, policy: Policy) -> list[Failure]:
    needed, because = required_bump(diff, policy)
    actual = bump_between(diff.base.version, diff.head.version)
    where = f"{diff.head.version_line[0]}:{diff.head.version_line[1]}"
    if actual == "down":
        return [Failure("version-bump", "framework", where,
                        f"the version went down, from {diff.base.version} to {diff.head.version}.",
                        f"set version: \"{next_version(diff.base.version, needed if needed != 'none' else 'patch')}\" "
                        f"in {diff.head.version_line[0]}.")]
    if _ORDER[actual] >= _ORDER[needed]:
        return []
    example = because[0] if because else None
    reason = (f"{len(because)} {example.category} change{'s' if len(because) > 1 else ''} "
              f"(for example {_describe(example)})") if example else "translations changed"
    return [Failure("version-bump", "framework", where,
                    f"{reason} need{'s' if len(because) == 1 else ''} a {needed} version bump, but the version "
                    f"went from {diff.base.version} to {diff.head.version}"
                    f"{' (unchanged)' if actual == 'none' else f' (a {actual} bump)'}.",
                    f"set version: \"{next_version(diff.base.version, needed)}\" in {diff.head.version_line[0]} "
                    "and describe the release in the releases file.")]


def _describe(change: Change) -> str:
    detail = f" {change.field}" if change.field else ""
    if change.change == "moved":
        return f"{change.ref}{detail} moved from {change.from_group} to {change.to_group}"
    if change.change == "changed" and not isinstance(change.before, (str, dict, list)):
        return f"{change.ref}{detail} {change.before} → {change.after}"
    return f"{change.ref}{detail} {change.change}"


def _notes(diff: Diff) -> list[Failure]:
    head = diff.head
    if head.version == diff.base.version and not diff.changes:
        return []
    release = head.releases.get(head.version)
    notes = release.get("notes") if isinstance(release, dict) else None
    if notes:
        return []
    where = head.releases_source or f"{head.version_line[0]}:{head.version_line[1]}"
    target = head.releases_source or "curriculum/releases.yml"
    return [Failure("release-notes", "framework", where if ":" in where else f"{where}:1",
                    f"version {head.version} has no release notes.",
                    f"add under 'releases:' in {target}: \"{head.version}\": {{date: \"YYYY-MM-DD\", title: ..., "
                    "notes: [what changed, for readers and candidates]}.")]


def _replacements(diff: Diff) -> list[Failure]:
    failures = []
    for item, (replaced_by, version, where) in diff.head.deprecations.items():
        if not replaced_by:
            failures.append(Failure("deprecation-replacement", item, where,
                                    f"{item} is deprecated (in {version}) without naming its replacement.",
                                    "add replaced_by: <kind>/<id> of the item readers should use instead."))
        elif replaced_by not in diff.head.items:
            failures.append(Failure("deprecation-replacement", item, where,
                                    f"{item} is replaced by {replaced_by}, which does not exist.",
                                    "name an item of the current library in replaced_by."))
    return failures
