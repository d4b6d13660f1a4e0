"""The customer portal (issue 22): server-rendered pages where a customer signs in with an SMS
code (or a ticket number and phone), registers a problem with photos, follows their tickets,
rates or complains, and searches the FAQ.

``limits`` (sizes, rate limits), ``catalogue`` (the pages' zh/en texts), ``access`` (codes,
sessions, CSRF, which tickets a customer may see), ``faq`` (the desk's segmented search over
the server's articles), ``photos`` (upload checks), ``pages`` (the routes). A web chat would
be one more router beside ``pages`` sharing ``access``.
"""
