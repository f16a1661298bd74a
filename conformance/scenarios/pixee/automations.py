"""Automations: what POST /imports/automations takes and refuses, and a due automation producing a job.

That an automation runs is observable only through the fake's inferred GET /imports/automations/{id}
(`last_job_id`, X-106): against a server without it the run is not applicable. Its `http` source is a file
the suite serves itself on 127.0.0.1, so the run is tried only against a server on this machine.
"""

from __future__ import annotations

import math
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from conformance.checks import CheckFunction
from conformance.checks.pixee import automations, requests
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pixee import catalogs, flow
from conformance.scenarios.pixee.catalogs import EanPool
from conformance.scenarios.pixee.client import PixeeApi, json_body
from conformance.scenarios.pixee.requests import SEED_AUTOMATION
from conformance.scenarios.pixee.source_server import CatalogServer
from conformance.target import NEEDS_CLOCK, AdminClock

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _name(what: str) -> str:
    return f"pimkit conformance {what} {secrets.token_hex(3)}"


def _created(ctx: ScenarioContext, api: PixeeApi, body: dict[str, Any], made: list[str]) -> dict[str, Any] | None:
    response = api.create_automation(body)
    answer = json_body(response)
    if isinstance(answer, dict) and 200 <= response.status_code < 300 and answer.get("id"):
        made.append(str(answer["id"]))
    ctx.verify(automations.automation_created, response=response, sent_body=body)
    ctx.verify(automations.automation_answers_201, response=response)
    return answer if isinstance(answer, dict) else None


def _delete_all(api: PixeeApi, made: list[str]) -> None:
    for automation_id in made:  # the seed documents no delete: best effort, never judged
        api.delete_automation(automation_id)


@scenario(flow.API, rules=["PX-29", "PX-30", "PX-31", "PX-32", "PX-33"])
def automation_requests(ctx: ScenarioContext) -> None:
    """The seed's automation is created (is_active true by default); a bad cron, source type or mapping is refused."""
    api, made = flow.pixee_api(ctx), list[str]()
    inactive = {**SEED_AUTOMATION, "is_active": False}
    try:
        seed = {k: v for k, v in SEED_AUTOMATION.items() if k != "is_active"}
        _created(ctx, api, {**seed, "name": _name("seed example")}, made)
        _created(ctx, api, {**inactive, "name": _name("inactive")}, made)
        sources = [
            {"type": "ftp", "host": "ftp.supplier.example", "path": "/exports/products.csv"},
            {"type": "http", "url": "https://supplier.example/exports/products.csv"},
        ]
        for source in sources:
            _created(ctx, api, {**inactive, "name": _name(source["type"]), "file_source": source}, made)
        _created(ctx, api, {**inactive, "name": _name("mapping"), "mapping": {"EAN": "ean"}}, made)
        secret = {**SEED_AUTOMATION["file_source"], "password": "s3cret-" + secrets.token_hex(4)}
        answer = api.create_automation({**inactive, "name": _name("credentials"), "file_source": secret})
        ctx.verify(automations.source_secrets_not_echoed, response=answer)
        if isinstance(json_body(answer), dict) and json_body(answer).get("id"):
            made.append(str(json_body(answer)["id"]))

        refusals: list[tuple[CheckFunction, dict[str, Any], str | None]] = [
            (automations.invalid_cron_refused, {"schedule": "every day"}, "invalid_schedule"),
            (automations.invalid_cron_refused, {"schedule": "61 2 * * *"}, "invalid_schedule"),
            (automations.unsupported_source_refused, {"file_source": {"type": "s3", "path": "/x.csv"}}, None),
            (automations.non_object_mapping_refused, {"mapping": "EAN"}, None),
            (
                automations.incomplete_source_refused,
                {"file_source": {"type": "sftp", "path": "/x.csv"}},
                "invalid_source",
            ),
            (automations.incomplete_source_refused, {"file_source": {"type": "http"}}, "invalid_source"),
        ]
        for judge, change, message in refusals:
            body = {**inactive, "name": _name("refused"), **change}
            ctx.note(f"automation with {change}")
            response = api.create_automation(body)
            if 200 <= response.status_code < 300 and isinstance(json_body(response), dict):
                made.append(str(json_body(response).get("id")))
            ctx.verify(judge, response=response)
            ctx.verify(requests.error_envelope, response=response, message=message)
    finally:
        _delete_all(api, made)


