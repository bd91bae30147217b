"""The words the generator writes itself, in the site's language."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from handbook.sources.problems import ContentError, Problem
from handbook.sources.strict_yaml import read_yaml


class Labels(dict):
    """Label text by key; reading a key the catalogue lacks is a bug in a template, said plainly."""

    def __getattr__(self, key: str) -> str:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"no label '{key}'") from None


def load_labels(language: str, extra_dir: Path | None = None) -> Labels:
    """The package's catalogue for ``language``, overlaid with the site's own, if any. A regional
    language ("en-US", "pt_BR") starts from its base language's words, then its own."""
    labels = Labels()
    base = language.replace("_", "-").split("-")[0]
    for name in dict.fromkeys((base, language)):
        catalogue = resources.files("handbook.i18n").joinpath("locales", f"{name}.yml")
        if catalogue.is_file():
            labels.update(_read(catalogue.read_text("utf-8"), f"handbook/locales/{name}.yml"))
        if extra_dir is not None and (extra_dir / f"{name}.yml").is_file():
            path = extra_dir / f"{name}.yml"
            labels.update(_read(path.read_text("utf-8"), path.as_posix()))
    if not labels:
        raise ContentError([Problem(f"locales/{language}.yml", 1, 1, "", f"no labels for the language "
                                    f"'{language}': add a labels file with the generator's words in it")])
    return labels


def _read(text: str, source: str) -> dict[str, str]:
    located, problems = read_yaml(text, source)
    if problems:
        raise ContentError(problems)
    return dict(located.data)
