"""The channel interface: what every medium's adapter gives the intake and takes from it.

An adapter owns its medium's protocol, its credentials and its bookkeeping (for email: IMAP
UIDs and Message-IDs); it never writes tickets itself. ``intake.take_in`` decides which
ticket a message joins and which customer sent it, the same way for every medium.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sync.contract.records import Channel, InteractionKind

# The interaction each channel's messages are recorded as (the 360's timeline shows them).
INTERACTION_OF: dict[Channel, InteractionKind] = {
    Channel.EMAIL: InteractionKind.EMAIL,
    Channel.WEB: InteractionKind.WEB,
    Channel.SMS: InteractionKind.SMS,
}


@dataclass(frozen=True, slots=True)
class KeptFile:
    """A file that came with a message, already checked: a safe name, within the limits."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A customer's message, read by an adapter, for the intake."""

    channel: Channel
    team_id: int
    sender: str  # the medium's address: an email address, an E.164 number, a portal login
    sender_name: str
    subject: str
    text: str
    # Ticket numbers the customer quoted (an email's subject); the intake checks each.
    ticket_numbers: tuple[str, ...] = ()
    # What the reader repaired or dropped (odd encodings, oversized files): said on the ticket.
    notes: tuple[str, ...] = ()
    files: tuple[KeptFile, ...] = ()


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """The agent's answer, for the adapter to deliver."""

    channel: Channel
    recipient: str
    subject: str
    text: str
    # The medium's threading (email: our Message-ID, In-Reply-To, References).
    thread_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = field(default_factory=tuple)


class ChannelAdapter(Protocol):
    """A medium. ``receive_round`` reads what waits (bounded), hands each message to the
    intake in its own transaction and returns how many it took; ``deliver`` sends one answer
    or raises ``DeliveryError``."""

    channel: Channel

    def receive_round(self) -> int: ...
    def deliver(self, message: OutboundMessage) -> None: ...


class DeliveryError(Exception):
    """The medium refused or could not be reached; ``permanent`` when retrying cannot help."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent
