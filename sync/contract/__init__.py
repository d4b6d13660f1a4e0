"""The contract between desk and server: what both ends must agree on, and its version.

This package grows into the whole contract half of ``sync`` (records, rules, wire schemas,
events, error codes, routes); the backend imports only the contract half. ``version`` says
which contract a desk or a server speaks and which the other end must speak at least.
"""
