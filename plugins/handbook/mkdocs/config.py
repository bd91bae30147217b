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
    # Printable scoring sheets and "look-fors at a glance" as PDF downloads, made with WeasyPrint
    # at build time; a machine without it builds the site without them (and says so once).
    pdf_downloads = c.Type(bool, default=True)
    # The paper sizes each PDF is made in.
    pdf_paper_sizes = c.ListOfItems(c.Choice(["a4", "letter"]), default=["a4", "letter"])
