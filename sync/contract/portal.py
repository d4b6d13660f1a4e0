"""The customer portal's records on the staff API (contract 1.8, issue 22): the photos a
customer attached to a ticket on the portal, listed and fetched by agents who may read the
ticket. The portal's own pages are not the API (``server_stub.portal``)."""

from __future__ import annotations

from sync.contract.wire import WireModel

PORTAL_PHOTOS = "/tickets/{ticket_id}/portal-photos"
PORTAL_PHOTO = "/tickets/{ticket_id}/portal-photos/{photo_id}"


class PortalPhotoOut(WireModel):
    id: int
    name: str
    content_type: str
    size: int
