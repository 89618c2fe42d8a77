"""The selected institutions are paired with mentors: never an affiliated one, within each mentor's capacity,
preferred mentors first, loads even, and an institution left without a mentor is told why."""

from collections import Counter

from koos_evaluation.domain.affiliation import Applicant
from koos_evaluation.domain.mentoring import Mentor, Preferences, pair

SIX = [Applicant(f"app-{name}", name, name) for name in
       ("kunstimuuseum", "linnaraamatukogu", "draamateater", "kontserdimaja", "meremuuseum", "lastekirjandus")]


def mentor(mentor_id: str, *organisations: str, capacity: int = 3, declared: frozenset[str] = frozenset()) -> Mentor:
    return Mentor(mentor_id, frozenset(organisations or {"disainibüroo"}), capacity, declared)


def test_six_institutions_get_a_mentor_each_never_an_affiliated_one_and_mentors_share_them_evenly() -> None:
    mentors = [mentor("maris", "kunstimuuseum"), mentor("peeter", declared=frozenset({"draamateater"})),
               mentor("anu")]

    pairing = pair(SIX, mentors)

    assert pairing.unpaired == () and len(pairing.pairs) == 6
    assert pairing.mentor_of("app-kunstimuuseum") != "maris"
    assert pairing.mentor_of("app-draamateater") != "peeter"
    assert sorted(Counter(m for _, m in pairing.pairs).values()) == [2, 2, 2]


def test_a_preferred_mentor_is_chosen_when_free_of_conflicts_and_capacity() -> None:
    mentors = [mentor("maris"), mentor("anu")]
    for first, second in (("anu", "maris"), ("maris", "anu")):
        liked = Preferences({("app-meremuuseum", first): 3, ("app-kunstimuuseum", second): 2})

        pairing = pair(SIX, mentors, liked)

        assert pairing.mentor_of("app-meremuuseum") == first
        assert pairing.mentor_of("app-kunstimuuseum") == second


def test_a_preference_never_overrides_a_conflict_of_interest() -> None:
    mentors = [mentor("maris", "meremuuseum"), mentor("anu")]

    pairing = pair(SIX[4:5], mentors, Preferences({("app-meremuuseum", "maris"): 10}))

    assert pairing.mentor_of("app-meremuuseum") == "anu"


def test_an_institution_whose_unaffiliated_mentors_are_full_is_told_so() -> None:
    museums = [SIX[0], SIX[4]]
    mentors = [mentor("maris", "kunstimuuseum", "meremuuseum", capacity=5), mentor("anu", capacity=1)]

    pairing = pair(museums, mentors)

    assert [m for _, m in pairing.pairs] == ["anu"]
    (unpaired,) = pairing.unpaired
    assert unpaired.code == "mentors_full"
    assert unpaired.reason.startswith(f"every mentor free of conflicts with {unpaired.application_id}")


def test_an_institution_every_mentor_is_affiliated_with_is_told_so() -> None:
    pairing = pair(SIX[:1], [mentor("maris", "kunstimuuseum")])

    assert [(u.code, u.reason) for u in pairing.unpaired] == [
        ("no_eligible_mentor", "every mentor is affiliated with app-kunstimuuseum")]
