"""The inventory of personal data: what each service publishes and stores about people, why, and for how long.

`RETENTION` names the kinds of personal data and their default periods; each service's retention job
(`koos_kit.retention`) enforces the kinds it stores, and an organisation may shorten or lengthen a period
(`KOOS_RETENTION_OVERRIDES`). `PUBLISHED` lists every personal field of every message (`koos_contracts.privacy`
fails the contracts check on one that is missing) and `STORED` every personal field of every store. The
document `contracts/PRIVACY.md` is generated from this module.
"""

from dataclasses import dataclass
from typing import Literal

Action = Literal["anonymise", "delete", "none"]
Start = Literal["edition_end", "sent", "survey_closed", "recorded", "published", "last_change"]


@dataclass(frozen=True)
class RetentionKind:
    """A kind of personal data kept for `days` after `counted_from`, then anonymised or deleted."""

    description: str
    days: int
    counted_from: Start
    action: Action
    note: str = ""


@dataclass(frozen=True)
class Published:
    """A personal field of a message (its CloudEvents type and a path such as `person` or `quotes[]`)."""

    message: str
    path: str
    purpose: str
    retention: str


@dataclass(frozen=True)
class Stored:
    """A personal field of a service's store (`collection.field`)."""

    service: str
    collection: str
    field: str
    purpose: str
    retention: str


RETENTION: dict[str, RetentionKind] = {
    "registrations": RetentionKind(
        "A person's registration: name, e-mail address, language, standing", 730, "edition_end", "anonymise",
        "the registration stays, counted in its edition's seats and line, without the person's name and address"),
    "mail": RetentionKind(
        "A mail to a person: its address, name and what it said", 90, "sent", "anonymise",
        "the notification's id, kind and delivery log stay, so that a replayed event never mails again"),
    "feedback_comments": RetentionKind(
        "A comment written in a feedback survey, and the quotes drawn from it", 365, "survey_closed", "anonymise",
        "the ratings stay, so that the survey's means do not change"),
    "consent": RetentionKind(
        "The consent a person gave at sign-up (purposes, wording version, time) and its withdrawal", 730,
        "edition_end", "anonymise", "kept as long as the registration it was given with"),
    "audit": RetentionKind(
        "Who read or changed a person's data (actor, subject id, action, time; never an address)", 730,
        "recorded", "delete"),
    "commands": RetentionKind(
        "The gateway's log of accepted commands and their outcomes (staff id, refusal reasons)", 30, "recorded",
        "delete", "enforced by the gateway's command log itself (KOOS_COMMAND_RETENTION_DAYS)"),
    "exports": RetentionKind(
        "A person's export: everything Koos held about them, by service, for them to fetch", 7, "recorded",
        "delete", "enforced by the gateway itself; deleted at once when the person is erased"),
    "teams": RetentionKind(
        "A team member's name, e-mail address, language, role and organisation, in their programme's teams", 730,
        "last_change", "anonymise",
        "the entry keeps its role and organisation, so the team still meets its rule; anonymised at once when the "
        "person is erased"),
    "applications": RetentionKind(
        "An institution's application: its contact people and staff (name, e-mail address, language, role), the "
        "motivation a contact wrote, and the jury's view of it", 730, "last_change", "anonymise",
        "the application keeps its institution, status and number of people, the round its scores and ranking; "
        "anonymised at once when the person is erased (a contact's erasure takes the motivation with it)"),
    "homework": RetentionKind(
        "A team's homework (the text its member wrote, the files and links) and the trainer's comments on it", 730,
        "last_change", "anonymise", "the versions, their times and reviews stay, so the grid and the impact report "
        "stay true"),
    "event_log": RetentionKind(
        "Personal fields in Kafka records", 730, "published", "none",
        "Kafka keeps records for the topic's retention.ms; a person's fields cannot be read once their key is "
        "erased"),
}

