"""One run's observations folded per operation: what a drift report compares, side by side.

Union, not sequence: what an operation answered over the whole run (its status codes, for each code the field
paths and their types, its error messages), so neither request order nor how many times a scenario polled
counts. Import jobs are the exception: each keeps the sequence of statuses read, with repeats collapsed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from conformance.compare.observe import Observation, Page


@dataclass
class PageFacts:
    """Per operation and page size asked for (None: the default)."""

    longest: int = 0  # the most items one page held
    full: int | None = None  # a page length answered while the server said more items follow: the page size
    overflow: bool = False  # a page longer than the size asked for


@dataclass
class JobFacts:
    operation: str  # where its statuses were read
    statuses: list[str] = field(default_factory=list)

    def see(self, status: str) -> None:
        if not self.statuses or self.statuses[-1] != status:
            self.statuses.append(status)


@dataclass
class Profile:
    statuses: dict[str, set[int]] = field(default_factory=dict)  # operation -> codes answered
    undocumented: set[str] = field(default_factory=set)  # operations no spec path matched
    fields: dict[tuple[str, int], dict[str, set[str]]] = field(default_factory=dict)  # (op, code) -> path -> types
    # (op, code) -> scenario -> error messages: compared scenario by scenario, where the requests were the same
    messages: dict[tuple[str, int], dict[str, set[str]]] = field(default_factory=dict)
    pages: dict[tuple[str, int | None], PageFacts] = field(default_factory=dict)
    jobs: dict[str, JobFacts] = field(default_factory=dict)  # "scenario job #n" -> its statuses
    sections: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, observations: Iterable[Observation]) -> Profile:
        profile = cls()
        job_keys: dict[tuple[str, str], str] = {}
        for seen in observations:
            if seen.section not in profile.sections:
                profile.sections.append(seen.section)
            if not seen.documented:
                profile.undocumented.add(seen.operation)
            codes = profile.statuses.setdefault(seen.operation, set())
            if seen.status is None:
                continue
            codes.add(seen.status)
            key = (seen.operation, seen.status)
            paths = profile.fields.setdefault(key, {})
            for path, kind in seen.shape:
                paths.setdefault(path, set()).add(kind)
            if seen.status >= 400:  # an error answered without any message is kept too: an empty set
                profile.messages.setdefault(key, {}).setdefault(seen.section, set()).update(seen.messages)
            if seen.page is not None:
                profile._page(seen, seen.page)
            if seen.job is not None:
                job_id, status = seen.job
                name = job_keys.get((seen.section, job_id))
                if name is None:
                    ordinal = sum(1 for section, _ in job_keys if section == seen.section) + 1
                    name = job_keys[(seen.section, job_id)] = f"{seen.section or 'run'} job #{ordinal}"
                facts = profile.jobs.setdefault(name, JobFacts(seen.operation))
                facts.operation = seen.operation if seen.operation.startswith("GET") else facts.operation
                facts.see(status)
        return profile

    def _page(self, seen: Observation, page: Page) -> None:
        facts = self.pages.setdefault((seen.operation, page.requested), PageFacts())
        facts.longest = max(facts.longest, page.length)
        if page.more and page.length:
            facts.full = max(facts.full or 0, page.length)
        if page.requested is not None and page.length > page.requested:
            facts.overflow = True
