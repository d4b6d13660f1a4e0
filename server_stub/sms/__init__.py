"""SMS notices (issue 22): the gateway interface, its adapters and the notices' templates.

``gateway.SmsGateway`` is what the server sends through; ``http_gateway.HttpSmsGateway`` speaks
to an HTTP SMS provider; ``gateway.RecordingSmsGateway`` is the test gateway (tests and the
demo read the codes and notices it keeps; it sends nothing). ``notices`` renders the templates
in the customer's language, honours opt-outs and logs every notice.
"""
