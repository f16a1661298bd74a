"""Checks of single Wizart responses: JSON:API documents and negotiation, OAuth, token kinds, version notices."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

import httpx
import jsonschema

from conformance.bodies import json_body
from conformance.checks import CheckContext
from conformance.checks.failures import AuthNotEnforced, BadRequestAccepted, PagingBroken, StatusCodeNotChosen
from conformance.checks.wizart import NotJsonApi, TokenKindIgnored, VersionNotice, answered, check, sent
from conformance.resources import load_jsonapi_schema

MEDIA_TYPE = "application/vnd.api+json"
SUNSET = "2023-01-01"  # the seed's lifetime table: 01.01.2023


@functools.cache
def jsonapi_validator() -> jsonschema.Draft202012Validator:
    return jsonapi_validator_for(load_jsonapi_schema("1.1"))


def jsonapi_validator_for(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema)


def media_type_problem(content_type: str | None) -> str | None:
    if not content_type:
        return "no Content-Type"
    media, *params = [part.strip() for part in content_type.split(";")]
    if media.lower() != MEDIA_TYPE:
        return f"Content-Type {content_type!r}"
    names = {p.split("=", 1)[0].strip().lower() for p in params if p}
    if names - {"ext", "profile"}:
        return f"Content-Type {content_type!r} carries parameters other than ext/profile"
    return None


@check(rules=["JA-01", "JA-07", "JA-04", "WZ-05"])
def response_is_jsonapi(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """The JSON:API media type, a body valid by the official v1.1 schema, and errors whose `status` is the
    response's own code as a string."""
    problems = []
    media = media_type_problem(response.headers.get("content-type"))
    plain_json = (response.headers.get("content-type") or "").split(";")[0].strip().lower() == "application/json"
    if media and not (plain_json and not ctx.strict):  # "based on JSON format": JSON:API's type is a goal
        problems.append(media)
    body = json_body(response)
    if body is None:
        problems.append("the body is not JSON")
    else:
        errors = sorted(jsonapi_validator().iter_errors(body), key=lambda e: list(e.absolute_path))
        problems += [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:160]}" for e in errors[:3]]
        if isinstance(body, Mapping) and isinstance(body.get("errors"), list) and not errors:
            statuses = {e.get("status") for e in body["errors"] if isinstance(e, Mapping) and "status" in e}
            if statuses - {str(response.status_code)}:
                problems.append(f"error status {sorted(map(repr, statuses))} for an HTTP {response.status_code}")
    if problems:
        raise NotJsonApi(received="; ".join(problems), expected="a JSON:API v1.1 document served as "
                         f"{MEDIA_TYPE} (error status a string)", context=f"{sent(response)} -> {answered(response)}")
    return True


@check(rules=["WZ-01", "WZ-02"])
def token_endpoint_answers_oauth(ctx: CheckContext, *, response: httpx.Response) -> bool:
    body = json_body(response)
    good = (response.status_code == 200 and isinstance(body, Mapping) and isinstance(body.get("access_token"), str)
            and str(body.get("token_type", "")).lower() == "bearer" and isinstance(body.get("expires_in"), int))
    if not good:
        raise AuthNotEnforced(received=answered(response), title="Client credentials gave no usable token",
                              expected='200 {"access_token": …, "token_type": "Bearer", "expires_in": <seconds>}')
    return True


@check(rules=["WZ-02"])
def bad_credentials_refused(ctx: CheckContext, *, response: httpx.Response, what: str) -> bool:
    if response.status_code not in (400, 401):
        raise AuthNotEnforced(received=answered(response), expected=f"400 or 401 for {what}", context=sent(response))
    return True


@check(rules=["WZ-02"])
def expired_token_refused(ctx: CheckContext, *, response: httpx.Response, waited: float) -> bool:
    if response.status_code != 401:
        raise AuthNotEnforced(received=answered(response), context=sent(response),
                              expected=f"401: the token's expires_in ({waited:g} s) has passed")
    return True


@check(rules=["WZ-01", "WZ-03", "WZ-04", "X-96"])
def token_kind_respected(ctx: CheckContext, *, response: httpx.Response, kind: str, allowed: tuple[str, ...],
                         operation: str) -> bool:
    accepted = response.status_code not in (401, 403)
    if accepted != (kind in allowed):
        want = "served (not 401/403)" if kind in allowed else "refused with 401 or 403"
        raise TokenKindIgnored(received=f"a {kind} token: {answered(response)}", context=sent(response),
                               expected=f"{operation} takes {', '.join(allowed) or 'no token'}: {want}")
    return True


