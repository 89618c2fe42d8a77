"""Builds the evaluation service from its settings."""

from datetime import timedelta

from koos_evaluation.adapters.answers import MongoAnswers
from koos_evaluation.adapters.homework import MongoHomework
from koos_evaluation.adapters.retention import EvaluationRetention
from koos_evaluation.adapters.rounds import MongoRounds
from koos_evaluation.adapters.surveys import MongoSurveys
from koos_evaluation.config import Settings
from koos_evaluation.entrypoints.consumers import commands, facts
from koos_evaluation.service_layer.personal_data import EvaluationHolder
from koos_evaluation.service_layer.ports import Ports
from koos_kit.clock import Clock
from koos_kit.replies import CommandReplies
from koos_kit.versioned import VersionedDocuments
from koos_kit.wiring import Wiring


def bootstrap(settings: Settings, clock: Clock | None = None) -> Wiring:
    """The wired service, ready to run."""
    wiring = Wiring(settings, clock)
    surveys_collection, replied = wiring.db["surveys"], wiring.db["replies"]
    relay = wiring.relay([surveys_collection, replied, wiring.db["rounds"], wiring.db["homework"]])
    rounds = MongoRounds(VersionedDocuments(wiring.db["rounds"], relay, wiring.clock))
    homework = MongoHomework(VersionedDocuments(wiring.db["homework"], relay, wiring.clock))
    surveys = MongoSurveys(surveys_collection, relay, wiring.clock)
    answers = MongoAnswers(wiring.db["answers"])
    replies = CommandReplies(replied, relay, wiring.clock)
    ports = Ports(surveys=surveys, answers=answers, replies=replies, clock=wiring.clock,
                  factory=wiring.factory, survey_open_for=timedelta(days=settings.survey_open_days),
                  rounds=rounds, homework=homework)
    wiring.on_startup(surveys.ensure_indexes)
    wiring.on_startup(replies.ensure_indexes)
    wiring.on_startup(answers.ensure_indexes)
    wiring.on_startup(rounds.ensure_indexes)
    wiring.on_startup(homework.ensure_indexes)
    wiring.consume(facts(ports), title="evaluation-facts")
    wiring.consume(commands(ports), title="evaluation-commands")
    wiring.answer_privacy_requests(EvaluationHolder(ports), replies)
    wiring.retention(EvaluationRetention(surveys_collection, wiring.db["answers"], wiring.db["rounds"],
                                         homework).purges())
    return wiring
