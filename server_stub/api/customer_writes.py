"""Creating customers with SQLAlchemy Core: the one write function behind ``POST /customers``,
whether the request came alone or as many operations of a batch (``server_stub.api.fast_lane``).

Several creates are written with one executemany per table (customers, contacts, change-feed
rows), each new row's id read back in the order of its parameters. The caller has checked
everything that can be checked before writing (permission, team, phone numbers) and has taken
the change-feed lock (``server_stub.feed``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert

from server_stub.api.routes.common import bad_field
from server_stub.feed import change_values
from server_stub.models import ChangeRow, ContactRow, CustomerRow
from sync.clock import utc
from sync.contract.phone import PhoneNumber, PhoneNumberError, normalise_phone
from sync.contract.wire import ContactIn, ContactOut, CustomerIn, CustomerOut

_INSERT_CUSTOMERS = insert(CustomerRow).returning(CustomerRow.id, sort_by_parameter_order=True)
_INSERT_CONTACTS = insert(ContactRow).returning(ContactRow.id, sort_by_parameter_order=True)
_INSERT_CHANGES = insert(ChangeRow)


def contact_numbers(contacts: list[ContactIn]) -> list[PhoneNumber]:
    """Each contact's number in E.164; a 422 naming the first that is not a number."""
    numbers = []
    for index, contact in enumerate(contacts):
        try:
            numbers.append(normalise_phone(contact.phone))
        except PhoneNumberError as exc:
            raise bad_field(f"contacts.{index}.phone", str(exc)) from None
    return numbers


def insert_customers(
    connection: Connection,
    bodies: list[CustomerIn],
    numbers: list[list[PhoneNumber]],
    now: datetime,
) -> tuple[list[CustomerOut], list[dict[str, Any]]]:
    """Create one customer per body (``numbers``: its contacts' numbers, from
    ``contact_numbers``) with its contacts and its change-feed row; the records, in order, and
    each as JSON (what the feed row holds and the answer says)."""
    ids = connection.execute(
        _INSERT_CUSTOMERS, [_customer_values(body, now) for body in bodies]
    ).scalars()
    customer_ids = list(ids)
    contact_values: list[dict[str, Any]] = [
        {
            "customer_id": customer_id,
            "name": contact.name,
            "phone_e164": number.e164,
            "extension": number.extension,
            "email": contact.email,
            "kind": contact.kind,
            "salutation": contact.salutation,
        }
        for customer_id, body, found in zip(customer_ids, bodies, numbers, strict=True)
        for contact, number in zip(body.contacts, found, strict=True)
    ]
    contact_ids = (
        list(connection.execute(_INSERT_CONTACTS, contact_values).scalars())
        if contact_values
        else []
    )
    records = []
    next_contact = iter(zip(contact_ids, contact_values, strict=True))
    for customer_id, body in zip(customer_ids, bodies, strict=True):
        contacts = []
        for _ in body.contacts:
            contact_id, values = next(next_contact)
            fields = {k: v for k, v in values.items() if k != "customer_id"}
            contacts.append(ContactOut(id=contact_id, **fields))
        records.append(
            # What the request said, as the record answers it (no second list of fields).
            CustomerOut(
                **body.model_dump(exclude={"contacts"}),
                id=customer_id,
                contacts=contacts,
                version=1,
                updated_at=utc(now),
            )
        )
    data = [record.model_dump(mode="json") for record in records]
    connection.execute(
        _INSERT_CHANGES,
        [change_values("customer", d, team_id=d["team_id"], now=now) for d in data],
    )
    return records, data


def _customer_values(body: CustomerIn, now: datetime) -> dict[str, Any]:
    return {
        "code": body.code,
        "name": body.name,
        "team_id": body.team_id,
        "segment": body.segment,
        "vip": body.vip,
        "language": body.language,
        "preferred_channel": body.preferred_channel.value,
        "do_not_contact_by": [c.value for c in body.do_not_contact_by],
        "address": body.address,
        "notes": body.notes,
        "version": 1,
        "updated_at": now,
    }