@check(rules=["WZ-03", "X-96"], strict=True)
def refused_kind_answers_403(ctx: CheckContext, *, response: httpx.Response, kind: str) -> bool:
    if response.status_code != 403:
        raise StatusCodeNotChosen(received=answered(response), expected=f"403 for a known {kind} token the "
                                  "operation does not take (DECISIONS.md WZ-D05)")
    return True


def _sunset(response: httpx.Response) -> str | None:
    value = response.headers.get("sunset")
    try:
        return parsedate_to_datetime(value).date().isoformat() if value else None
    except (TypeError, ValueError):
        return f"unparseable {value!r}"


@check(rules=["WZ-06", "X-91"])
def retired_version_announced(ctx: CheckContext, *, responses: Mapping[str, httpx.Response]) -> bool:
    """One of 2.0 / 2.1 (X-91: which one is ambiguous) answers with Sunset: 01.01.2023 and a Deprecation header."""
    notices = {version: (_sunset(r), r.headers.get("deprecation")) for version, r in responses.items()}
    retired = [v for v, (sunset, deprecation) in notices.items() if sunset == SUNSET and deprecation]
    wrong = {v: n for v, n in notices.items() if n[0] not in (None, SUNSET)}
    if not retired or wrong:
        seen = ", ".join(f"{v}: Sunset {s!r}, Deprecation {d!r}" for v, (s, d) in notices.items())
        raise VersionNotice(received=seen,
                            expected=f"the version past end of support with Sunset {SUNSET} and a Deprecation header")
    return True


@check(rules=["WZ-06", "X-91"], strict=True)
def version_2_0_is_the_retired_one(ctx: CheckContext, *, responses: Mapping[str, httpx.Response]) -> bool:
    old, current = responses["2.0"], responses["2.1"]
    if _sunset(old) != SUNSET or "deprecation" in current.headers or "sunset" in current.headers:
        raise VersionNotice(received=f"2.0 Sunset {old.headers.get('sunset')!r}, 2.1 Sunset "
                            f"{current.headers.get('sunset')!r}", expected="2.0 retired, 2.1 current (WZ-D03)")
    return True


@check(rules=["JA-02"])
def content_type_parameters_415(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != 415:
        raise BadRequestAccepted(received=answered(response), context=sent(response),
                                 expected="415 for Content-Type: application/vnd.api+json with a charset parameter")
    return True


@check(rules=["JA-03"])
def accept_parameters_406(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != 406:
        raise BadRequestAccepted(received=answered(response), context=sent(response),
                                 expected="406 when every JSON:API media type in Accept carries a charset parameter")
    return True


@check(rules=["JA-05"])
def unknown_query_parameter_400(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != 400:
        raise BadRequestAccepted(received=answered(response), context=sent(response),
                                 expected="400 for a query parameter neither JSON:API nor the API defines")
    return True


@check(rules=["JA-06", "WZ-08"])
def pagination_walks_the_collection(ctx: CheckContext, *, walked: list[str], links: list[dict], created: set[str],
                                    size: int, whole: bool = True) -> bool:
    """`next` links lead through every page once: no resource twice, every import just created found, no page
    over its size, no `prev` on the first page and no `next` on the last (when the `whole` listing was walked,
    not only its first pages)."""
    problems = []
    repeated = sorted({i for i in walked if walked.count(i) > 1})
    if repeated:
        problems.append(f"listed twice: {repeated[:5]}")
    if created - set(walked):
        problems.append(f"never listed: {sorted(created - set(walked))[:5]}")
    if links and links[0].get("prev"):
        problems.append(f"first page has prev {links[0]['prev']!r}")
    if whole and links and links[-1].get("next"):
        problems.append(f"walk stopped with next {links[-1]['next']!r}")
    if len(walked) > size * len(links):
        problems.append(f"{len(walked)} items on {len(links)} pages of {size}")
    if problems:
        raise PagingBroken(received="; ".join(problems), expected="each import exactly once across the pages",
                           context=f"{len(links)} pages, {len(walked)} items")
    return True