def _due_schedule(ctx: ScenarioContext) -> tuple[str, float]:
    """A schedule whose next run is a minute or two ahead of the target's clock: daily at that minute when
    the suite moves the fake's clock itself (so it does not run again soon), else every minute."""
    now = ctx.target.clock.now()
    if isinstance(ctx.target.clock, AdminClock):
        due = (math.floor(now / 60) + 2) * 60.0
        when = datetime.fromtimestamp(due, tz=UTC)
        return f"{when.minute} {when.hour} * * *", due
    return "* * * * *", (math.floor(now / 60) + 1) * 60.0


def _after_due(ctx: ScenarioContext, api: PixeeApi, automation_id: str, due: float) -> dict[str, Any]:
    """Let the due time pass, then read the automation until it names a job (or time runs out)."""
    clock = ctx.target.clock
    if isinstance(clock, AdminClock):
        clock.advance(max(1.0, due - clock.now() + 1))
    deadline = time.monotonic() + max(0.0, due - clock.now()) + ctx.options.timeout
    while True:
        automation = json_body(api.get_automation(automation_id)) or {}
        if automation.get("last_job_id") or time.monotonic() > deadline or isinstance(clock, AdminClock):
            return automation
        clock.advance(1.0)


@scenario(flow.API, rules=["PX-29", "PX-11", "PX-16", "X-106"])
def automation_runs(ctx: ScenarioContext) -> None:
    """An http automation due on the clock fetches its file (served by the suite) and imports it as a job."""
    host = urlsplit(ctx.target.base_url).hostname or ""
    if host not in LOOPBACK:
        ctx.note(f"{host} is not this machine: it could not fetch a file the suite serves; not applicable")
        return
    api, pool = flow.pixee_api(ctx), EanPool()
    catalog = catalogs.valid_rows(pool, 5)
    facts = catalog.facts()
    with CatalogServer(catalog.upload()) as server:
        schedule, due = _due_schedule(ctx)
        body = {"name": _name("run"), "supplier_code": flow.supplier_code(), "schedule": schedule,
                "file_source": {"type": "http", "url": server.file_url}}  # fmt: skip
        when = datetime.fromtimestamp(due, tz=UTC).isoformat()
        ctx.note(f"automation {schedule!r} from {server.file_url}, due {when}")
        made: list[str] = []
        try:
            created = _created(ctx, api, body, made)
            if not made or created is None:
                return
            first = api.get_automation(made[0])
            ctx.verify(automations.automation_readable, response=first)
            if first.status_code != 200 or "last_job_id" not in (json_body(first) or {}):
                ctx.note("the server shows no automation's runs (GET …/automations/{id}, last_job_id): not applicable")
                return
            automation = _after_due(ctx, api, made[0], due)
            ctx.note(f"after the due time: {automation}; the file was fetched {server.fetches} times")
            ctx.require(automations.due_automation_ran, automation=automation, due=due)
            job = flow.follow(ctx, api, str(automation["last_job_id"]))
            flow.judge_counts(ctx, job, facts)
            if isinstance(ctx.target.clock, AdminClock):
                ctx.verify(automations.automation_job_started_when_due, automation=automation, job=job, due=due)
            else:
                ctx.skip(automations.automation_job_started_when_due,
                         f"{NEEDS_CLOCK}: on a real clock the due minute is only known to the minute")
        finally:
            _delete_all(api, made)
