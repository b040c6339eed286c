"""The HTTP API (FastAPI): `create_app(settings)` builds it; nothing is configured at import."""
