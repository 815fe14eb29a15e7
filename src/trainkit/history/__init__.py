"""Stage 6, history: what git history says.

Feed SEQUENCE and LAST-MODIFIED from the commits that changed a session
(:mod:`~trainkit.history.sequence`), the semantic diff between two academies
(:mod:`~trainkit.history.semdiff`, records in
:mod:`~trainkit.history.semdiff_records`), the files a change touches
(:mod:`~trainkit.history.scope`) and one checked revision
(:mod:`~trainkit.history.revision`).
"""
