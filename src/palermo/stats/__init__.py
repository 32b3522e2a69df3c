"""Anonymised statistics for researchers and policy: releases that never contain raw records (docs/statistics.md).

Modules: ``hierarchies`` (the generalisation hierarchy of each released variable), ``kanon`` (k-anonymity by
full-domain generalisation and suppression, with its check and its information loss), ``noisy`` (differentially
private counts with OpenDP), ``sources`` (the rows a release is made from: victim cases, the indicators border
alerts fired per traveller), ``release`` (a release as the node hands it out).
"""
