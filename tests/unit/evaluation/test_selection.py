"""The top N are proposed from normalised scores, ties broken by the rules chosen before scoring, each with a
justification written from the figures in Estonian and English."""

from datetime import UTC, datetime, timedelta
from random import Random
from statistics import fmean, pstdev

import pytest

from koos_evaluation.domain.errors import EvaluationRefused
from koos_evaluation.domain.justification import render
from koos_evaluation.domain.rubric import Artefact, Rubric
from koos_evaluation.domain.selection import UNRESOLVED, Entry, SelectionPolicy, TieBreak, propose
from tests.unit.evaluation.scoring_builders import criterion, scores, two_artefact_rubric

OPENED = datetime(2027, 3, 1, 9, tzinfo=UTC)
POLICY = SelectionPolicy(places=2, tie_breaks=("higher_presentation_score", "earlier_application"))


def entries(*ids: str) -> list[Entry]:
    return [Entry(a, OPENED + timedelta(hours=n)) for n, a in enumerate(ids)]


def planted_tie() -> dict[str, dict[str, dict[str, int]]]:
    """P and Q tie on score: each juror's content score of P is their delivery score of Q and the other way round,
    and each juror's content and delivery scores are the same set, so their z-scores mirror exactly. Q presents
    better. R is first; S and T trail."""
    content = {"j1": (4, 3, 5, 2, 1), "j2": (5, 3, 4, 2, 1), "j3": (4, 2, 5, 3, 1)}
    table: dict[str, dict[str, dict[str, int]]] = {}
    for juror, (p, q, r, s, t) in content.items():
        table[juror] = {"P": {"content": p, "delivery": q}, "Q": {"content": q, "delivery": p},
                        "R": {"content": r, "delivery": r}, "S": {"content": s, "delivery": s},
                        "T": {"content": t, "delivery": t}}
    return table


def test_a_planted_tie_at_the_last_place_is_broken_by_the_higher_presentation_score() -> None:
    proposal = propose(two_artefact_rubric(), POLICY, entries(*"PQRST"), scores(planted_tie()))

    assert [s.application_id for s in proposal.ranking] == ["R", "Q", "P", "S", "T"]
    assert proposal.selected == ("R", "Q")
    q, p = proposal.justifications[1], proposal.justifications[2]
    assert q.tie_break == TieBreak("higher_presentation_score", "P", ahead=True)
    assert p.tie_break == TieBreak("higher_presentation_score", "Q", ahead=False)
    assert (p.rank, p.selected, p.margin) == (3, False, 0.0)


def test_a_tie_the_first_rule_cannot_break_goes_to_the_earlier_application() -> None:
    same = {"content": 4, "delivery": 3}
    table = {"j1": {"A": same, "B": same, "C": {"content": 1, "delivery": 5}},
             "j2": {"A": same, "B": same, "C": {"content": 2, "delivery": 2}}}

    later_a = [Entry("A", OPENED + timedelta(days=1)), Entry("B", OPENED), Entry("C", OPENED)]
    proposal = propose(two_artefact_rubric(), SelectionPolicy(1, POLICY.tie_breaks), later_a, scores(table))

    assert proposal.selected == ("B",)
    assert proposal.justifications[0].tie_break == TieBreak("earlier_application", "A", ahead=True)


def test_a_tie_no_rule_separates_is_left_to_the_organiser() -> None:
    same = {"content": 4, "delivery": 3}
    table = {"j1": {"A": same, "B": same, "C": {"content": 1, "delivery": 1}}}
    at_once = [Entry(a, OPENED) for a in "ABC"]

    proposal = propose(two_artefact_rubric(), SelectionPolicy(1, POLICY.tie_breaks), at_once, scores(table))

    assert proposal.justifications[0].tie_break == TieBreak(UNRESOLVED, "B", ahead=True)


def test_the_proposal_selects_the_same_top_n_as_an_independent_computation() -> None:
    rng = Random(14)
    rubric = Rubric((Artefact("description", {"en": "Description"}, 2.0, (criterion("need"), criterion("plan"))),
                     Artefact("presentation", {"en": "Presentation"}, 1.0, (criterion("delivery", 0, 10),))))
    applications = [f"inst-{n:02}" for n in range(12)]
    table = {juror: {a: {"need": rng.randint(1, 5), "plan": rng.randint(1, 5), "delivery": rng.randint(0, 10)}
                     for a in applications} for juror in ("kadri", "jaan", "liis")}

    proposal = propose(rubric, SelectionPolicy(6, ("earlier_application",)), entries(*applications), scores(table))

    shares = {"need": 2 / 3 / 2, "plan": 2 / 3 / 2, "delivery": 1 / 3}
    expected = sorted(applications, key=lambda a: -independent_score(table, a, shares))
    assert proposal.selected == tuple(expected[:6])
    seventh = independent_score(table, expected[6], shares)
    for justification in proposal.justifications[:6]:
        own = independent_score(table, justification.application_id, shares)
        assert justification.margin == pytest.approx(own - seventh)
    assert proposal.justifications[6].application_id == expected[6]


def independent_score(table: dict[str, dict[str, dict[str, int]]], application: str, shares: dict[str, float]) -> float:
    total = 0.0
    for key, share in shares.items():
        zs = []
        for given in table.values():
            values = [v[key] for v in given.values()]
            zs.append((given[application][key] - fmean(values)) / pstdev(values))
        total += share * fmean(zs)
    return total


def test_an_unknown_tie_break_rule_is_refused_before_anything_is_ranked() -> None:
    with pytest.raises(EvaluationRefused, match="unknown tie-break rule higher_budget_score"):
        propose(two_artefact_rubric(), SelectionPolicy(2, ("higher_budget_score",)), entries("A"), [])


def test_the_justification_reads_in_english_and_estonian_with_the_tie_break_named() -> None:
    rubric = two_artefact_rubric()
    proposal = propose(rubric, POLICY, entries(*"PQRST"), scores(planted_tie()))
    q = proposal.justifications[1]

    english, estonian = render(q, rubric, "en"), render(q, rubric, "et")

    assert english.startswith(f"Rank 2 of 5: selected. Normalised score {q.score:+.2f}, 0.00 ahead of P, the first "
                              "not selected. 3 jurors, spread")
    assert "the tie-break rule “higher Presentation score” placed it ahead of P." in english
    assert estonian.startswith("Koht 2/5: valitud. Normaliseeritud koondhinne " + f"{q.score:+.2f}".replace(".", ","))
    assert "viigireegel „kõrgem hinne: esitlus” seadis selle taotlusest P ettepoole." in estonian
    assert "Krippendorffi alfa" in estonian and "Krippendorff's alpha" in english


def test_an_outlier_is_named_in_the_justification() -> None:
    table = planted_tie()
    table["j3"]["R"] = {"content": 1, "delivery": 1}
    table["j3"]["T"] = {"content": 5, "delivery": 5}

    proposal = propose(two_artefact_rubric(), POLICY, entries(*"PQRST"), scores(table))
    r = next(j for j in proposal.justifications if j.application_id == "R")

    (outlier,) = r.outliers
    assert outlier.juror_id == "j3" and outlier.distance < -1.5
    assert (f"Juror j3's score is {outlier.distance:+.2f} from the other jurors' mean (flagged as an outlier)."
            in render(r, two_artefact_rubric(), "en"))
    assert "Hindaja j3 hinne erineb teiste hindajate keskmisest −" in render(r, two_artefact_rubric(), "et")