_SIGN_UP = "To decide the person's seat or place in line and to tell them about their registration"
_APPLICATION = "To decide on an institution's application and to tell its contact people about it"
_JURY = "To score and select the applications, tell the applicants and run their mentoring"
_TEAMS = "To decide on a team's application and to tell its members about it"
_HOMEWORK = "To review a team's homework with the team, version by version, and to show the organiser its progress"
_FEEDBACK = "To improve the programme: organisers read what participants wrote"

PUBLISHED: tuple[Published, ...] = (
    Published("koos.registration.RegisterParticipant.v1", "person", _SIGN_UP, "event_log"),
    Published("koos.registration.CancelRegistration.v1", "reason",
              "To tell the organiser why a person cancelled, in their own words", "event_log"),
    Published("koos.registration.RegistrationConfirmed.v1", "participant", _SIGN_UP, "event_log"),
    Published("koos.registration.RegistrationWaitlisted.v1", "participant", _SIGN_UP, "event_log"),
    Published("koos.registration.RegistrationPromoted.v1", "participant", _SIGN_UP, "event_log"),
    Published("koos.registration.RegistrationRefused.v1", "participant",
              "To tell the person why they could not register", "event_log"),
    Published("koos.evaluation.SubmitFeedback.v1", "comment", _FEEDBACK, "event_log"),
    Published("koos.evaluation.SurveyResultsUpdated.v1", "quotes", _FEEDBACK, "event_log"),
    Published("koos.notifications.ResendLinks.v1", "email",
              "To mail a person the links of their registration again, when they ask", "event_log"),
    Published("koos.evaluation.AppointJuror.v1", "juror", _JURY, "event_log"),
    Published("koos.evaluation.AppointMentor.v1", "mentor", _JURY, "event_log"),
    Published("koos.evaluation.JurorsReminded.v1", "due[].juror", _JURY, "event_log"),
    Published("koos.evaluation.MentoringStarted.v1", "pairs[].mentor", _JURY, "event_log"),
    Published("koos.evaluation.ScoreApplication.v1", "scores[].comment", _JURY, "event_log"),
    Published("koos.evaluation.SelectionReleased.v1", "results[].contacts[].person", _JURY, "event_log"),
    Published("koos.evaluation.SelectionReleased.v1", "results[].scores[].comment", _JURY, "event_log"),
    Published("koos.registration.ApplicationAdmitted.v1", "contacts[].person", _APPLICATION, "event_log"),
    Published("koos.registration.ApplicationDeclined.v1", "contacts[].person", _APPLICATION, "event_log"),
    Published("koos.registration.ApplicationRefused.v1", "contacts[].person", _APPLICATION, "event_log"),
    Published("koos.registration.ApplyAsInstitution.v1", "contacts[].person", _APPLICATION, "event_log"),
    Published("koos.registration.ApplyAsInstitution.v1", "staff[]", _APPLICATION, "event_log"),
    Published("koos.registration.ApplyWithTeam.v1", "idea", _TEAMS, "event_log"),
    Published("koos.registration.ApplyWithTeam.v1", "lead_email", _TEAMS, "event_log"),
    Published("koos.registration.ApplyWithTeam.v1", "members[].person", _TEAMS, "event_log"),
    Published("koos.registration.DecideOnTeam.v1", "note", _TEAMS, "event_log"),
    Published("koos.registration.InstitutionApplied.v1", "contacts[].person", _APPLICATION, "event_log"),
    Published("koos.registration.InstitutionApplied.v1", "staff[]", _APPLICATION, "event_log"),
    Published("koos.registration.ReplaceTeamMember.v1", "leaving_email", _TEAMS, "event_log"),
    Published("koos.registration.ReplaceTeamMember.v1", "member.person", _TEAMS, "event_log"),
    Published("koos.registration.TeamAccepted.v1", "members[].participant", _TEAMS, "event_log"),
    Published("koos.registration.TeamAccepted.v1", "note", _TEAMS, "event_log"),
    Published("koos.registration.TeamApplied.v1", "idea", _TEAMS, "event_log"),
    Published("koos.registration.TeamApplied.v1", "members[].participant", _TEAMS, "event_log"),
    Published("koos.registration.TeamDeclined.v1", "members[].participant", _TEAMS, "event_log"),
    Published("koos.registration.TeamDeclined.v1", "note", _TEAMS, "event_log"),
    Published("koos.registration.TeamMemberReplaced.v1", "joined.participant", _TEAMS, "event_log"),
    Published("koos.registration.TeamMemberReplaced.v1", "left.participant", _TEAMS, "event_log"),
    Published("koos.registration.TeamMemberReplaced.v1", "members[].participant", _TEAMS, "event_log"),
    Published("koos.registration.TeamRefused.v1", "lead", _TEAMS, "event_log"),
    Published("koos.registration.TeamRefused.v1", "members[].participant", _TEAMS, "event_log"),
    Published("koos.registration.TeamWaitlisted.v1", "members[].participant", _TEAMS, "event_log"),
    Published("koos.registration.TeamWaitlisted.v1", "note", _TEAMS, "event_log"),
    Published("koos.evaluation.SubmitHomework.v1", "text", _HOMEWORK, "event_log"),
    Published("koos.evaluation.HomeworkSubmitted.v1", "text", _HOMEWORK, "event_log"),
    Published("koos.evaluation.ReviewHomework.v1", "comments", _HOMEWORK, "event_log"),
    Published("koos.evaluation.HomeworkReviewed.v1", "comments", _HOMEWORK, "event_log"),
    Published("koos.privacy.PersonalDataExported.v1", "document",
              "To give a person (or an organiser on their behalf) everything Koos holds about them", "event_log"),
)

