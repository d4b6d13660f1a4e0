"""Turn ``sync.client`` failures into translated sentences a user can act on."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from sync.client import (
    ApiError,
    AuthError,
    InvalidServerUrl,
    NetworkError,
    ProtocolError,
    ServerError,
)

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ApiErrors", text)


def describe(error: BaseException, server_url: str = "") -> str:
    """A translated message for ``error``; unexpected errors (bugs) are logged in full."""
    if isinstance(error, InvalidServerUrl):
        return {
            "empty": _tr("Enter the server address, for example https://cc.example.com."),
            "no_scheme": _tr("The server address must start with https:// or http://."),
            "bad_scheme": _tr("The server address must start with https:// or http://."),
            "no_host": _tr("The server address has no host name."),
            "bad_port": _tr("The server address has an invalid port number."),
        }.get(error.reason, _tr("The server address is not valid."))
    if isinstance(error, NetworkError):
        return {
            "unreachable": _tr(
                "Cannot reach the server %1. Check the address and your network connection."
            ),
            "timeout": _tr("The server %1 did not answer in time. Try again in a moment."),
            "tls": _tr(
                "The server %1 did not present a trusted certificate. Ask IT for the CA file "
                "and set it as server.ca_file in the configuration."
            ),
        }.get(error.reason, _tr("The request to %1 failed.")).replace("%1", server_url)
    if isinstance(error, AuthError):
        return {
            "bad_credentials": _tr("Wrong user name or password."),
            "token_invalid": _tr("Your session has expired. Please sign in again."),
            "missing_username": _tr("Enter your user name."),
            "missing_password": _tr("Enter your password."),
        }.get(error.reason, _tr("Sign-in is required."))
    if isinstance(error, ProtocolError):
        return _tr(
            "The server at %1 did not answer like an Agent Workstation backend. "
            "Check the server address."
        ).replace("%1", server_url)
    if isinstance(error, ServerError):
        return _tr("The server refused the request: %1").replace("%1", str(error))
    if isinstance(error, ApiError):
        return str(error)
    log.error("unexpected error", exc_info=error)
    return _tr("Unexpected error (%1). Details are in the log.").replace(
        "%1", type(error).__name__
    )
