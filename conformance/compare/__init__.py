"""`pim-conformance compare`: the same scenarios, with the same seed, against two targets, and where they differ.

    observe.py   every answer a run got, normalised into an `Observation` (no ids, timestamps or order left)
    profile.py   one run's observations folded per operation: statuses, fields and types, messages, pages, jobs
    choices.py   what the spec marks as the fake's choice or inferred (`x-fake-choice`, `x-inferred`)
    differ.py    two profiles (and the two runs' verdicts) -> `Drift` items, each contract or seed-open
    report.py    the drift report: console, JSON (data/drift.schema.json) and HTML
    command.py   the subcommand: options, the two runs, the exit code
"""
