"""The acceptance test's own arithmetic of a juried selection, written from the documented rules only.

z = (x − mean) / population sd per juror and criterion (0 when the sd is 0); an application's criterion score is
the mean of its jurors' z; its score weighs each criterion by its artefact's share of all artefact weights times
its share of its artefact's criterion weights; ties (equal to 9 decimals) go by the organiser's rules in order.
A juror's combined score is their z weighted by the same shares; the farthest juror more than 1.5 from the other
jurors' mean, with three jurors or more, is an outlier. Nothing here imports Koos.
"""

from collections import defaultdict
from statistics import fmean, pstdev

# artefact → (weight, {criterion: weight})
RUBRIC = {"description": (3.0, {"clarity": 2.0, "feasibility": 1.0}), "presentation": (2.0, {"delivery": 1.0})}
Sheets = dict[tuple[str, str], dict[str, int]]
"""(juror, application) → criterion → value."""


def shares() -> dict[str, float]:
    total = sum(weight for weight, _ in RUBRIC.values())
    return {criterion: weight / total * w / sum(criteria.values())
            for weight, criteria in RUBRIC.values() for criterion, w in criteria.items()}


def z_scores(sheets: Sheets) -> dict[tuple[str, str, str], float]:
    given: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for (juror, application), sheet in sheets.items():
        for criterion, value in sheet.items():
            given[juror, criterion].append((application, value))
    z = {}
    for (juror, criterion), pairs in given.items():
        values = [v for _, v in pairs]
        mean, sd = fmean(values), pstdev(values)
        for application, value in pairs:
            z[juror, application, criterion] = (value - mean) / sd if sd else 0.0
    return z


def scores(sheets: Sheets) -> dict[str, float]:
    z, weight = z_scores(sheets), shares()
    applications = {a for _, a in sheets}
    return {a: sum(fmean(v for (j, app, c), v in z.items() if app == a and c == criterion) * share
                   for criterion, share in weight.items()) for a in applications}


def presentation(sheets: Sheets) -> dict[str, float]:
    z = z_scores(sheets)
    return {a: fmean(v for (_, app, c), v in z.items() if app == a and c == "delivery") for _, a in sheets}


def ranking(sheets: Sheets, applied_order: list[str]) -> list[str]:
    """By score, then higher presentation score, then earlier application."""
    total, shown = scores(sheets), presentation(sheets)
    return sorted(total, key=lambda a: (-round(total[a], 9), -round(shown[a], 9), applied_order.index(a)))


def outliers(sheets: Sheets) -> set[tuple[str, str]]:
    z, weight = z_scores(sheets), shares()
    combined: dict[str, dict[str, float]] = defaultdict(dict)
    for (juror, application) in sheets:
        mine = {c: v for (j, a, c), v in z.items() if j == juror and a == application}
        combined[application][juror] = sum(v * weight[c] for c, v in mine.items()) / sum(weight[c] for c in mine)
    found = set()
    for application, by_juror in combined.items():
        if len(by_juror) < 3:
            continue
        distance = {j: abs(v - fmean(o for k, o in by_juror.items() if k != j)) for j, v in by_juror.items()}
        farthest = max(distance.values())
        found |= {(application, j) for j, d in distance.items() if d > 1.5 and d == farthest}
    return found
