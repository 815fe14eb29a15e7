"""The public site: a generated MkDocs + Material project.

:mod:`trainkit.writers.site.project` turns the academy model into a ``docs/`` tree of
plain Markdown and an ``mkdocs.yml``; :mod:`trainkit.writers.site.writer` builds it.
Every value that comes from YAML passes through :mod:`trainkit.writers.site.md`
before it lands in Markdown, HTML, an attribute or a URL; authored Markdown
(program descriptions, course modules, ``site-extra`` pages) is rendered as
Markdown and its HTML is cleaned by :mod:`trainkit.writers.site.safety_hook`.
"""

from trainkit.writers.site.writer import write

__all__ = ["write"]
