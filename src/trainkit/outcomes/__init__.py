"""Stage 5, outcomes: what the records mean.

Completion (the program's rules applied to attendance and quiz results, as of
a moment) and certificates (who holds which, until when, revoked or not).
Computed facts only: no files are read or written here.
"""
