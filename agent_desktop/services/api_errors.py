"""Turn ``sync.client`` failures into translated sentences a user can act on."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from sync.client import (
    ApiError,
    AuthError,
    InvalidServerUrlError,
    NetworkError,
    ProtocolError,
    ServerError,
)

log = logging.getLogger(__name__)


def describe(error: BaseException, server_url: str = "") -> str:
    """A translated message for ``error``; unexpected errors (bugs) are logged in full."""
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
            "bad_credentials": QCoreApplication.translate(
                "ApiErrors", "Wrong user name or password."
            ),
            "token_invalid": QCoreApplication.translate(
                "ApiErrors", "Your session has expired. Please sign in again."
            ),
            "missing_username": QCoreApplication.translate("ApiErrors", "Enter your user name."),
            "missing_password": QCoreApplication.translate("ApiErrors", "Enter your password."),
        }.get(error.reason, QCoreApplication.translate("ApiErrors", "Sign-in is required."))
    if isinstance(error, ProtocolError):
        return QCoreApplication.translate(
            "ApiErrors",
            "The server at %1 did not answer like an Agent Workstation backend. "
            "Check the server address.",
        ).replace("%1", server_url)
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
