"""Liveness: what a load balancer, the desktop's connection light and the demo launcher poll."""

from __future__ import annotations

from fastapi import APIRouter

from server_stub import __version__
from sync.contract.wire import HealthResponse

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> HealthResponse:
    return HealthResponse(status="ok", service="agent-workstation-backend", version=__version__)
