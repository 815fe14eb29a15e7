"""Skills: who holds which competency level, until when, and what each role still needs.

* :mod:`.evidence`: the evidence behind every competency level a learner holds
  (completions, passed quizzes and courses, external records), dated and with
  its expiry;
* :mod:`.gaps`: roles flattened through ``extends``, and each learner's
  standing against each requirement of each of their roles.
"""
