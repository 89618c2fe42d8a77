"""The operator endpoints of a service that serves a FastAPI app: the same as every other service's."""

from typing import cast

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from koos_kit.runtime import ServiceRuntime


class Liveness(BaseModel):
    """The process answers."""

    alive: bool


class Readiness(BaseModel):
    """Whether every server the service needs answers, and each one's verdict."""

    ready: bool
    checks: dict[str, bool]


def operations_router(runtime: ServiceRuntime | None = None) -> APIRouter:
    """/healthz, /readyz (the runtime's readiness checks, or the app's `state.readiness`) and /metrics."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", response_model=Liveness)
    async def healthz() -> Liveness:
        """Alive as long as it answers."""
        return Liveness(alive=True)

    @router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
    async def readyz(request: Request) -> JSONResponse:
        """200 when Kafka and MongoDB answer, else 503."""
        verdicts = await (runtime.check() if runtime else request.app.state.readiness())
        ready = all(cast(dict[str, bool], verdicts).values())
        return JSONResponse(Readiness(ready=ready, checks=verdicts).model_dump(), status_code=200 if ready else 503)

    @router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
    async def metrics() -> Response:
        """Prometheus metrics: HTTP requests, consumed records, handler times."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
