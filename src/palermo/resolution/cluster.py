"""Clustering of scored pairs into identities, under analyst judgements, and stable identity ids across runs.

Clustering is connected components built greedily: confirmed pairs first, then links from the strongest match
weight down; a union is refused when it would put two records an analyst said are different into one identity
(a cannot-link), so a rejected link or merge holds whatever other paths join the records. A union of model links
is also refused when the two groups hold records whose facts conflict (``palermo.resolution.conflicts``: clearly
different dates of birth, two numbers of one kind of document of one state in one source): a chain that would join
them is cut at its weakest link. An analyst's confirmation is not refused.

Ids are kept by overlap: each new cluster takes the id of the previous identity it shares most records with
(each old id goes to at most one cluster); an old id left without a cluster is retired, merged into the
identity that holds most of its former records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from palermo.resolution.conflicts import NO_FACTS, Facts, conflict

Pair = tuple[int, int]


def ordered(a: int, b: int) -> Pair:
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Constraints:
    """Analyst judgements in force (pairs of records that must, or must not, be one person) and each record's
    facts that can rule out another record (``conflicts.Facts``, by record id)."""

    must_link: frozenset[Pair] = frozenset()
    cannot_link: frozenset[Pair] = frozenset()
    facts: Mapping[int, Facts] = field(default_factory=dict)


@dataclass
class _Forest:
    parent: dict[int, int] = field(default_factory=dict)
    cannot: dict[int, set[int]] = field(default_factory=dict)
    facts: dict[int, Facts] = field(default_factory=dict)  # by root: the facts of every record of its group

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: int, b: int, *, check_facts: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if any(self.find(x) == rb for x in self.cannot.get(ra, ())):
            return False
        fa, fb = self.facts.get(ra, NO_FACTS), self.facts.get(rb, NO_FACTS)
        if check_facts and conflict(fa, fb) is not None:
            return False
        if len(self.cannot.get(ra, ())) < len(self.cannot.get(rb, ())):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.cannot.setdefault(ra, set()).update(self.cannot.pop(rb, set()))
        self.facts.pop(rb, None)
        if fa != NO_FACTS or fb != NO_FACTS:
            self.facts[ra] = fa.merged(fb)
        return True


def cluster(
    records: Iterable[int], links: Sequence[tuple[int, int, float]], constraints: Constraints
) -> list[list[int]]:
    """Clusters (sorted record ids, sorted by first id) of ``records`` from ``(left, right, weight)`` links."""
    forest = _Forest(facts=dict(constraints.facts))
    for a, b in constraints.cannot_link:
        forest.cannot.setdefault(a, set()).add(b)
        forest.cannot.setdefault(b, set()).add(a)
    for a, b in sorted(constraints.must_link):
        forest.union(a, b, check_facts=False)
    for a, b, _ in sorted(links, key=lambda link: (-link[2], link[0], link[1])):
        if ordered(a, b) not in constraints.cannot_link:
            forest.union(a, b)
    groups: dict[int, list[int]] = {}
    for record in sorted(set(records)):
        groups.setdefault(forest.find(record), []).append(record)
    return sorted(groups.values(), key=lambda members: members[0])


@dataclass(frozen=True)
class IdAssignment:
    """For each cluster (by index) its kept id or ``None`` (new); retired old ids with where they went."""

    kept: dict[int, int]
    retired: dict[int, int | None]


def assign_ids(clusters: Sequence[Sequence[int]], previous: Mapping[int, int]) -> IdAssignment:
    """Keep ids across runs by largest overlap with the previous membership (``record -> identity``)."""
    overlaps: list[tuple[int, int, int]] = []
    for index, members in enumerate(clusters):
        counts = Counter(previous[m] for m in members if m in previous)
        overlaps.extend((-count, old, index) for old, count in counts.items())
    kept: dict[int, int] = {}
    used: set[int] = set()
    for _, old, index in sorted(overlaps):
        if index not in kept and old not in used:
            kept[index] = old
            used.add(old)
    return IdAssignment(kept=kept, retired=_retired(clusters, previous, used))


def _retired(clusters: Sequence[Sequence[int]], previous: Mapping[int, int], used: set[int]) -> dict[int, int | None]:
    """Old ids that lost their cluster, each with the index of the cluster holding most of its records."""
    where: dict[int, Counter[int]] = {}
    for index, members in enumerate(clusters):
        for m in members:
            old = previous.get(m)
            if old is not None and old not in used:
                where.setdefault(old, Counter())[index] += 1
    gone = set(previous.values()) - used
    return {old: (where[old].most_common(1)[0][0] if old in where else None) for old in sorted(gone)}
