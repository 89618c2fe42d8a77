"""Jury assignment by min-cost flow: time, load balance, and proof that no affiliated juror was ever assigned.

A seeded random selection round: jurors belong to one of ~15 organisations (a few to two), applicants come from
the same organisations and from others, and some jurors declare conflicts with applicants. Every assigned pair is
checked against `may_score` independently of the solver.
"""

from random import Random
from statistics import mean

import typer

from benchmarks.harness import Figure, Stopwatch, console, show
from koos_evaluation.domain.affiliation import Applicant
from koos_evaluation.domain.jury import Juror, assign, may_score

app = typer.Typer(add_completion=False)


def round_of(applications: int, jurors: int, organisations: int, seed: int) -> tuple[list[Juror], list[Applicant]]:
    rng = Random(seed)
    shared = [f"org-{n}" for n in range(organisations)]
    made = [Applicant(f"app-{n}", f"applicant-{n}",
                      rng.choice(shared) if rng.random() < 0.6 else f"other-{rng.randrange(10 * organisations)}")
            for n in range(applications)]
    panel = []
    for n in range(jurors):
        own = {rng.choice(shared)} | ({rng.choice(shared)} if rng.random() < 0.2 else set())
        declared = {rng.choice(made).applicant_id for _ in range(rng.randint(0, 4))}
        panel.append(Juror(f"juror-{n}", frozenset(own), rng.randint(25, 40), frozenset(declared)))
    return panel, made


@app.command()
def main(applications: int = 300, jurors: int = 40, per_application: int = 3, organisations: int = 15,
         seed: int = 2016) -> None:
    """Assign one seeded round and print the figures."""
    panel, made = round_of(applications, jurors, organisations, seed)
    conflicts = sum(1 for j in panel for a in made if not may_score(j, a).allowed)
    result = assign(panel, made, per_application)
    checking = Stopwatch()
    by_id = {j.juror_id: j for j in panel}
    applications_of = {a.application_id: a for a in made}
    assigned_conflicts = sum(1 for a, j in result.pairs if not may_score(by_id[j], applications_of[a]).allowed)
    doubled = len(result.pairs) - len(set(result.pairs))
    loads = [load for _, load in result.loads]
    ideal = per_application * applications / jurors
    figures = [
        Figure("assignment time", result.seconds * 1000, "ms", "min-cost flow, model built and solved"),
        Figure("affiliated juror–applicant pairs", conflicts, "", f"of {applications * jurors:,} pairs"),
        Figure("juror places filled", len(result.pairs), "", f"of {per_application * applications}"),
        Figure("applications short of jurors", len(result.shortfalls), "",
               ", ".join(sorted({s.code for s in result.shortfalls})) or "none"),
        Figure("load: min", min(loads), "applications", f"ideal {ideal:.1f}"),
        Figure("load: max", max(loads), "applications", f"limits {min(j.max_load for j in panel)}–"
                                                       f"{max(j.max_load for j in panel)}"),
        Figure("load: mean", mean(loads), "applications", ""),
        Figure("conflicts assigned", assigned_conflicts, "", "every pair re-checked with may_score"),
        Figure("juror twice on one application", doubled, "", ""),
        Figure("check time", checking.seconds() * 1000, "ms", ""),
    ]
    show("Jury assignment", figures)
    for shortfall in result.shortfalls:
        console.print(f"  {shortfall.reason}")


if __name__ == "__main__":
    app()
