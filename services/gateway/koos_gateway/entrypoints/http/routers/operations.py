"""For operators and orchestrators: liveness, readiness (Kafka and MongoDB) and Prometheus metrics."""

from collections.abc import Awaitable, Callable
from typing import cast

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

router = APIRouter(tags=["operations"])

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]


class Liveness(BaseModel):
    """The process answers."""

    alive: bool


class Readiness(BaseModel):
    """Whether every server the gateway needs answers, and each one's verdict."""

    ready: bool
    checks: dict[str, bool]


@router.get("/healthz", response_model=Liveness)
async def healthz() -> Liveness:
    """Alive as long as it answers."""
    return Liveness(alive=True)


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(request: Request) -> JSONResponse:
    """200 when Kafka and MongoDB answer, else 503."""
    check = cast(ReadinessCheck, request.app.state.readiness)
    verdicts = await check()
    ready = all(verdicts.values())
    return JSONResponse(Readiness(ready=ready, checks=verdicts).model_dump(), status_code=200 if ready else 503)


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics() -> Response:
    """Prometheus metrics: HTTP requests, consumed events, handler times."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
