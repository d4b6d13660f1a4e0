"""The portal's limits: sizes, expiries, tries and rates (one place, named)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.responses import HTMLResponse

PORTAL_PREFIX = "/portal"
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 3
# Three photos and the form's text, with room for the multipart framing.
PORTAL_MAX_BODY_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 256 * 1024
MAX_DESCRIPTION = 4000
MAX_COMMENT = 1000
CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=5)
CODE_TRIES = 5  # wrong codes before a code is spent
SESSION_LIFETIME = timedelta(hours=2)
# Sliding windows: per phone and per client address.
RATE_WINDOW = timedelta(minutes=15)
CODES_PER_PHONE = 3
CODES_PER_ADDRESS = 10
SIGN_INS_PER_ADDRESS = 20


def too_large_page() -> HTMLResponse:
    """The gate's answer to an upload over the limit, before the body is read; both
    languages, since the gate does not know the customer's."""
    limit = PORTAL_MAX_BODY_BYTES // (1024 * 1024)
    return HTMLResponse(
        "<!doctype html><meta charset=utf-8><title>413</title>"
        f"<p>上传内容过大：每次最多 {MAX_PHOTOS} 张照片，每张不超过 5 MB（合计约 {limit} MB）。</p>"
        f"<p>The upload is too large: at most {MAX_PHOTOS} photos of 5 MB each "
        f"(about {limit} MB in all).</p><p><a href=/portal/new>← 返回 / Back</a></p>",
        status_code=413,
    )
