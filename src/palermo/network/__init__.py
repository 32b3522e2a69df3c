"""Networks: the link graph behind the records, its communities, key players, routes and hotspots.

The link graph joins identities (entity resolution's groups of person records; a person record that no identity
holds yet stands for itself) to what they share: phones, addresses, organisations, payers and accounts, bookings and
travel groups, vehicles, and to each other through typed relationships and payments. Every edge keeps the record it
came from (its table and id) and that record's handling, distribution and sensitivity, so that what an actor sees of
the graph is exactly what the actor may see of the records (``palermo.network.edges``, ``palermo.network.graph``).

Modules:

- ``edges``: edges derived from the store's records, one row per record and tie, with provenance and handling;
- ``build``: the full rebuild and the incremental build (records written since the last build);
- ``graph``: the edges an actor may see, as an igraph graph over identities and shared things;
- ``communities`` and ``key_players``: Leiden communities and the players who hold them together, explained;
- ``routes`` and ``hotspots``: travel flows and where flagged movements concentrate (their own modules).
"""
