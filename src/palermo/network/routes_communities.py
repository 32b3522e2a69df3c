"""The link graph's communities (``palermo.network.analysis``) as routes and hotspots use them: each traveller's
community, and the members of communities that look like trafficking networks as a flag source.

Called after the caller's ``network.read`` guard, with the actor's visibility (special-category ties only with
``victims.read``), so the communities are the ones the actor would see on the community pages. Without a built
graph there are no communities: routes and hotspots then say so instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from palermo.auth.actor import Actor
from palermo.errors import NotFound
from palermo.network.analysis import analysed
from palermo.persons.views import may_see_special


@dataclass(frozen=True)
class CommunityContext:
    """Identity key -> community label (``community:ID``), and the members of network-like communities with why."""

    community_of: dict[str, str] = field(default_factory=dict)
    network_members: dict[str, str] = field(default_factory=dict)
    note: str | None = None  # why there are none, when there are none

    def flags_with(self, chosen: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
        """The network-like communities' members and the caller's own choice (its reasons, or "chosen by the
        analyst"), as identity key -> why; the caller's reason wins for a traveller in both."""
        picked = dict(chosen) if isinstance(chosen, Mapping) else dict.fromkeys(chosen, "chosen by the analyst")
        return {**self.network_members, **picked}


def community_context(session: Session, actor: Actor) -> CommunityContext:
    """The communities of the current link graph as the actor sees it (empty, with a note, before a build)."""
    try:
        graph = analysed(session, include_special=may_see_special(actor))
    except NotFound as exc:
        return CommunityContext(note=str(exc))
    community_of: dict[str, str] = {}
    network_members: dict[str, str] = {}
    for community in graph.partition.communities:
        label = f"community:{community.id}"
        for member in community.members:
            if member.startswith(("identity:", "person:")):
                community_of[member] = label
                if community.network:
                    network_members[member] = f"member of a community that looks like a trafficking network ({label})"
    return CommunityContext(community_of, network_members)
