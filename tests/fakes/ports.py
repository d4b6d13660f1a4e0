"""Free loopback ports for tests: asked of the kernel (bind to port 0), never hard-coded, so
two runs, or a run beside a desk, do not collide."""

from __future__ import annotations

import socket

RTP_SEARCH_FROM = 20_000  # pjsua's RTP ports are even and take the next odd one for RTCP
RTP_SEARCH_TO = 60_000


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def free_udp_port(host: str = "127.0.0.1") -> int:
    """A UDP port nobody is bound to now."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _udp_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def free_rtp_pair(host: str = "0.0.0.0") -> int:
    """An even UDP port whose odd neighbour is free too (RTP and RTCP), found from one the
    kernel chose, so a test can say which port the first call's media must take."""
    for _attempt in range(200):  # bounded: the kernel's choices are spread over its range
        port = free_udp_port()
        base = port - port % 2
        in_range = RTP_SEARCH_FROM <= base < RTP_SEARCH_TO
        if in_range and _udp_free(host, base) and _udp_free(host, base + 1):
            return base
    raise RuntimeError("no free even/odd UDP port pair for RTP")
