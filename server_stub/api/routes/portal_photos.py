"""The photos customers attached on the portal, for the staff who may read the ticket
(``ticket.read`` and the ticket's team, as ``GET /tickets/{id}``); each viewing audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select

from server_stub.api.deps import Caller, DbSession, Now, check_team, require
from server_stub.api.errors import ApiProblem
from server_stub.api.routes.common import IdPath, get_or_404
from server_stub.feed import audit
from server_stub.models import PortalFileRow, TicketRow
from sync.contract.errors import ErrorCode
from sync.contract.portal import PORTAL_PHOTO, PORTAL_PHOTOS, PortalPhotoOut

router = APIRouter(tags=["tickets"])
Reader = Annotated[Caller, Depends(require("ticket.read"))]


@router.get(PORTAL_PHOTOS, response_model=list[PortalPhotoOut])
def portal_photos(
    ticket_id: IdPath, request: Request, caller: Reader, session: DbSession, clock: Now
) -> list[PortalPhotoOut]:
    row = get_or_404(session, TicketRow, ticket_id, "ticket")
    check_team(session, caller, row.team_id, "ticket.read", request.url.path, clock.now())
    files = session.scalars(
        select(PortalFileRow).where(PortalFileRow.ticket_id == row.id).order_by(PortalFileRow.id)
    )
    return [
        PortalPhotoOut(id=f.id, name=f.name, content_type=f.content_type, size=f.size)
        for f in files
    ]


@router.get(
    PORTAL_PHOTO,
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
)
def portal_photo(
    ticket_id: IdPath,
    photo_id: IdPath,
    request: Request,
    caller: Reader,
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, TicketRow, ticket_id, "ticket")
    check_team(session, caller, row.team_id, "ticket.read", request.url.path, clock.now())
    photo = session.get(PortalFileRow, photo_id)
    if photo is None or photo.ticket_id != row.id:
        raise ApiProblem(
            404, ErrorCode.NOT_FOUND, f"No photo with id {photo_id} on ticket {row.number}."
        )
    audit(
        session,
        user_id=caller.user.id,
        action="ticket.photo.view",
        target=f"{row.number} photo {photo.id}",
        allowed=True,
        now=clock.now(),
    )
    session.commit()
    return Response(
        photo.data,
        media_type=photo.content_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
