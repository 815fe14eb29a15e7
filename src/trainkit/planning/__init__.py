"""Stage 6, planning: who teaches, and where, for assignments left open.

:mod:`~trainkit.planning.demand` finds what needs assigning (a
cohort's ``lead: auto`` or ``room: auto``) and, for each, the candidates that
could take it on their own, with the reason each other one cannot;
:mod:`~trainkit.planning.solver` states the rest (no double
booking, weekly hours, one venue a day, preferences) as a CP-SAT model and
explains an infeasible one in the academy's words;
:mod:`~trainkit.planning.substitute` ranks replacements for an
instructor who cannot teach for a while. Nothing here writes files: the
``plan`` and ``substitute`` commands do, through :mod:`trainkit.edit`.
"""
