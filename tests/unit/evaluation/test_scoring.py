"""Scores are normalised per juror, combined by the rubric's weights and shown with their spread; a juror far from
the others on an application is flagged; agreement is Krippendorff's alpha."""

from math import sqrt
from statistics import fmean, pstdev, stdev

import pytest

from koos_evaluation.domain.agreement import agreement_by_criterion, krippendorff_alpha_interval
from koos_evaluation.domain.errors import EvaluationRefused
from koos_evaluation.domain.rubric import Artefact, Rubric, Score
from koos_evaluation.domain.scoring import standings, z_scores
from tests.unit.evaluation.scoring_builders import criterion, one_criterion, scores, single_criterion_rubric

# A harsh juror (H), a lenient one (L) and a middle one (M) score applications A–D on clarity (1–5):
#        A  B  C  D    mean  population sd   z
#   H    1  2  3  2    2     √0.5            −√2   0    √2    0
#   L    3  4  5  4    4     √0.5            −√2   0    √2    0
#   M    2  3  5  2    3     √1.5            −1/√1.5  0  2/√1.5  −1/√1.5
# Application score = mean z: A = (−2√2 − 1/√1.5)/3 ≈ −1.2150, B = 0, C = (2√2 + 2/√1.5)/3 ≈ 1.4871,
# D = −1/(3√1.5) ≈ −0.2722. Spread of A = sample sd of (−√2, −√2, −1/√1.5) ≈ 0.3451.
# Krippendorff's alpha (interval): every unit has 3 values, n = 12.
#   D_o = (1/12) Σ_u ½ Σ_{i≠j} (v_i − v_j)²: A {1,3,2} → ½·2·(4+1+1) = 6, B {2,4,3} → 6, C {3,5,5} → 8,
#         D {2,4,2} → 8; D_o = 28/12.
#   D_e = Σ_{i≠j} (v_i − v_j)² / (12·11) = 2(12·Σv² − (Σv)²)/132 = 2(12·126 − 36²)/132 = 432/132.
#   alpha = 1 − (28/12)/(432/132) = 31/108 ≈ 0.2870.
HAND = {"H": {"A": 1, "B": 2, "C": 3, "D": 2}, "L": {"A": 3, "B": 4, "C": 5, "D": 4},
        "M": {"A": 2, "B": 3, "C": 5, "D": 2}}


def test_z_scores_scores_spread_and_alpha_match_the_hand_computed_example() -> None:
    rubric = single_criterion_rubric()
    given = one_criterion(HAND)

    z = z_scores(given)
    a, b, c, d = standings(rubric, ["A", "B", "C", "D"], given)

    assert z["H", "A", "clarity"] == pytest.approx(-sqrt(2)) and z["L", "A", "clarity"] == pytest.approx(-sqrt(2))
    assert z["M", "C", "clarity"] == pytest.approx(2 / sqrt(1.5))
    assert a.score == pytest.approx((-2 * sqrt(2) - 1 / sqrt(1.5)) / 3)
    assert b.score == pytest.approx(0.0)
    assert c.score == pytest.approx((2 * sqrt(2) + 2 / sqrt(1.5)) / 3)
    assert d.score == pytest.approx(-1 / (3 * sqrt(1.5)))
    assert a.spread == pytest.approx(0.34509, abs=1e-5)
    assert agreement_by_criterion(rubric, given) == {"clarity": pytest.approx(31 / 108)}


