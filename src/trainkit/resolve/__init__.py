"""Stage 2, resolve: validated documents become the one immutable model.

Split by what is resolved: settings and competencies, people and places,
programs and cohorts (with their sessions), courses, records. Helpers every
part uses live in :mod:`trainkit.resolve.common`; holiday calendars, time
zones and durations in :mod:`trainkit.resolve.calendars`.
"""

from trainkit.resolve.academy import resolve

__all__ = ["resolve"]
