"""Stage 9, notify: e-mails that tell people what changed and what is due.

A notification is built once as a :class:`~trainkit.notify.notice.Notice`
(who, why, about which session), rendered through Jinja templates
(:mod:`~trainkit.notify.templates`) into one RFC 5322 message with an iTIP
calendar part (:mod:`~trainkit.notify.compose`, :mod:`~trainkit.notify.itip`),
and handed to a backend (:mod:`~trainkit.notify.backends`: outbox files,
SMTP, memory). The ledger (:mod:`~trainkit.notify.ledger`) records what was
sent, so every run is idempotent. Notices come from a change between two
revisions (:mod:`~trainkit.notify.changes`) or from time passing
(:mod:`~trainkit.notify.due`); :mod:`~trainkit.notify.deliver` runs them.
"""
