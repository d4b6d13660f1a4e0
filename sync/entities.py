"""Which records the desktop may write, where each lives on the server, and its editable fields.

The outbox stores the method and path of every write, so this table is read when a write is
queued, not when it is sent: an entry queued by an older desktop still goes where it meant to.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from sync import wire


@dataclass(frozen=True, slots=True)
class Writable:
    entity: str
    path: str  # the collection, e.g. "/customers"
    create: type[BaseModel]
    patch: type[BaseModel]
    deletable: bool = False

    def item_path(self, record_id: int) -> str:
        return f"{self.path}/{record_id}"

    @property
    def editable_fields(self) -> tuple[str, ...]:
        return tuple(name for name in self.patch.model_fields if name != "version")


WRITABLE: dict[str, Writable] = {
    w.entity: w
    for w in (
        Writable("customer", "/customers", wire.CustomerIn, wire.CustomerPatch, deletable=True),
        Writable("asset", "/assets", wire.AssetIn, wire.AssetPatch),
        Writable("interaction", "/interactions", wire.InteractionIn, wire.InteractionPatch),
        Writable("ticket", "/tickets", wire.TicketIn, wire.TicketPatch),
        Writable("dispatch", "/dispatches", wire.DispatchIn, wire.DispatchPatch),
        Writable("task", "/tasks", wire.TaskIn, wire.TaskPatch),
        Writable("article", "/kb/articles", wire.ArticleIn, wire.ArticlePatch),
    )
}


class NotWritableError(ValueError):
    pass


def writable(entity: str) -> Writable:
    try:
        return WRITABLE[entity]
    except KeyError:
        raise NotWritableError(f"'{entity}' records cannot be edited on the desktop.") from None
