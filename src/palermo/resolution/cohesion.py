"""Why an identity holds together, in words: its strongest and weakest link, the comparisons that agreed and
disagreed across its links (Splink's match weight per comparison), and the records **held by one link only**.

An identity's links form a graph over its records. A link whose rejection would cut the identity in two is a
*bridge*; the records on the smaller side of a bridge (the whole side would leave with it) are held by one link only,
and an analyst checks those first. A record whose removal would leave the others in pieces is a *hinge*: the others
hang together through it. Confirmed links (an analyst's must-link) count as links but are never the weakest: the
analyst already checked them. Only the records and links the reader may see enter the graph; records it leaves
unconnected are named (their link runs through a record that is not shown).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from palermo.explanation import Feature
from palermo.resolution.link_features import PRIOR, comparison_label

Edge = tuple[int, int]


class Evidence(BaseModel):
    """One comparison of a link, briefly: its label, the level reached, its match weight."""

    model_config = ConfigDict(frozen=True)

    comparison: str
    label: str
    detail: str
    weight: float


class LinkSummary(BaseModel):
    """A link, with the comparisons that agreed (weight > 0) and disagreed (weight < 0), strongest first."""

    model_config = ConfigDict(frozen=True)

    left_person_id: int
    right_person_id: int
    match_weight: float
    basis: str
    agreed: tuple[Evidence, ...]
    disagreed: tuple[Evidence, ...]
    words: str


class ComparisonTally(BaseModel):
    """How one comparison came out over the identity's links."""

    model_config = ConfigDict(frozen=True)

    comparison: str
    label: str
    agreed: int
    disagreed: int
    neutral: int  # no evidence either way, or missing on a record


class Bridge(BaseModel):
    """A link holding records to the identity on its own: rejecting it takes ``held`` out."""

    model_config = ConfigDict(frozen=True)

    left_person_id: int
    right_person_id: int
    match_weight: float
    held: tuple[int, ...]
    words: str


class Cohesion(BaseModel):
    """Why the records of an identity are one person, and where the identity is weakest."""

    model_config = ConfigDict(frozen=True)

    words: str
    strongest: LinkSummary | None
    weakest: LinkSummary | None
    comparisons: tuple[ComparisonTally, ...]
    bridges: tuple[Bridge, ...]
    held_by_one_link: tuple[int, ...]  # records to check first, ascending
    hinges: tuple[int, ...]  # records the others hang together through, ascending
    unconnected: tuple[int, ...]  # records shown without a link the reader may see to the rest


class Link(BaseModel):
    """What cohesion reads of a link (``identities.LinkView`` has these fields)."""

    model_config = ConfigDict(frozen=True)

    left_person_id: int
    right_person_id: int
    match_weight: float
    basis: str
    features: tuple[Feature, ...]


def _evidence(f: Feature) -> Evidence:
    return Evidence(comparison=f.id, label=comparison_label(f.id), detail=f.detail, weight=f.weight)


def _listed(items: Sequence[Evidence]) -> str:
    return ", ".join(f"{e.label.lower()} ({e.detail}, {e.weight:+.1f})" for e in items) or "nothing"


def summarise(link: Link) -> LinkSummary:
    """A link with its agreeing and disagreeing comparisons, in words."""
    compared = [f for f in link.features if f.id != PRIOR and f.value >= 0]
    agreed = tuple(_evidence(f) for f in sorted(compared, key=lambda f: -f.weight) if f.weight > 0)
    disagreed = tuple(_evidence(f) for f in sorted(compared, key=lambda f: f.weight) if f.weight < 0)
    pair = f"#{link.left_person_id} and #{link.right_person_id}"
    if link.basis == "confirmed":
        head = f"{pair}: confirmed by an analyst (match weight {link.match_weight:+.1f})"
    else:
        head = f"{pair}: match weight {link.match_weight:+.1f}"
    words = f"{head}; agreed on {_listed(agreed)}; disagreed on {_listed(disagreed)}"
    return LinkSummary(
        left_person_id=link.left_person_id,
        right_person_id=link.right_person_id,
        match_weight=link.match_weight,
        basis=link.basis,
        agreed=agreed,
        disagreed=disagreed,
        words=words,
    )


def _tallies(links: Sequence[Link]) -> tuple[ComparisonTally, ...]:
    counts: dict[str, list[int]] = {}
    for link in links:
        for f in link.features:
            if f.id == PRIOR:
                continue
            slot = counts.setdefault(f.id, [0, 0, 0])
            slot[0 if f.value >= 0 and f.weight > 0 else 1 if f.value >= 0 and f.weight < 0 else 2] += 1
    return tuple(
        ComparisonTally(comparison=c, label=comparison_label(c), agreed=a, disagreed=d, neutral=n)
        for c, (a, d, n) in counts.items()
    )


