"""The workforce screens (issue 21): the lead's Workforce window (shift patterns, forecast and
staffing, the roster) and the agent's My shifts. pyqtgraph is loaded only when the lead opens
the window (``tests/unit/test_lazy_imports.py``)."""
