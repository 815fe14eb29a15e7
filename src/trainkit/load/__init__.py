"""Stage 1, load: read the academy's files into documents that remember positions.

Sources (a folder, a git tree), YAML with marks, the JSON Schemas, record CSVs
read column by column, and the loader that validates every document against
its schema. Nothing here knows what a cohort is; :mod:`trainkit.resolve` does.
"""
