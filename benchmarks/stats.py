"""Information loss of a statistics release on a synthetic world (issue 24, item 5; docs/statistics.md).

The world (``palermo synth``, small, seed 7 by default) is generated; on a fresh node, every true victim of its
truth (``truth/persons.csv``, role ``victim``) gets a victim case opened through the core (``open_case``, with the
names, birth date, nationality and sex the truth holds) and an assessment recorded through the core
(``record_assessment``: sexual exploitation as ``sexual``, forced labour and forced criminality as ``labour``), as
if every victim had been found. (The demo's own replay opens too few cases for a release: a dozen in its 30 days.)
Then ``make_release`` is run, as ``palermo stats release`` runs it, at several k and suppression limits over all
five variables, and at k = 11 over fewer variables, and reported:

* microdata: cases in, suppressed, the level each variable was released at, precision loss (Sweeney's Prec), the
  share of values released as held, classes and their sizes; and, before anything is generalised, how many cases
  share their combination of the five variables with fewer than 10 others (what k = 11 must hide);
* counts: for each total epsilon, the noise of each histogram measured over ``--draws`` draws on the world's true
  counts (mean absolute error, 95th percentile of the absolute error) beside the ``error_95`` the release states,
  and the share of noisy counts that fell within it.

The cases are opened now, so every case has the same year; the border alerts' histogram is empty on this node (no
screening ran) and its noise is the same as any histogram's of its scale.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, write_result
from palermo.auth.actor import Actor, cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.demo import prepare_node, world_manifest
from palermo.node import Node
from palermo.settings import Settings
from palermo.stats.kanon import MIN_K
from palermo.stats.noisy import noisy_histogram
from palermo.stats.release import VARIABLES, StatisticsRelease, make_release
from palermo.stats.sources import victim_case_rows
from palermo.victims.assessments import AssessmentIn, record_assessment
from palermo.victims.cases import CaseIn, CaseSubject, open_case

SEED = 7
FORM_OF = {"sexual_exploitation": "sexual", "forced_labour": "labour", "forced_criminality": "labour"}
ALL = tuple(VARIABLES)
SETTINGS = [
    (ALL, MIN_K, 0.0),
    (ALL, MIN_K, 0.05),
    (ALL, MIN_K, 0.10),
    (ALL, 15, 0.05),
    (ALL, 20, 0.05),
    (ALL, 25, 0.05),
    (("age_band", "sex", "exploitation"), MIN_K, 0.05),
    (("citizenship", "sex", "exploitation"), MIN_K, 0.05),
    (("citizenship", "exploitation"), MIN_K, 0.05),
    (("citizenship",), MIN_K, 0.05),
]
EPSILONS = (0.5, 1.0, 2.0, 4.0)


def true_victims(manifest: Path) -> list[dict[str, str]]:
    with (manifest.parent / "truth" / "persons.csv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["role"] == "victim"]


def open_cases(node: Node, actor: Actor, victims: list[dict[str, str]]) -> Counter[str]:
    """A case and an assessment per true victim, through the core's guarded functions."""
    forms: Counter[str] = Counter()
    with transaction(node.engine) as session:
        for victim in victims:
            subject = CaseSubject(
                names=[f"{victim['given_names']} {victim['surname']}".strip()],
                birth_date=victim["birth_date"] or None,
                nationality=victim["nationality"] or None,
                sex=victim["sex"] if victim["sex"] in ("M", "F", "X") else None,
            )
            case = open_case(session, actor, CaseIn(subject=subject))
            form = FORM_OF.get(victim["exploitation"])
            forms[form or "not assessed"] += 1
            if form:
                record_assessment(session, actor, case.id, AssessmentIn(exploitation=form))
    return forms


