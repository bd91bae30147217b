"""Options of the ``handbook`` MkDocs plugin (``plugins: - handbook: ...`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class HandbookConfig(base.Config):
    # Content folders, relative to the folder that holds mkdocs.yml.
    curriculum_dir = c.Type(str, default="curriculum")
    cases_dir = c.Type(str, default="cases")
    rubrics_dir = c.Type(str, default="rubrics")
    # A folder of Jinja templates that replace the package's own, file by file.
    templates_dir = c.Optional(c.Type(str))
    # A folder of label files (<language>.yml) that change or add the generator's own words.
    labels_dir = c.Optional(c.Type(str))
    # List competencies (by domain) and rubrics in the navigation after their index pages.
    # Cases are never listed one by one: the library may hold thousands, and every page
    # renders the navigation.
    nav_expand = c.Type(bool, default=True)
    # Add a content security policy to every page: only the theme's own inline scripts (by
    # hash) and the site's own files may run.
    content_security_policy = c.Type(bool, default=True)
    # Hold the HTML each page publishes (its content area) to the allowlist and fail the build
    # on anything else. Switch off only to test the content security policy on its own.
    check_published_html = c.Type(bool, default=True)
    # Allow images from other sites in content; the security policy then allows https images.
    allow_external_images = c.Type(bool, default=False)
    # Printable scoring sheets and "look-fors at a glance" as PDF downloads, printed by headless
    # Chromium at build time; a machine without it builds the site without them (and says so once).
    pdf_downloads = c.Type(bool, default=True)
    # The whole site, every language, as one archive to read from the file system
    # (downloads/handbook-offline.zip): a second build, made beside the first by `mkdocs build`.
    offline_archive = c.Type(bool, default=False)
    # The paper sizes each PDF is made in.
    pdf_paper_sizes = c.ListOfItems(c.Choice(["a4", "letter"]), default=["a4", "letter"])
    # Settings of `handbook lint`, whose findings the health page lists too: rules switched off
    # (disable) and each rule's settings, one value or one per language (rules). See the README.
    lint = c.Optional(c.Type(dict))
    # How often a competency is reviewed: the health page lists those whose last_reviewed is older.
    review_months = c.Type(int, default=12)
    # The release policy `handbook diff --check` holds changes to: which rules apply and the
    # version bump each kind of change needs, e.g. {bumps: {removal: minor}, rules: {release-notes: false}}.
    policy = c.Type(dict, default={})
