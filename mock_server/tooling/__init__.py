"""Integrator tooling: the request journal, fault injection, lenient validation, `--data` persistence and the
pytest fixture's server."""
