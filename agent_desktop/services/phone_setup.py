"""The phone's account from the configuration and the keychain.

The SIP password lives in the OS keychain only (IT provisions it, never a file): service
"AgentWorkstation", account "<auth user>@<registrar>", the same store as the sign-in token.
"""

from __future__ import annotations

from collections.abc import Callable

from agent_desktop.config import Settings
from agent_desktop.credentials import CredentialStore, CredentialStoreError
from agent_desktop.services.outside_lines import outside_extensions
from softphone import DtmfMethod, PhoneConfig, SrtpUse, Transport
from softphone.dial_plan import IP_PREFIXES, DialPlan
from softphone.events import RecordingSettings


def phone_config(
    settings: Settings,
    credentials: CredentialStore,
    demo: bool,
    warn: Callable[[str], None],
    recording: RecordingSettings | None = None,
) -> PhoneConfig:
    """What the phone needs to start; a keychain that cannot be read is reported through
    ``warn`` and the phone starts without a password (the registrar will say 401)."""
    s = settings
    password = ""
    if s.sip_registrar and not demo:
        try:
            password = credentials.load_token(s.sip_registrar, s.sip_auth_user or s.sip_user) or ""
        except CredentialStoreError as exc:
            warn(str(exc))
    # A sips: registrar or proxy means TLS on every hop (RFC 3261 §19.1), whatever the
    # transport setting says.
    secure = any(uri.startswith("sips:") for uri in (s.sip_registrar, s.sip_outbound_proxy))
    transport = Transport.TLS if secure and not demo else Transport(s.sip_transport)
    return PhoneConfig(
        user=s.sip_user,
        password=password,
        domain="127.0.0.1" if demo else s.sip_domain,
        registrar="" if demo else s.sip_registrar,
        auth_user=s.sip_auth_user,
        transport=transport,
        # The demo listens on loopback only, on any free port.
        bind_address="127.0.0.1" if demo else s.sip_bind_address,
        port=0 if demo else s.sip_port,
        srtp=SrtpUse(s.sip_srtp),
        tls_ca_file=s.sip_ca_file,
        dtmf=DtmfMethod(s.sip_dtmf),
        trusted_peers=s.sip_trusted_peers,
        keep_withheld_number=s.sip_keep_withheld_number,
        queue_headers=s.sip_queue_headers,
        call_data_headers=s.sip_call_data_headers,
        max_offers_per_s=s.sip_max_offers_per_s,
        only_trusted_sources=s.sip_only_trusted_sources,
        sip_log_level=s.sip_log_level,
        outbound_proxy="" if demo else s.sip_outbound_proxy,
        watched_lines=tuple(o.extension for o in outside_extensions(s)),
        rtp_port=s.sip_rtp_port,
        rtp_port_range=s.sip_rtp_port_range,
        codecs=tuple(c.upper() for c in s.sip_codecs),
        stun_servers=() if demo else s.sip_stun_servers,
        ice=s.sip_ice and not demo,
        recording=recording or RecordingSettings(),
    )


def dial_plan(settings: Settings) -> DialPlan:
    """The site's dial plan (``[dial_plan]`` in the configuration)."""
    s = settings
    return DialPlan(
        country_code=s.dial_country_code,
        area_code=s.dial_area_code,
        trunk_prefix=s.dial_trunk_prefix,
        international_prefix=s.dial_international_prefix,
        outside_line=s.dial_outside_line,
        max_extension_digits=s.dial_max_extension_digits,
        ip_prefixes=s.dial_ip_prefixes or IP_PREFIXES,
        queue_numbers=s.dial_queue_numbers,
    )
