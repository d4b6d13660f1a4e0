"""Products a customer owns: model, serial, warranty, consumables."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select

from server_stub.api.deps import Caller, DbSession, Now, check_team, require
from server_stub.api.routes.common import IdPath, bad_field, get_or_404
from server_stub.api.writes import apply_patch, check_version, write
from server_stub.feed import record_change
from server_stub.models import AssetRow, CustomerRow
from server_stub.serialize import asset_out
from sync.contract.wire import AssetIn, AssetOut, AssetPatch

router = APIRouter(tags=["assets"])
Writer = Annotated[Caller, Depends(require("asset.write"))]


@router.get("/customers/{customer_id}/assets", response_model=list[AssetOut])
def customer_assets(
    customer_id: IdPath,
    request: Request,
    caller: Annotated[Caller, Depends(require("customer.read"))],
    session: DbSession,
    clock: Now,
) -> list[AssetOut]:
    customer = get_or_404(session, CustomerRow, customer_id, "customer")
    check_team(session, caller, customer.team_id, "customer.read", request.url.path, clock.now())
    rows = session.scalars(
        select(AssetRow).where(AssetRow.customer_id == customer_id).order_by(AssetRow.id)
    )
    return [asset_out(r) for r in rows]


@router.post("/assets", status_code=201, response_model=AssetOut)
def create_asset(
    body: AssetIn, request: Request, caller: Writer, session: DbSession, clock: Now
) -> Response:
    customer = session.get(CustomerRow, body.customer_id)
    if customer is None:
        raise bad_field("customer_id", f"no customer with id {body.customer_id}")
    check_team(session, caller, customer.team_id, "asset.write", request.url.path, clock.now())
    if body.warranty_end < body.purchase_date:
        raise bad_field("warranty_end", "the warranty cannot end before the purchase")

    def perform(now):  # type: ignore[no-untyped-def]
        row = AssetRow(
            customer_id=customer.id,
            team_id=customer.team_id,
            product_line=body.product_line,
            model=body.model,
            serial_number=body.serial_number,
            purchase_date=body.purchase_date,
            warranty_end=body.warranty_end,
            consumables=[c.model_dump(mode="json") for c in body.consumables],
            updated_at=now,
        )
        session.add(row)
        session.flush()
        out = asset_out(row)
        record_change(session, "asset", out, team_id=row.team_id, now=now)
        return 201, out

    return write(request, session, caller, clock, body, perform)


@router.patch("/assets/{asset_id}", response_model=AssetOut)
def update_asset(
    asset_id: IdPath,
    body: AssetPatch,
    request: Request,
    caller: Writer,
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, AssetRow, asset_id, "asset")
    check_team(session, caller, row.team_id, "asset.write", request.url.path, clock.now())

    def current() -> AssetOut:
        session.expire_all()
        return asset_out(get_or_404(session, AssetRow, asset_id, "asset"))

    check_version(row, body.version, current)
    purchase = body.purchase_date or row.purchase_date
    if (body.warranty_end or row.warranty_end) < purchase:
        raise bad_field("warranty_end", "the warranty cannot end before the purchase")

    def perform(now):  # type: ignore[no-untyped-def]
        if apply_patch(row, body):
            row.updated_at = now
            session.flush()
            out = asset_out(row)
            record_change(session, "asset", out, team_id=row.team_id, now=now)
            return 200, out
        return 200, asset_out(row)

    return write(request, session, caller, clock, body, perform, current)
