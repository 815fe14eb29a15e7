"""Stage 8, edit: the one way commands change the academy's input files.

A command that changes an input file (a new record file from ``trainkit
import``, later enrollments and plans) goes through here: the new content is
checked like any commit before it is written, the write is atomic, and
nothing is overwritten without ``--force``.
"""