def _adjacency(records: Iterable[int], edges: Iterable[Edge]) -> dict[int, list[int]]:
    graph: dict[int, list[int]] = {r: [] for r in records}
    for a, b in edges:
        if a in graph and b in graph and a != b and b not in graph[a]:
            graph[a].append(b)
            graph[b].append(a)
    return graph


def _component(graph: dict[int, list[int]], start: int, cut: Edge | None = None) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        for other in graph[node]:
            if other not in seen and {node, other} != set(cut or ()):
                seen.add(other)
                stack.append(other)
    return seen


def _largest_component(graph: dict[int, list[int]]) -> set[int]:
    largest: set[int] = set()
    left = set(graph)
    while left:
        found = _component(graph, min(left))
        left -= found
        if len(found) > len(largest):
            largest = found
    return largest


def bridges_and_hinges(graph: dict[int, list[int]]) -> tuple[list[Edge], set[int]]:
    """The bridges and articulation points of an undirected graph (Tarjan's low-link, iterative)."""
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    bridges: list[Edge] = []
    hinges: set[int] = set()
    for root in sorted(graph):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        children = 0
        stack: list[tuple[int, int | None, int]] = [(root, None, 0)]
        while stack:
            node, parent, i = stack[-1]
            if i < len(graph[node]):
                stack[-1] = (node, parent, i + 1)
                other = graph[node][i]
                if other == parent:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = len(order)
                    children += node == root
                    stack.append((other, node, 0))
                continue
            stack.pop()
            if parent is None:
                continue
            low[parent] = min(low[parent], low[node])
            if low[node] > order[parent]:
                bridges.append((min(parent, node), max(parent, node)))
            if low[node] >= order[parent] and parent != root:
                hinges.add(parent)
        if children > 1:
            hinges.add(root)
    return bridges, hinges


def _bridge(graph: dict[int, list[int]], edge: Edge, weight: float) -> Bridge:
    side = _component(graph, edge[0], cut=edge)
    other = _component(graph, edge[1], cut=edge)
    smaller = side if (len(side), -min(side)) < (len(other), -min(other)) else other
    held = tuple(sorted(smaller))
    names = ", ".join(f"#{r}" for r in held)
    words = f"only the link #{edge[0]}-#{edge[1]} (match weight {weight:+.1f}) holds {names} to the others"
    return Bridge(left_person_id=edge[0], right_person_id=edge[1], match_weight=weight, held=held, words=words)


def _words(
    records: int,
    links: int,
    strongest: LinkSummary | None,
    weakest: LinkSummary | None,
    bridges: Sequence[Bridge],
    unconnected: Sequence[int],
) -> str:
    if records < 2:
        return "One record: nothing to hold together."
    parts = [f"{records} records held together by {links} link{'s' if links != 1 else ''}."]
    if strongest is not None:
        parts.append(f"Strongest link {strongest.words}.")
    if weakest is not None and weakest != strongest:
        parts.append(f"Weakest link {weakest.words}.")
    held = sorted({r for b in bridges for r in b.held})
    if held:
        names = ", ".join(f"#{r}" for r in held)
        parts.append(f"Held by one link only, check first: {names}.")
    elif links:
        parts.append("Every record is held by at least two links.")
    if unconnected:
        names = ", ".join(f"#{r}" for r in unconnected)
        parts.append(f"Linked to the others only through records not shown: {names}.")
    return " ".join(parts)


def cohesion(records: Sequence[int], links: Sequence[Link]) -> Cohesion:
    """Why ``records`` (the ones shown) hold together through ``links`` (those between records shown)."""
    graph = _adjacency(records, ((link.left_person_id, link.right_person_id) for link in links))
    weights = {
        (min(lk.left_person_id, lk.right_person_id), max(lk.left_person_id, lk.right_person_id)): lk.match_weight
        for lk in links
    }
    by_weight = sorted(links, key=lambda lk: (-lk.match_weight, lk.left_person_id, lk.right_person_id))
    model = [lk for lk in by_weight if lk.basis != "confirmed"]
    strongest = summarise(by_weight[0]) if by_weight else None
    weakest = summarise(model[-1]) if model else None
    edges, hinge_set = bridges_and_hinges(graph)
    bridges = tuple(_bridge(graph, edge, weights[edge]) for edge in sorted(edges, key=lambda e: weights[e]))
    unconnected = tuple(sorted(set(graph) - _largest_component(graph)))
    return Cohesion(
        words=_words(len(graph), len(weights), strongest, weakest, bridges, unconnected),
        strongest=strongest,
        weakest=weakest,
        comparisons=_tallies(links),
        bridges=bridges,
        held_by_one_link=tuple(sorted({r for b in bridges for r in b.held})),
        hinges=tuple(sorted(hinge_set)),
        unconnected=unconnected,
    )
