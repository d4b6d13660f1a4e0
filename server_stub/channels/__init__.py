"""Channels beyond the phone (issue 22): how a customer's message from another medium becomes
work on a team's queue, and how the agent's answer goes back.

Each medium is an adapter (``base.ChannelAdapter``) that turns what it receives into an
``InboundMessage`` and sends an ``OutboundMessage``; ``intake.take_in`` is shared by all of
them: the ticket it joins or opens, the customer it is matched to, the interaction it is
recorded as. Email is the first adapter (``email_channel``: IMAP in, SMTP out); the portal
and SMS sit beside it, and a later WeChat adapter needs only the same two methods.
"""