def microdata_figures(made: StatisticsRelease) -> dict[str, Any]:
    data = made.microdata
    sizes = sorted(Counter(tuple(r[v] for v in data.variables) for r in data.rows).values())
    as_held = sum(g.level == 0 for g in data.generalisation) / len(data.generalisation)
    return {
        "variables": data.variables,
        "k": data.k,
        "records_in": data.records_in,
        "suppressed": data.suppressed,
        "suppressed_share": round(data.suppressed / data.records_in, 4) if data.records_in else None,
        "released_as": {g.variable: g.says for g in data.generalisation},
        "precision_loss": data.precision_loss,
        "discernibility": data.discernibility,
        "values_as_held_share": round(as_held * len(data.rows) / data.records_in, 4) if data.records_in else None,
        "classes": len(sizes),
        "class_sizes": sizes,
        "smallest_class": data.smallest_class,
        "mean_class": data.mean_class,
    }


def noise_figures(rows: list[dict[str, str]], draws: int) -> list[dict[str, Any]]:
    """Each case histogram's measured error at each total epsilon (split over four histograms as a release does)."""
    out = []
    for variable in ("exploitation", "age_band"):
        truth = Counter(r[variable] for r in rows)
        categories = sorted(truth)
        for total in EPSILONS:
            errors: list[int] = []
            stated = 0
            for _ in range(draws):
                made = noisy_histogram(
                    variable, "victim case", categories, [[r[variable]] for r in rows], epsilon=total / 4
                )
                stated = made.error_95
                errors.extend(abs(made.counts[c] - truth[c]) for c in categories)
            errors.sort()
            out.append(
                {
                    "histogram": f"victim cases by {variable}",
                    "epsilon_total": total,
                    "epsilon_histogram": total / 4,
                    "true_counts": dict(sorted(truth.items())),
                    "mean_abs_error": round(statistics.fmean(errors), 2),
                    "p95_abs_error": errors[int(0.95 * (len(errors) - 1))],
                    "stated_error_95": stated,
                    "within_stated_share": round(sum(e <= stated for e in errors) / len(errors), 4),
                }
            )
    return out


def run_world(scale: str, seed: int, draws: int) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="palermo-bench-stats-"))
    node = prepare_node(Settings(home=home), reuse=False)
    victims = true_victims(world_manifest(home, scale, seed))
    actor = cli_actor("cli:bench", node.agency_code, Justification("legal_basis", "victim_protection"))
    started = time.perf_counter()
    forms = open_cases(node, actor, victims)
    opened_seconds = time.perf_counter() - started
    with transaction(node.engine) as session:
        rows = victim_case_rows(session)
    raw = Counter(tuple(r[v] for v in VARIABLES) for r in rows)
    releases = []
    for variables, k, limit in SETTINGS:
        started = time.perf_counter()
        with transaction(node.engine) as session:
            made = make_release(session, actor, k=k, epsilon=1.0, max_suppressed=limit, variables=variables)
        figures = microdata_figures(made)
        figures.update(max_suppressed=limit, release_seconds=round(time.perf_counter() - started, 2))
        releases.append(figures)
    node.engine.dispose()
    shutil.rmtree(home, ignore_errors=True)
    return {
        "scale": scale,
        "seed": seed,
        "victims_in_truth": len(victims),
        "cases_opened": len(rows),
        "forms": dict(sorted(forms.items())),
        "cases_opened_seconds": round(opened_seconds, 1),
        "before_release": {
            "combinations": len(raw),
            "unique_cases": sum(1 for n in raw.values() if n == 1),
            "cases_in_combinations_below_11": sum(n for n in raw.values() if n < MIN_K),
            "marginals": {v: dict(Counter(r[v] for r in rows).most_common()) for v in VARIABLES},
        },
        "releases": releases,
        "noise": noise_figures(rows, draws),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--scale", action="append", help="world scale (repeat; default: small)")
    parser.add_argument("--draws", type=int, default=200, help="noise draws per histogram and epsilon")
    parser.add_argument("--name", default="stats", help="name of the results file")
    args = parser.parse_args()
    runs = [run_world(scale, args.seed, args.draws) for scale in args.scale or ["small"]]
    write_result(args.name, {"machine": machine(), "runs": runs})


if __name__ == "__main__":
    main()
