"""Time and peak memory of ``palermo synth`` per scale; each scale runs in its own process (peak RSS is per run).

Peer: Faker's own per-row generation of the same number of persons (name, date of birth, passport number),
the naive way to fill a synthetic register, measured side by side in a subprocess.

    python benchmarks/synth.py            # tiny, small, medium
    python benchmarks/synth.py --quick    # tiny, small
    python benchmarks/synth.py --large    # also large (~1M persons, ~10M travel events)
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

_CHILD = """
import json, resource, sys, time
from pathlib import Path
scale, seed, out, mode = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
if mode == "palermo":
    from palermo.synth.world import generate_world
    summary = generate_world(scale, seed, out)
    rows, persons = sum(summary.files.values()), summary.persons
    events = summary.files.get("sources/border_ita/travel_events.csv", 0) + summary.files.get(
        "sources/border_grc/travel_events.csv", 0) + summary.files.get("sources/border_bgr/travel_events.csv", 0)
else:
    import csv
    from faker import Faker
    from palermo.synth.scales import persons_at
    fake = Faker("it_IT"); fake.seed_instance(seed)
    persons = persons_at(scale); out.mkdir(parents=True, exist_ok=True)
    with (out / "persons.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        for i in range(persons):
            born = fake.date_of_birth().isoformat()
            writer.writerow([i, fake.first_name(), fake.last_name(), born, fake.passport_number()])
    rows, events = persons, 0
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb, "rows": rows, "persons": persons, "events": events}))
"""


def _run(scale: str, mode: str, seed: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, scale, str(seed), str(Path(folder) / "w"), mode],
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny and small only")
    parser.add_argument("--large", action="store_true", help="also the large scale (minutes, ~GBs of files)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per scale for tiny and small (median)")
    args = parser.parse_args()
    scales = ["tiny", "small"] if args.quick else ["tiny", "small", "medium"]
    if args.large:
        scales.append("large")
    results = []
    for scale in scales:
        repeats = args.repeats if scale in ("tiny", "small") else 1
        ours = [_run(scale, "palermo", 1) for _ in range(repeats)]
        peer = _run(scale, "faker", 1) if scale != "large" else None
        seconds = median(r["seconds"] for r in ours)
        entry = {
            "scale": scale, "repeats": repeats, "median_seconds": round(seconds, 2),
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in ours), 1), "persons": ours[0]["persons"],
            "travel_events": ours[0]["events"], "rows": ours[0]["rows"],
            "rows_per_second": round(ours[0]["rows"] / seconds),
        }  # fmt: skip
        if peer:
            entry["peer_faker_rows_seconds"] = round(peer["seconds"], 2)
            entry["ratio_vs_faker_per_person"] = round(seconds / peer["seconds"], 2)
        results.append(entry)
        print(json.dumps(entry), file=sys.stderr)
    report = {
        "benchmark": "synth",
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "peer": "Faker it_IT, one row per person (name, birth date, passport number), no patterns, no truth",
        "results": results,
    }
    text = json.dumps(report, indent=2)
    print(text)
    out = Path(__file__).parent / "results" / "synth.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
