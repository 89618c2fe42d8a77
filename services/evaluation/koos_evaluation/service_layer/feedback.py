"""A participant's feedback: stored once, then counted into the results of the edition's survey.

Two writes with no transaction between them: the answer (its own document, which remembers the
command's envelope id) and then the survey's results with the events they raise (one document, with
its outbox). A crash between them is repaired when the command is redelivered: the stored answer
carries the same envelope id, so the redo skips the checks and finishes the count. Results are
recomputed from the stored answers, never incremented, so nothing counts twice.
"""

from koos_contracts import Envelope
from koos_contracts.evaluation import FeedbackRefused, SubmitFeedback
from koos_evaluation.domain.answer import Answer
from koos_evaluation.domain.eligibility import why_refused
from koos_evaluation.domain.instants import to_millisecond
from koos_evaluation.service_layer.ports import Ports, StaleSurvey
from koos_kit.logging import get_logger

log = get_logger("koos.evaluation")


async def submit_feedback(command: SubmitFeedback, envelope: Envelope, ports: Ports) -> None:
    """Take a participant's answers once while the survey is open, or say why not."""
    stored = await ports.answers.get(command.edition_id, command.person_id)
    if stored is not None and stored.command_id == envelope.id:
        await count_answer(stored, envelope, ports)
        return
    survey, now = await ports.surveys.get(command.edition_id), to_millisecond(ports.clock.now())
    reason = why_refused(survey, envelope.organisationid, command.person_id, command.ratings, now,
                         answered=stored is not None)
    if reason is not None:
        await _refuse(command, reason, envelope, ports)
        return
    answer = Answer(command.edition_id, envelope.organisationid, command.person_id, dict(command.ratings),
                    command.comment, now, envelope.id)
    if not await ports.answers.add(answer):
        raise StaleSurvey("an answer of this person was stored meanwhile")
    await count_answer(answer, envelope, ports)


async def count_answer(answer: Answer, envelope: Envelope, ports: Ports) -> None:
    """Announce a stored answer and the survey's results recomputed from every stored answer, once."""
    survey = await ports.surveys.get(answer.edition_id)
    if survey is None:
        return
    answers = await ports.answers.of_edition(answer.edition_id)
    if survey.record(answer, answers):
        await ports.surveys.save(survey, ports.factory.caused_by(envelope, survey.events))
        log.info("feedback recorded", edition_id=str(answer.edition_id), responses=len(answers))


async def _refuse(command: SubmitFeedback, reason: str, envelope: Envelope, ports: Ports) -> None:
    log.info("feedback refused", edition_id=str(command.edition_id), reason=reason)
    refusal = FeedbackRefused(edition_id=command.edition_id, person_id=command.person_id, reason=reason)
    await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [refusal]))
