"""Renderings of a `RunReport`: the console summary (rich), JUnit XML and a stable JSON document."""
