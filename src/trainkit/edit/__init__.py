"""Stage 8, edit: the one way commands change the academy's input files.

A command that changes an input file (a new record file from ``trainkit
import``, enrollments, later plans) goes through here: the new content is
checked like any commit before it is written, the write is atomic, and
nothing is overwritten without ``--force`` unless changing it is the
command's job.

* :mod:`~trainkit.edit.atomic`: one new file, whole or not at all;
* :mod:`~trainkit.edit.yamldoc`: edit one YAML file by path of keys (set,
  append to a list, remove), keeping comments, order, quoting and blank lines;
* :mod:`~trainkit.edit.overlay`: the academy folder with edited files over it;
* :mod:`~trainkit.edit.changes`: a set of edits, checked with the full
  pipeline, shown as a unified diff or written atomically;
* :mod:`~trainkit.edit.enrollments` and :mod:`~trainkit.edit.learners`:
  enrollments, withdrawals, transfers, waitlist promotions and new learners
  as such edits.
"""

from trainkit.edit.changes import Changes
from trainkit.edit.yamldoc import EditError, YamlDocument

__all__ = ["Changes", "EditError", "YamlDocument"]
