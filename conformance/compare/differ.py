"""Two profiles, and the two runs' check outcomes, into `Drift` items: what differs, where, contract or open.

One item per operation and kind: status codes; a field present on one side only (its topmost path only, not
every path below it); a field's JSON type (null goes with any type: data and timing decide nullness); error
messages; pagination (a page longer than the size asked for, the page size applied when more items follow);
an import job's status sequence (the final status is contract; the transient ones depend on when the suite
polled, so a difference only there is open); a check that failed on one side only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

from conformance.compare.choices import Choices, _mark
from conformance.compare.observe import SIZE_PARAMS
from conformance.compare.profile import Profile
from conformance.results import CaseResult, Outcome

KINDS = ("status", "field", "type", "message", "pagination", "import_status", "verdict")
TIMING = "transient statuses depend on when the suite polled (the fake's clock jumps, a real clock runs)"


@dataclass(frozen=True)
class Drift:
    operation: str
    kind: str  # one of KINDS
    what: str  # one line: what differs
    left: str
    right: str
    contract: bool
    reason: str = ""  # why it is seed-open; empty for a contract difference

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _codes(codes: Iterable[int]) -> str:
    return ", ".join(map(str, sorted(codes))) or "(not called)"


def _statuses(left: Profile, right: Profile, choices: Choices) -> Iterable[Drift]:
    for op in sorted(set(left.statuses) | set(right.statuses)):
        ours, theirs = left.statuses.get(op, set()), right.statuses.get(op, set())
        differ = ours ^ theirs
        if not differ:
            continue
        reasons = {code: choices.of_status(op, code) for code in differ}
        marked = sorted(code for code, reason in reasons.items() if reason)
        registry = choices.registry(op, "status_code_conformance")
        for code in differ:
            other = theirs if code in ours else ours
            if code >= 500 and code != 501:  # a server error is never a choice (501: a method not implemented)
                reasons[code] = None
            elif reasons[code] is None and marked:  # the other answer where the fake made a choice is the vendor's
                reasons[code] = f"{code} answered in its place"
            elif reasons[code] is None and registry and any(c // 100 == code // 100 for c in other):
                reasons[code] = f"{registry}: {code} where the other side answers another {code // 100}xx"
        contract = any(reason is None for reason in reasons.values())
        shown = [reasons[code] for code in marked] + [r for c, r in sorted(reasons.items()) if c not in marked]
        open_reason = "" if contract else "; ".join(dict.fromkeys(r for r in shown if r is not None))
        what = f"status codes: {_codes(ours - theirs)} on the left only, {_codes(theirs - ours)} on the right only"
        yield Drift(op, "status", what, _codes(ours), _codes(theirs), contract, open_reason)


def _ancestors(path: str) -> list[str]:
    """`data[].id` -> ["$", "data", "data[]"]: the body itself, then each enclosing field."""
    if path == "$":
        return []
    parts = re.findall(r"[^.\[\]]+|\[\]", path)
    out, current = ["$"], ""
    for part in parts[:-1]:
        current = current + part if part == "[]" or not current else f"{current}.{part}"
        out.append(current)
    return out


def _depth(path: str) -> tuple[int, str]:
    return (0 if path == "$" else 1 + path.count(".") + path.count("[]"), path)


def _fields(left: Profile, right: Profile, choices: Choices) -> Iterable[Drift]:
    """Only the topmost path of a difference: what lies below a field that is missing or retyped is not listed."""
    for op, code in sorted(set(left.fields) & set(right.fields)):
        ours, theirs = left.fields[(op, code)], right.fields[(op, code)]
        typed = {p: (ours[p] - {"null"}, theirs[p] - {"null"}) for p in set(ours) & set(theirs)}
        retyped = {p for p, (a, b) in typed.items() if a and b and a != b}
        reported: set[str] = set()
        for path in sorted((set(ours) ^ set(theirs)) | retyped, key=_depth):
            if any(a in reported for a in _ancestors(path)):
                continue
            reported.add(path)
            reason = choices.of_field(op, code, path)
            name = "a JSON body" if path == "$" else f"`{path}`"
            if path in retyped:
                a, b = typed[path]
                yield Drift(op, "type", f"{code}: {name} has another JSON type", "/".join(sorted(a)),
                            "/".join(sorted(b)), reason is None, reason or "")
                continue
            side = "left" if path in ours else "right"
            shown = "/".join(sorted((ours if side == "left" else theirs)[path]))
            yield Drift(
                op, "field", f"{code}: {name} present on the {side} only",
                shown if side == "left" else "(absent)", shown if side == "right" else "(absent)",
                reason is None, reason or "",
            )


def _replaced(ours: set[str], theirs: set[str], choices: Choices) -> bool:
    """Within one scenario: a documented text gone (the other side answered no message at all, or another text
    in its place). One side merely saying more is not: the other refused fewer requests with this status."""
    mine, other = ours - theirs, theirs - ours
    documented = any(choices.documented_message(m) for m in mine | other)
    return documented and ((bool(mine) and bool(other)) or not ours or not theirs)


def _messages(left: Profile, right: Profile, choices: Choices) -> Iterable[Drift]:
    for op, code in sorted(set(left.messages) | set(right.messages)):
        if (op, code) not in left.fields or (op, code) not in right.fields:
            continue  # a status one side never answered: the status drift says so
        ours, theirs = left.messages.get((op, code), {}), right.messages.get((op, code), {})
        mine = set().union(*ours.values()) - set().union(*theirs.values())
        other = set().union(*theirs.values()) - set().union(*ours.values())
        sections = sorted(set(ours) | set(theirs))
        if not mine and not other:
            continue
        # A scenario in which only one side answered this status at all is a status difference, not a message one.
        contract = any(_replaced(ours[s], theirs[s], choices) for s in sections if s in ours and s in theirs)
        if contract:
            reason = ""
        elif any(choices.documented_message(m) for m in mine | other):
            reason = "one side refused more requests with this status (see the status and verdict differences)"
        else:
            reason = "the seed documents neither text"
        yield Drift(op, "message", f"{code}: error messages on one side only", " | ".join(sorted(mine)) or "(none)",
                    " | ".join(sorted(other)) or "(none)", contract, reason)


def _size_choice(choices: Choices, op: str) -> str | None:
    reason, operation = choices.of_operation(op), choices.operation(op)
    if reason or operation is None:  # no operation: of_operation gave the reason
        return reason
    for param in operation.raw.get("parameters", ()):
        param = choices.spec.resolve(param)
        if isinstance(param, Mapping) and param.get("name") in SIZE_PARAMS:
            mark = _mark(param) or _mark(param.get("schema"))
            if mark:
                return f"page size parameter {mark}"
            if "default" not in (choices.spec.resolve(param.get("schema")) or {}):
                return "the spec documents no default page size"
            return None
    return "the spec documents no page size parameter"


def _pages(left: Profile, right: Profile, choices: Choices) -> Iterable[Drift]:
    for op, size in sorted(set(left.pages) & set(right.pages), key=str):
        ours, theirs = left.pages[(op, size)], right.pages[(op, size)]
        asked = f"page size {size}" if size is not None else "default page size"
        if ours.overflow != theirs.overflow:
            yield Drift(op, "pagination", f"{asked}: a page longer than asked for",
                        str(ours.overflow).lower(), str(theirs.overflow).lower(), True)
        if ours.full is not None and theirs.full is not None and ours.full != theirs.full:
            reason = _size_choice(choices, op) if size is None else None
            yield Drift(op, "pagination", f"{asked}: items per page while more follow", str(ours.full),
                        str(theirs.full), reason is None, reason or "")


def _jobs(left: Profile, right: Profile, terminal: frozenset[str]) -> Iterable[Drift]:
    """Jobs with the same two sequences are one item. A final status differs in contract only when one side's
    is terminal: otherwise the scenario simply stopped reading before the job finished."""
    grouped: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for name in sorted(set(left.jobs) & set(right.jobs)):
        ours, theirs = left.jobs[name], right.jobs[name]
        if ours.statuses != theirs.statuses:
            key = (ours.operation, tuple(ours.statuses), tuple(theirs.statuses))
            grouped.setdefault(key, []).append(name)
    for (operation, left_seen, right_seen), names in grouped.items():
        final = left_seen[-1] != right_seen[-1] and bool({left_seen[-1], right_seen[-1]} & terminal)
        what = f"{'final status' if final else 'status sequence'} of {len(names)} job(s): {', '.join(names)}"
        yield Drift(operation, "import_status", what, " -> ".join(left_seen), " -> ".join(right_seen), final,
                    "" if final else TIMING)


def _outcome(result: CaseResult | None) -> str:
    return "(not run)" if result is None else str(result.status)


def verdicts(left: Iterable[CaseResult], right: Iterable[CaseResult]) -> Iterable[Drift]:
    """Checks whose outcome differs, one item per (operation, check, outcomes): a scenario check is filed under
    the operation whose answer showed the failure, its scenarios listed."""
    ours, theirs = {r.id: r for r in left}, {r.id: r for r in right}
    grouped: dict[tuple[str, str, str, str, bool], list[str]] = {}
    reasons: dict[tuple[str, str, str, str, bool], str] = {}
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key), theirs.get(key)
        if _outcome(a) == _outcome(b):
            continue
        result = a or b
        if result is None:  # neither side ran it: equal outcomes, never reached
            continue
        failing = next((r for r in (a, b) if r is not None and r.status is Outcome.FAILED), None)
        skipped = next((r.skip_reason for r in (a, b) if r is not None and r.skip_reason), None)
        if failing is not None and not result.strict_only:
            reason = ""
        elif failing is not None:
            reason = "the check probes the fake's own choice (--strict)"
        else:
            reason = f"ran on one side only: {skipped or 'not applicable to what the other side answered'}"
        operation = (failing and failing.failed_operation) or result.operation
        group = (operation, f"{result.kind} check {result.check}", _outcome(a), _outcome(b), not reason)
        grouped.setdefault(group, []).append(result.operation)
        reasons[group] = reason
    for group, where in grouped.items():
        operation, what, shown_left, shown_right, contract = group
        places = sorted(set(where) - {operation})
        detail = f" (in {', '.join(places)})" if places else ""
        yield Drift(operation, "verdict", what + detail, shown_left, shown_right, contract, reasons[group])


def diff(left: Profile, right: Profile, choices: Choices, terminal: frozenset[str] = frozenset()) -> list[Drift]:
    found = [
        *_statuses(left, right, choices),
        *_fields(left, right, choices),
        *_messages(left, right, choices),
        *_pages(left, right, choices),
        *_jobs(left, right, terminal),
    ]
    return found
