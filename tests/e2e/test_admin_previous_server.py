"""The Administration pages' reads against the previous release's server (before contract
1.6: no queue, policy or skill routes; before stored desk settings too): the desk reads what
there is, knows the rest is missing (the pages say the server is too old), and the wrap-up
keeps the document's times."""

from __future__ import annotations

import pytest

from sync.centre_admin import read_centre
from sync.client import ApiClient
from sync.contract.desk import wrap_up_for
from tests.e2e.test_mixed_versions import (  # the previous release's server, as a fixture
    _token,
    previous_release,  # noqa: F401 (a fixture the next one uses)
    previous_server,  # noqa: F401 (a fixture)
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]


def test_the_admin_reads_of_an_older_server(previous_server: str) -> None:  # noqa: F811
    with ApiClient(previous_server, token=_token(previous_server, "admin")) as api:
        view = read_centre(api)
    assert not view.admin_routes  # GET /skills answered 404: the pages stay read-only
    assert view.skills == []
    assert view.queues  # the queues and people are read as before
    assert view.users
    assert view.settings.queues == {}  # none sent: the document's times are the queues'
    assert wrap_up_for(view.settings, "VIP hotline") == view.settings.wrap_up_s["VIP hotline"]
    assert wrap_up_for(view.settings, "elsewhere") == view.settings.default_wrap_up_s