def test_alpha_matches_krippendorffs_published_example_with_missing_ratings() -> None:
    # Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011): 4 observers, 12 units, missing values;
    # interval alpha = 0.849.
    observers = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
                 [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    units = [[v for o in observers if (v := o[u]) is not None] for u in range(12)]

    assert krippendorff_alpha_interval(units) == pytest.approx(0.849, abs=5e-4)
    assert krippendorff_alpha_interval(units) == pytest.approx(coincidence_alpha(units))


def coincidence_alpha(units: list[list[int]]) -> float:
    """Alpha the textbook way, from the coincidence matrix o_ck and the interval metric (c − k)²."""
    units = [u for u in units if len(u) > 1]
    values = sorted({v for u in units for v in u})
    o = {(c, k): sum(sum(1 for i, x in enumerate(u) for j, y in enumerate(u) if i != j and (x, y) == (c, k))
                     / (len(u) - 1) for u in units) for c in values for k in values}
    n_c = {c: sum(o[c, k] for k in values) for c in values}
    n = sum(n_c.values())
    observed = sum(o[c, k] * (c - k) ** 2 for c in values for k in values)
    expected = sum(n_c[c] * n_c[k] * (c - k) ** 2 for c in values for k in values) / (n - 1)
    return 1 - observed / expected


def test_alpha_is_undefined_without_variation_or_pairable_ratings() -> None:
    assert krippendorff_alpha_interval([[3, 3], [3, 3, 3]]) is None
    assert krippendorff_alpha_interval([[4], [2]]) is None
    assert krippendorff_alpha_interval([[1, 1], [5, 5]]) == 1.0


def test_a_harsh_jurors_favourite_beats_a_lenient_jurors_least_favourite() -> None:
    given = one_criterion({"harsh": {"favourite": 2, "shared": 1}, "lenient": {"least": 4, "shared": 5}})

    favourite, least, _ = standings(single_criterion_rubric(), ["favourite", "least", "shared"], given)

    assert favourite.score is not None and least.score is not None
    assert favourite.score > least.score


def test_a_juror_who_scores_everything_alike_or_only_once_neither_lifts_nor_lowers_anyone() -> None:
    given = one_criterion({"flat": {"A": 4, "B": 4, "C": 4}, "once": {"C": 5}})

    z = z_scores(given)

    assert {z["flat", a, "clarity"] for a in "ABC"} == {0.0}
    assert z["once", "C", "clarity"] == 0.0


def test_criteria_and_artefacts_are_combined_by_the_rubrics_weights() -> None:
    rubric = Rubric((Artefact("description", {"en": "Description"}, 3.0, (criterion("clarity"), criterion("need"))),
                     Artefact("presentation", {"en": "Presentation"}, 1.0, (criterion("delivery", 0, 10),))))
    table = {"kadri": {"A": {"clarity": 5, "need": 2, "delivery": 9}, "B": {"clarity": 1, "need": 4, "delivery": 3}},
             "jaan": {"A": {"clarity": 3, "need": 3, "delivery": 7}, "B": {"clarity": 4, "need": 2, "delivery": 8}}}

    a, b = standings(rubric, ["A", "B"], scores(table))

    shares = {"clarity": 3 / 8, "need": 3 / 8, "delivery": 1 / 4}
    for standing in (a, b):
        own = {k: fmean(zs(table, standing.application_id, k)) for k in shares}
        assert standing.score == pytest.approx(sum(own[k] * shares[k] for k in shares))
        assert standing.artefacts["description"] == pytest.approx((own["clarity"] + own["need"]) / 2)
        assert standing.artefacts["presentation"] == pytest.approx(own["delivery"])
    assert rubric.share("clarity") == pytest.approx(3 / 8) and rubric.share("delivery") == pytest.approx(1 / 4)


def zs(table: dict[str, dict[str, dict[str, int]]], application: str, key: str) -> list[float]:
    """Each juror's z for one application and criterion, straight from the table."""
    found = []
    for given in table.values():
        values = [v[key] for v in given.values()]
        spread = pstdev(values)
        found.append((given[application][key] - fmean(values)) / spread if spread else 0.0)
    return found


def test_a_juror_far_from_the_others_on_one_application_is_flagged_on_that_one_only() -> None:
    table = {"kadri": {"A": 5, "B": 4, "C": 3, "D": 2, "R": 1},
             "jaan": {"A": 5, "B": 4, "C": 3, "D": 2, "R": 1},
             "liis": {"A": 4, "B": 3, "C": 2, "D": 1, "R": 5}}

    found = [o for s in standings(single_criterion_rubric(), list("ABCDR"), one_criterion(table)) for o in s.outliers]

    (outlier,) = found
    assert (outlier.application_id, outlier.juror_id) == ("R", "liis")
    assert outlier.distance == pytest.approx(sqrt(2) - (-sqrt(2)))


def test_with_two_jurors_nobody_is_flagged_and_the_spread_is_their_standard_deviation() -> None:
    table = {"kadri": {"A": 5, "B": 1}, "jaan": {"A": 1, "B": 5}}

    a, _ = standings(single_criterion_rubric(), ["A", "B"], one_criterion(table))

    assert a.outliers == ()
    assert a.spread == pytest.approx(stdev([1.0, -1.0]))


def test_an_application_with_a_criterion_nobody_scored_has_no_score() -> None:
    rubric = Rubric((Artefact("description", {"en": "Description"}, 1.0, (criterion("clarity"), criterion("need"))),))

    (standing,) = standings(rubric, ["A"], [Score("kadri", "A", "clarity", 4)])

    assert standing.score is None and standing.missing == ("need",)


def test_a_score_outside_the_scale_or_given_twice_is_refused() -> None:
    rubric = single_criterion_rubric()

    with pytest.raises(EvaluationRefused, match="6 is outside the scale 1–5 of criterion clarity"):
        standings(rubric, ["A"], [Score("kadri", "A", "clarity", 6)])
    with pytest.raises(EvaluationRefused, match="kadri scored clarity of A twice"):
        standings(rubric, ["A"], [Score("kadri", "A", "clarity", 3), Score("kadri", "A", "clarity", 4)])
