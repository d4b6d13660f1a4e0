"""The backend's schema migrations (Alembic): ``env.py`` and one module per revision in
``versions/``. Run them with ``agent-server --migrate`` (``server_stub.core.schema``)."""
