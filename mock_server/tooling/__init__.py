"""Integrator tooling: the request journal, fault injection, lenient validation and `--data` persistence."""
