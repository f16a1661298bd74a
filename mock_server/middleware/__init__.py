"""ASGI middlewares of the fake, one per file."""
