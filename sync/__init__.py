"""Data on both sides of the wire, with no Qt in it.

The contract half (``records``, ``rules``, ``wire``) is imported by the backend too; the desk
half (``client`` and, later, the local cache, outbox and sync engine) runs in the desktop.
"""
