"""Turn ``sync.client`` failures into translated sentences a user can act on."""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QCoreApplication

from sync.contract.errors import ErrorCode

log = logging.getLogger(__name__)


def describe(error: BaseException, server_url: str = "") -> str:
    """A translated message for ``error``; unexpected errors (bugs) are logged in full."""
    # Imported here: the sign-in dialog imports this module, and sync.client (requests,
    # pydantic) loads with the first request, which is what failed (see services/session.py).
    from sync.client import (  # noqa: PLC0415
        ApiError,
        AuthError,
        InvalidServerUrlError,
        NetworkError,
        ProtocolError,
        ServerError,
        UpdateRequiredError,
    )

    if isinstance(error, InvalidServerUrlError):
        return {
            "empty": QCoreApplication.translate(
                "ApiErrors", "Enter the server address, for example https://cc.example.com."
            ),
            "no_scheme": QCoreApplication.translate(
                "ApiErrors", "The server address must start with https:// or http://."
            ),
            "bad_scheme": QCoreApplication.translate(
                "ApiErrors", "The server address must start with https:// or http://."
            ),
            "no_host": QCoreApplication.translate(
                "ApiErrors", "The server address has no host name."
            ),
            "bad_port": QCoreApplication.translate(
                "ApiErrors", "The server address has an invalid port number."
            ),
        }.get(
            error.reason,
            QCoreApplication.translate("ApiErrors", "The server address is not valid."),
        )
    if isinstance(error, NetworkError):
        return {
            "unreachable": QCoreApplication.translate(
                "ApiErrors",
                "Cannot reach the server %1. Check the address and your network connection.",
            ),
            "timeout": QCoreApplication.translate(
                "ApiErrors", "The server %1 did not answer in time. Try again in a moment."
            ),
            "tls": QCoreApplication.translate(
                "ApiErrors",
                "The server %1 did not present a trusted certificate. Ask IT for the CA file "
                "and set it as server.ca_file in the configuration.",
            ),
        }.get(
            error.reason, QCoreApplication.translate("ApiErrors", "The request to %1 failed.")
        ).replace("%1", server_url)
    if isinstance(error, AuthError):
        return {
            ErrorCode.BAD_CREDENTIALS: QCoreApplication.translate(
                "ApiErrors", "Wrong user name or password."
            ),
            ErrorCode.TOKEN_INVALID: QCoreApplication.translate(
                "ApiErrors", "Your session has expired. Please sign in again."
            ),
            "missing_username": QCoreApplication.translate("ApiErrors", "Enter your user name."),
            "missing_password": QCoreApplication.translate("ApiErrors", "Enter your password."),
        }.get(error.reason, QCoreApplication.translate("ApiErrors", "Sign-in is required."))
    if isinstance(error, UpdateRequiredError):
        return QCoreApplication.translate(
            "ApiErrors",
            "This version of Agent Workstation is too old for the server at %1. Ask IT to "
            "update it; your unsent work stays on this PC until then.",
        ).replace("%1", server_url)
    if isinstance(error, ProtocolError):
        return QCoreApplication.translate(
            "ApiErrors",
            "The server at %1 did not answer like an Agent Workstation backend. "
            "Check the server address.",
        ).replace("%1", server_url)
    if isinstance(error, ServerError) and error.status >= 500:
        # The backend answered, so the address is right: it had a problem of its own.
        return (
            QCoreApplication.translate(
                "ApiErrors",
                "The server %1 had a problem (HTTP %2). Try again in a moment; if it keeps "
                "happening, tell IT.",
            )
            .replace("%1", server_url)
            .replace("%2", str(error.status))
        )
    if isinstance(error, ServerError):
        return QCoreApplication.translate(
            "ApiErrors", "The server refused the request: %1"
        ).replace("%1", str(error))
    if isinstance(error, ApiError):
        return str(error)
    log.error("unexpected error", exc_info=error)
    return QCoreApplication.translate(
        "ApiErrors", "Unexpected error (%1). Details are in the log."
    ).replace("%1", type(error).__name__)


def refusal(code: str, field: str, server_message: str) -> str:
    """Why the server refused a change from the outbox, in the agent's language."""
    if code == ErrorCode.SERVER_ERROR:  # tried several times, the server failed it each time
        status = re.search(r"HTTP (\d{3})", server_message)
        return QCoreApplication.translate(
            "ApiErrors",
            "The server could not take this change (HTTP %1). Resend it later, or discard it "
            "to go back to the server's copy.",
        ).replace("%1", status.group(1) if status else "5xx")
    texts: dict[str, str] = {
        ErrorCode.DUPLICATE: QCoreApplication.translate(
            "ApiErrors", "This %1 is already used by another record; choose another."
        ),
        ErrorCode.FORBIDDEN: QCoreApplication.translate(
            "ApiErrors", "You are not allowed to make this change."
        ),
        ErrorCode.NOT_FOUND: QCoreApplication.translate(
            "ApiErrors", "The record is no longer on the server (deleted or moved to another team)."
        ),
        ErrorCode.IN_USE: QCoreApplication.translate(
            "ApiErrors", "It cannot be deleted while other records use it."
        ),
    }
    text = texts.get(code)
    if text is None and field:
        text = QCoreApplication.translate("ApiErrors", "The server did not accept the %1.")
    if text is None:
        return server_message
    return text.replace("%1", field or QCoreApplication.translate("ApiErrors", "value"))
