"""The one way commands change input files: round-trip YAML, re-check, atomic write.

* :mod:`~trainkit.edit.yamldoc`: edit one YAML file by path of keys (set,
  append to a list, remove), keeping comments, order, quoting and blank lines;
* :mod:`~trainkit.edit.overlay`: the academy folder with edited files over it;
* :mod:`~trainkit.edit.changes`: a set of edits, checked with the full
  pipeline, shown as a unified diff or written atomically;
* :mod:`~trainkit.edit.enrollments`: enrollments, withdrawals, transfers and
  waitlist promotions as such edits.
"""

from trainkit.edit.changes import Changes
from trainkit.edit.yamldoc import EditError, YamlDocument

__all__ = ["Changes", "EditError", "YamlDocument"]