STORED: tuple[Stored, ...] = (
    Stored("registration", "registrations", "participant", _SIGN_UP, "registrations"),
    Stored("registration", "registrations", "consent",
           "To show what the person agreed to (purposes, wording version, time) and what they withdrew", "consent"),
    Stored("registration", "offers", "events, pending",
           "The outbox of an edition's last decided batch (its events until they are published)", "registrations"),
    Stored("registration", "team_programmes", "teams.members.participant", _TEAMS, "teams"),
    Stored("registration", "applications", "applied.contacts, applied.staff, applied.motivation", _APPLICATION,
           "applications"),
    Stored("notifications", "participants", "recipient", "To mail a participant about their registration",
           "registrations"),
    Stored("notifications", "notifications", "recipient, details",
           "To send one mail, and to know it was sent", "mail"),
    Stored("evaluation", "answers", "comment", _FEEDBACK, "feedback_comments"),
    Stored("evaluation", "surveys", "results.quotes", _FEEDBACK, "feedback_comments"),
    Stored("evaluation", "homework", "assignments.work.versions.text, assignments.work.versions.comments",
           _HOMEWORK, "homework"),
    Stored("evaluation", "rounds", "applications.contacts, jurors, mentors, proposal", _JURY, "applications"),
    Stored("gateway", "registrations", "contact",
           "To show a participant their registration and an organiser the roster", "registrations"),
    Stored("gateway", "survey_results", "results.quotes", _FEEDBACK, "feedback_comments"),
    Stored("gateway", "homework", "items.teams.versions.text, items.teams.versions.comments", _HOMEWORK, "homework"),
    Stored("gateway", "team_programmes", "teams.members.participant", _TEAMS, "teams"),
    Stored("gateway", "applications", "contacts, staff, motivation", _APPLICATION, "applications"),
    Stored("gateway", "juries", "release.results.contacts", _JURY, "applications"),
    Stored("gateway", "commands", "issued_by, reason",
           "To answer who asked for a command and how it ended", "commands"),
    Stored("gateway", "audit", "actor_id, subject, person_id",
           "To show who read or changed a person's data", "audit"),
    Stored("gateway", "privacy_requests", "parts",
           "To let whoever asked fetch a person's export, every service's part gathered", "exports"),
)
