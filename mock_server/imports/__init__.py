"""The shared import engine: file formats, row rules, job progression on the virtual clock.

Vendor-neutral: vendors supply their vocabulary (statuses, stage timings, messages) as data.
"""
