"""The public site: a generated MkDocs + Material project.

:mod:`trainkit.site.project` turns the academy model into a ``docs/`` tree of
plain Markdown and an ``mkdocs.yml``; :mod:`trainkit.writers.site` builds it.
Every value that comes from YAML passes through :mod:`trainkit.site.md`
before it lands in Markdown, HTML, an attribute or a URL; authored Markdown
(program descriptions, course modules, ``site-extra`` pages) is rendered as
Markdown and its HTML is cleaned by :mod:`trainkit.site.safety_hook`.
"""
