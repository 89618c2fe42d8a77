"""A proposal's justification as text an organiser can read and pass on, in Estonian or English.

Written from the figures alone (`selection.Justification`): rank and outcome, normalised score and margin, jurors
and spread, the tie-break that placed the application if its score tied, flagged outliers, and the jurors'
agreement per criterion. Titles of criteria and artefacts come from the rubric in the same language (English, then
the key, when a title is missing). Numbers use a decimal comma in Estonian.
"""

from collections.abc import Mapping

from koos_evaluation.domain.rubric import Rubric
from koos_evaluation.domain.selection import UNRESOLVED, Justification, TieBreak

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "selected": "Rank {rank} of {ranked}: selected.",
        "not_selected": "Rank {rank} of {ranked}: first not selected.",
        "score": "Normalised score {score}",
        "ahead": ", {margin} ahead of {other}, the first not selected.",
        "behind": ", {margin} behind {other}, the last selected.",
        "jurors": "{jurors} jurors, spread {spread}.",
        "one_juror": "One juror, so no spread.",
        "tie": "Its score ties with {other}'s; the tie-break rule “{rule}” placed it {side} {other}.",
        "unresolved": "Its score ties with {other}'s and no tie-break rule tells them apart: the organiser decides.",
        "side_ahead": "ahead of",
        "side_behind": "behind",
        "outlier": "Juror {juror}'s score is {distance} from the other jurors' mean (flagged as an outlier).",
        "agreement": "Jurors' agreement (Krippendorff's alpha) by criterion: {values}.",
        "undefined": "not defined",
        "earlier_application": "earlier application",
        "lower_spread": "lower spread of the jurors' scores",
        "higher": "higher {title} score",
    },
    "et": {
        "selected": "Koht {rank}/{ranked}: valitud.",
        "not_selected": "Koht {rank}/{ranked}: esimene valimata.",
        "score": "Normaliseeritud koondhinne {score}",
        "ahead": ", {margin} võrra eespool esimesest valimata taotlusest {other}.",
        "behind": ", {margin} võrra tagapool viimasest valitud taotlusest {other}.",
        "jurors": "Hindajaid {jurors}, hinnete hajuvus {spread}.",
        "one_juror": "Üks hindaja, seega hajuvust pole.",
        "tie": "Koondhinne on võrdne taotluse {other} omaga; viigireegel „{rule}” seadis selle {side}.",
        "unresolved": "Koondhinne on võrdne taotluse {other} omaga ja ükski viigireegel neid ei erista: otsustab "
                      "korraldaja.",
        "side_ahead": "taotlusest {other} ettepoole",
        "side_behind": "taotlusest {other} tahapoole",
        "outlier": "Hindaja {juror} hinne erineb teiste hindajate keskmisest {distance} võrra (kõrvalekalle).",
        "agreement": "Hindajate kokkulangevus (Krippendorffi alfa) kriteeriumiti: {values}.",
        "undefined": "määramata",
        "earlier_application": "varasem taotlus",
        "lower_spread": "hindajate hinnete väiksem hajuvus",
        "higher": "kõrgem hinne: {title}",
    },
}


def render(justification: Justification, rubric: Rubric, language: str) -> str:
    """The justification as a paragraph in `language` ("et" or "en"; anything else falls back to English)."""
    words = PHRASES.get(language, PHRASES["en"])
    j = justification

    def number(value: float, signed: bool = False) -> str:
        return _number(value, language, signed)

    sentences = [words["selected" if j.selected else "not_selected"].format(rank=j.rank, ranked=j.ranked)]
    score = words["score"].format(score=number(j.score, signed=True))
    if j.margin is None or j.compared_with is None:
        sentences.append(score + ".")
    else:
        sentences.append(score + words["ahead" if j.selected else "behind"].format(
            margin=number(abs(j.margin)), other=j.compared_with))
    sentences.append(words["one_juror"] if j.spread is None else
                     words["jurors"].format(jurors=j.jurors, spread=number(j.spread)))
    if j.tie_break is not None:
        sentences.append(_tie(j.tie_break, rubric, language, words))
    sentences += [words["outlier"].format(juror=o.juror_id, distance=number(o.distance, signed=True))
                  for o in j.outliers]
    sentences.append(words["agreement"].format(values=_agreement(j.agreement, rubric, language, words)))
    return " ".join(sentences)


def _tie(tie: TieBreak, rubric: Rubric, language: str, words: Mapping[str, str]) -> str:
    if tie.rule == UNRESOLVED:
        return words["unresolved"].format(other=tie.other)
    side = words["side_ahead" if tie.ahead else "side_behind"].format(other=tie.other)
    return words["tie"].format(other=tie.other, rule=rule_name(tie.rule, rubric, language), side=side)


def rule_name(rule: str, rubric: Rubric, language: str) -> str:
    words = PHRASES.get(language, PHRASES["en"])
    if rule in ("earlier_application", "lower_spread"):
        return words[rule]
    key = rule.removeprefix("higher_").removesuffix("_score")
    titled = next((a.title for a in rubric.artefacts if a.key == key), None) or rubric.criterion(key).title
    return words["higher"].format(title=_title(titled, key, language))


def _agreement(agreement: Mapping[str, float | None], rubric: Rubric, language: str, words: Mapping[str, str]) -> str:
    return "; ".join(f"{_title(rubric.criterion(key).title, key, language)}: "
                     f"{words['undefined'] if alpha is None else _number(alpha, language)}"
                     for key, alpha in agreement.items())


def _title(title: Mapping[str, str], key: str, language: str) -> str:
    return title.get(language) or title.get("en") or key



def _number(value: float, language: str, signed: bool = False) -> str:
    text = f"{value:+.2f}" if signed else f"{value:.2f}"
    return text.replace(".", ",").replace("-", "−") if language == "et" else text
