"""How far jurors agree: Krippendorff's alpha with the interval metric, per criterion, on the raw scores.

Alpha = 1 − D_o / D_e. Units are applications, values are the jurors' raw scores of one criterion; a juror who did
not score an application is simply absent from that unit (missing ratings are allowed). Only units with at least
two values are pairable; n counts their values.
- Observed disagreement D_o = (1/n) Σ_units 1/(m_u − 1) Σ_{i≠j in unit} (v_i − v_j)², m_u the unit's values.
- Expected disagreement D_e = 1/(n(n − 1)) Σ_{i≠j over all pairable values} (v_i − v_j)².
Alpha is 1 for perfect agreement and 0 when jurors agree no more than chance. It is None (undefined) when fewer
than two values are pairable or when every pairable value is the same (D_e = 0: there is no variation to agree
on). Raw scores are used rather than z-scores: agreement is about the jurors' judgements on the rubric's scale,
and z-scores would hide a juror who scores everything alike.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from koos_evaluation.domain.rubric import Rubric, Score


def krippendorff_alpha_interval(units: Iterable[Sequence[float]]) -> float | None:
    """Alpha of the values given to each unit."""
    pairable = [list(unit) for unit in units if len(unit) >= 2]
    values = [v for unit in pairable for v in unit]
    n = len(values)
    if n < 2:
        return None
    observed = sum(_squared_differences(unit) / (len(unit) - 1) for unit in pairable) / n
    expected = _squared_differences(values) / (n * (n - 1))
    return None if expected == 0 else 1 - observed / expected


def agreement_by_criterion(rubric: Rubric, scores: Iterable[Score]) -> dict[str, float | None]:
    """Alpha per criterion key, in rubric order."""
    units: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for score in scores:
        units[score.criterion_key][score.application_id].append(score.value)
    return {c.key: krippendorff_alpha_interval(units[c.key].values()) for c in rubric.criteria}


def _squared_differences(values: Sequence[float]) -> float:
    """Σ over ordered pairs i ≠ j of (v_i − v_j)², as 2(n Σv² − (Σv)²)."""
    total, squares = sum(values), sum(v * v for v in values)
    return 2 * (len(values) * squares - total * total)
