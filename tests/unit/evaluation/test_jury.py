"""Jurors are assigned to applications: never one affiliated with the applicant, k each where possible, loads as
even as the conflicts allow, and every shortfall explained."""

from itertools import combinations, product
from random import Random

import pytest

from koos_evaluation.domain.affiliation import Applicant
from koos_evaluation.domain.errors import EvaluationRefused
from koos_evaluation.domain.jury import Juror, assign, may_score

MUSEUM = Applicant("app-museum", "kunstimuuseum", "kunstimuuseum")
LIBRARY = Applicant("app-library", "rahvaraamatukogu", "tartu-linn")


def juror(juror_id: str, *organisations: str, max_load: int = 10, declared: frozenset[str] = frozenset()) -> Juror:
    return Juror(juror_id, frozenset(organisations or {"ministeerium"}), max_load, declared)


def test_a_juror_of_the_applicants_organisation_may_not_score_it_and_is_told_why() -> None:
    verdict = may_score(juror("kadri", "kunstimuuseum", "ülikool"), MUSEUM)

    assert not verdict.allowed and verdict.code == "same_organisation"
    assert verdict.reason == "kadri belongs to kunstimuuseum, the organisation of application app-museum"
    assert may_score(juror("kadri", "kunstimuuseum"), LIBRARY).allowed


def test_a_declared_conflict_with_the_applicant_or_its_organisation_is_refused() -> None:
    with_applicant = juror("toomas", declared=frozenset({"rahvaraamatukogu"}))
    with_organisation = juror("liis", declared=frozenset({"tartu-linn"}))

    assert may_score(with_applicant, LIBRARY).code == "declared_conflict"
    assert may_score(with_organisation, LIBRARY).reason == ("liis declared a conflict of interest with tartu-linn "
                                                            "(application app-library)")
    assert may_score(with_applicant, MUSEUM).allowed


def test_an_affiliated_juror_is_never_assigned_and_everyone_else_shares_the_work() -> None:
    jurors = [juror("kadri", "kunstimuuseum"), juror("toomas"), juror("liis"), juror("jaan")]
    applications = [MUSEUM, LIBRARY, Applicant("app-teater", "teater", "teater")]

    result = assign(jurors, applications, per_application=3)

    assert "kadri" not in result.jurors_of("app-museum")
    assert all(len(set(result.jurors_of(a.application_id))) == 3 for a in applications)
    assert sorted(load for _, load in result.loads) == [2, 2, 2, 3]
    assert result.shortfalls == ()


def test_no_juror_gets_more_than_their_load_limit() -> None:
    jurors = [juror("kadri", max_load=1), juror("toomas", max_load=5), juror("liis", max_load=5)]
    applications = [Applicant(f"app-{n}", f"applicant-{n}", f"org-{n}") for n in range(4)]

    result = assign(jurors, applications, per_application=2)

    loads = dict(result.loads)
    assert loads["kadri"] == 1 and sorted([loads["toomas"], loads["liis"]]) == [3, 4]


@pytest.mark.parametrize("seed", range(6))
def test_loads_are_as_even_as_any_assignment_allows(seed: int) -> None:
    rng = Random(seed)
    applications = [Applicant(f"app-{n}", f"applicant-{n}", f"org-{n}") for n in range(4)]
    jurors = [juror(f"j{n}", *rng.sample([f"org-{m}" for m in range(4)], rng.randint(0, 2)) or ["elsewhere"])
              for n in range(5)]

    result = assign(jurors, applications, per_application=2)

    best_max, best_min = brute_force_balance(jurors, applications, 2)
    loads = [load for _, load in result.loads]
    assert (max(loads), min(loads)) == (best_max, best_min)


def brute_force_balance(jurors: list[Juror], applications: list[Applicant], k: int) -> tuple[int, int]:
    """The smallest possible largest load and the largest possible smallest load over every full assignment."""
    choices = [[c for c in combinations(jurors, k) if all(may_score(j, a).allowed for j in c)] for a in applications]
    best_max, best_min = 10**6, -1
    for chosen in product(*choices):
        loads = [sum(j in c for c in chosen) for j in jurors]
        best_max, best_min = min(best_max, max(loads)), max(best_min, min(loads))
    return best_max, best_min


def test_an_application_with_too_few_eligible_jurors_is_reported_with_the_count() -> None:
    jurors = [juror("kadri", "kunstimuuseum"), juror("toomas"), juror("liis")]

    result = assign(jurors, [MUSEUM, LIBRARY], per_application=3)

    assert result.jurors_of("app-library") == ("kadri", "toomas", "liis")
    (short,) = result.shortfalls
    assert (short.application_id, short.missing, short.code) == ("app-museum", 1, "too_few_eligible")
    assert short.reason == "application app-museum has only 2 eligible juror(s); 3 are needed"


def test_an_application_whose_eligible_jurors_are_full_is_told_so() -> None:
    jurors = [juror("kadri", max_load=1), juror("toomas", max_load=1)]

    result = assign(jurors, [MUSEUM, LIBRARY], per_application=2)

    assert len(result.pairs) == 2
    assert {s.code for s in result.shortfalls} == {"loads_full"}
    assert sum(s.missing for s in result.shortfalls) == 2


def test_a_juror_listed_twice_is_refused() -> None:
    with pytest.raises(EvaluationRefused, match="juror id is used twice"):
        assign([juror("kadri"), juror("kadri")], [MUSEUM], per_application=1)
