"""A team's composition checked against its programme's rule: every rule it breaks, in the rule's order.

The rule is data the organiser gives per programme (`CompositionRule`): each `MemberRule` counts the members whose
role is one of its roles. A `required` rule that is broken refuses the team; a `recommended` one is a warning.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from koos_contracts.teams import CompositionRule, MemberRule, RuleBreach
from koos_contracts.values import FALLBACK_LANGUAGE


@dataclass(frozen=True)
class Verdict:
    """What the rule says of a team: the required rules it breaks (refused if any) and the recommended ones."""

    broken: tuple[RuleBreach, ...]
    warnings: tuple[RuleBreach, ...]

    @property
    def refused(self) -> bool:
        return bool(self.broken)

    @property
    def reason(self) -> str:
        """Every broken required rule, in one sentence a person can read."""
        return "; ".join(breach.reason for breach in self.broken)


def check(rule: CompositionRule, roles: Sequence[str]) -> Verdict:
    """Check the roles of a team's members (one per member) against a programme's rule."""
    breaches = [breach for member_rule in rule.rules if (breach := _breach(member_rule, roles)) is not None]
    breaches = _unknown_roles(rule, roles) + _too_many(rule, roles) + breaches
    return Verdict(broken=tuple(b for b in breaches if b.level == "required"),
                   warnings=tuple(b for b in breaches if b.level == "recommended"))


def _breach(rule: MemberRule, roles: Sequence[str]) -> RuleBreach | None:
    counted = sum(role in rule.roles for role in roles)
    label = rule.label.get(FALLBACK_LANGUAGE) or next(iter(rule.label.values()))
    if counted < rule.at_least:
        wanted = "exactly" if rule.at_most == rule.at_least else "at least"
        return _said(rule, counted, f"{label}: {wanted} {rule.at_least} wanted, the team has {counted}")
    if rule.at_most is not None and counted > rule.at_most:
        wanted = "exactly" if rule.at_most == rule.at_least else "at most"
        return _said(rule, counted, f"{label}: {wanted} {rule.at_most} allowed, the team has {counted}")
    return None


def _said(rule: MemberRule, counted: int, text: str) -> RuleBreach:
    prefix = "" if rule.level == "required" else "recommended: "
    return RuleBreach(rule_key=rule.key, level=rule.level, counted=counted, reason=prefix + text)


def _unknown_roles(rule: CompositionRule, roles: Sequence[str]) -> list[RuleBreach]:
    unknown = sorted(set(roles) - rule.roles.keys())
    if not unknown:
        return []
    return [RuleBreach(rule_key="known-roles", level="required", counted=len(unknown),
                       reason=f"roles this programme does not know: {', '.join(unknown)}")]


def _too_many(rule: CompositionRule, roles: Sequence[str]) -> list[RuleBreach]:
    if len(roles) <= rule.max_members:
        return []
    return [RuleBreach(rule_key="team-size", level="required", counted=len(roles),
                       reason=f"a team has at most {rule.max_members} members, this one {len(roles)}")]
