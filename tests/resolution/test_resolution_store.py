"""Resolution end to end on both store backends: resolve, explain, stable ids, judgements, incremental linking."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select

from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.db.identities import IdentityLink, IdentityMember, MatchJudgement
from palermo.demo.steps.resolution import resolve_world
from palermo.errors import InvalidInput, PermissionDenied
from palermo.node import Node
from palermo.resolution import batch, incremental, judgements
from palermo.resolution.identities import get_identity, identity_of, records_of
from palermo.resolution.model_store import latest_model

pytestmark = pytest.mark.xdist_group("world-tiny-11")  # the world is ingested once per backend, on one worker

OPERATOR = cli_actor("cli:test", "test-agency", Justification("legal_basis", "criminal_investigation"))


def _largest_identity(node: Node) -> int:
    with transaction(node.engine) as session:
        rows = session.execute(select(IdentityMember.identity_id)).scalars().all()
    return max(set(rows), key=lambda i: (rows.count(i), -i))


def test_resolution_end_to_end(world_node: Node, tiny_world: Path) -> None:
    report = resolve_world(world_node, tiny_world, "cli:test")
    assert report.cluster.f1 >= 0.9
    assert latest_model(world_node.home) is not None
    identity = _largest_identity(world_node)
    with transaction(world_node.engine) as session:
        view = get_identity(session, OPERATOR, identity)
        members = records_of(session, identity)
    assert len(members) >= 2
    assert view.links
    link = view.links[0]
    assert {f.name for f in link.features} >= {"prior", "surname", "dob", "documents"}
    assert sum(f.weight for f in link.features) == pytest.approx(link.match_weight, abs=0.01)

    # a second run without retraining keeps every identity id
    batch.resolve(world_node, actor="cli:test")
    with transaction(world_node.engine) as session:
        assert records_of(session, identity) == members

    # rejecting a link splits the records apart, in this and every later clustering
    with transaction(world_node.engine) as session:
        judgements.judge_link(session, OPERATOR, members[0], members[1], "reject", "different persons")
    batch.recluster(world_node, actor="cli:test")
    batch.resolve(world_node, actor="cli:test")
    with transaction(world_node.engine) as session:
        assert identity_of(session, members[0]) != identity_of(session, members[1])
        assert session.scalars(select(MatchJudgement.actor)).all() == ["cli:test"]

    # confirming it joins them again
    with transaction(world_node.engine) as session:
        judgements.judge_link(session, OPERATOR, members[0], members[1], "confirm")
    batch.recluster(world_node, actor="cli:test")
    with transaction(world_node.engine) as session:
        assert identity_of(session, members[0]) == identity_of(session, members[1])


def test_a_new_record_joins_its_identity_without_a_rerun(world_node: Node) -> None:
    batch.resolve(world_node, actor="cli:test")
    identity = _largest_identity(world_node)
    with transaction(world_node.engine) as session:
        member = records_of(session, identity)[-1]
        session.execute(delete(IdentityLink))
        session.execute(delete(IdentityMember).where(IdentityMember.person_id == member))
    outcome = incremental.link_records(world_node, [member], actor="cli:test")[0]
    assert outcome.identity_id == identity
    assert outcome.links >= 1


def test_identities_are_personal_data(world_node: Node) -> None:
    batch.resolve(world_node, actor="cli:test")
    with transaction(world_node.engine) as session, pytest.raises(PermissionDenied):
        get_identity(session, cli_actor("cli:test", "test-agency"), 1)


def _two_identities(node: Node) -> tuple[int, int]:
    with transaction(node.engine) as session:
        ids = sorted(set(session.scalars(select(IdentityMember.identity_id))))
    return ids[0], ids[-1]


def test_merge_judgements_survive_a_full_rerun(world_node: Node) -> None:
    batch.resolve(world_node, actor="cli:test")
    left, right = _two_identities(world_node)
    with transaction(world_node.engine) as session:
        left_records, right_records = records_of(session, left), records_of(session, right)
        judgements.judge_merge(session, OPERATOR, left, right, "confirm", "same passport photo")
    batch.recluster(world_node, actor="cli:test")
    batch.resolve(world_node, actor="cli:test")  # predicts every link again, from scratch
    with transaction(world_node.engine) as session:
        merged = {identity_of(session, r) for r in left_records + right_records}
        assert len(merged) == 1
        [kept] = merged
        assert kept in (left, right)  # the id of one of them lives on
        view = get_identity(session, OPERATOR, kept)
    assert any(link.basis == "confirmed" for link in view.links)
    # the confirmed link is the only one joining the two: it holds one of them to the other on its own
    assert any(set(b.held) in ({*left_records}, {*right_records}) for b in view.cohesion.bridges)

    # the merge was recorded on the lowest record of each identity: rejecting that pair undoes it for good
    with transaction(world_node.engine) as session:
        judgements.judge_link(session, OPERATOR, left_records[0], right_records[0], "reject", "on second thought")
    batch.recluster(world_node, actor="cli:test")
    batch.resolve(world_node, actor="cli:test", retrain=True)  # a new model version changes nothing either
    with transaction(world_node.engine) as session:
        assert identity_of(session, left_records[0]) != identity_of(session, right_records[0])
        assert [identity_of(session, r) for r in left_records] == [identity_of(session, left_records[0])] * len(
            left_records
        )

    # splitting a record out of an identity keeps it apart from every record it was with, run after run
    largest = _largest_identity(world_node)
    with transaction(world_node.engine) as session:
        members = records_of(session, largest)
        view = get_identity(session, OPERATOR, largest)
        taken = (view.cohesion.held_by_one_link or (members[-1],))[0]
        rows = judgements.judge_split(session, OPERATOR, largest, taken, "a look-alike's passport")
    assert len(rows) == len(members) - 1
    batch.recluster(world_node, actor="cli:test")
    batch.resolve(world_node, actor="cli:test")
    with transaction(world_node.engine) as session:
        alone = identity_of(session, taken)
        assert all(identity_of(session, r) != alone for r in members if r != taken)
        with pytest.raises(InvalidInput):
            judgements.judge_split(session, OPERATOR, alone, members[0], None)  # not one of its records
