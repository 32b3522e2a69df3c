"""Screening: one traveller at the booth, answered with an explained decision.

The booth path, at the top of the package: ``service`` (``screen``) reads the document, finds the watchlist
candidates, scores them (``person_score``), evaluates the risk ``indicators`` over the travel ``context`` and takes
the ``decision``; ``requests`` declares what goes in and out; ``scoring_config`` reads ``screening.yaml``;
``warmup`` loads it all before the first traveller. Watchlists reach the store through ``watchlists``
(``entries``, ``ftm``).

Subpackages:

* ``candidate_index``: from a query person to the few watchlist entries worth scoring (built from the store,
  saved in the node home, kept current per process);
* ``measurement``: replaying recorded crossings and measuring the answers against a synthetic world's truth.
"""
