"""Wizart as the scenarios call it: tokens of each kind, uploads, reads, the products an import left, waiting.

Every JSON:API answer read through this client is judged by `response_is_jsonapi` on the way (JA-01, JA-07).
A Bearer token that expires while the clock is advanced is renewed through /oauth/token, as a client does.
"""

from __future__ import annotations

from typing import Any

import httpx

from conformance.apis import get_profile
from conformance.bodies import json_body
from conformance.checks.wizart import protocol
from conformance.oauth import access_token, request_token
from conformance.observations import JobTrace
from conformance.scenarios import ScenarioContext
from conformance.scenarios.jobs import wait_for_job

VERSIONS = ("2.0", "2.1")
# A walk ends where `next` does, or where it points back to a page already read (a loop, which the check then
# sees as items listed twice); this bound only stops a server that invents pages for ever. It is in pages, not
# in items: at page[size]=100 it is 100,000 resources, far beyond any catalog a run meets (QA-D21).
MAX_PAGES = 1000


def base(version: str = "2.1") -> str:
    return f"/api/v{version}"


class WizartApi:
    def __init__(self, ctx: ScenarioContext) -> None:
        self.ctx = ctx
        self.target = ctx.target
        profile = get_profile("wizart")
        self.oauth_path = profile.oauth_path or "/oauth/token"
        given = getattr(ctx.target, "credentials", {})
        # A vendor's OAuth client and account tokens come from targets.toml or the environment (credentials);
        # else they are the fake's fixtures, which mean nothing against another server (no /__admin).
        self.fake = ctx.target.detect_admin()
        self.own_client = "client_id" in given and "client_secret" in given
        self.client_id: str
        self.client_secret: str
        self.client_id, self.client_secret = (given["client_id"], given["client_secret"]) if self.own_client else (
            profile.client_credentials())
        accounts = {kind: given[kind] for kind in ("web", "android", "ios", "direct") if kind in given}
        self.accounts = accounts or (profile.account_tokens() if self.fake else {})

    # --- tokens --------------------------------------------------------------------------------------------------

    def request_token(self, client_id: str | None = None, client_secret: str | None = None) -> httpx.Response:
        return request_token(self.target.client, self.target.base_url + self.oauth_path,
                             client_id or self.client_id, client_secret or self.client_secret)

    def renew(self) -> bool:
        token = access_token(self.request_token())
        if token:
            self.target.token = token
        return token is not None

    def token_for(self, kind: str) -> Any:
        return self.target.token if kind == "bearer" else self.accounts[kind]

    # --- requests ------------------------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, kind: str = "bearer", judge: bool = True,
                **kwargs: Any) -> httpx.Response:
        response = self.target.request(method, path, token=self.token_for(kind), **kwargs)
        if response.status_code == 401 and kind == "bearer" and self.renew():
            response = self.target.request(method, path, token=self.token_for(kind), **kwargs)
        if judge and not (response.status_code == 200 and path.endswith("/log")):
            self.ctx.verify(protocol.response_is_jsonapi, response=response)
        return response

    def upload(self, csv: bytes, images: bytes, product_type: str, *, version: str = "2.1", kind: str = "bearer",
               describe: str = "") -> httpx.Response:
        files = {"csv": ("catalog.csv", csv, "text/csv"), "images": ("images.zip", images, "application/zip")}
        return self.request("POST", f"{base(version)}/imports", kind=kind, files=files,
                            data={"product_type": product_type}, describe=describe or f"{product_type} CSV + ZIP")

    def read(self, import_id: str) -> dict[str, Any] | None:
        """The import as one flat mapping: `id`, `status` and the other attributes."""
        response = self.request("GET", f"{base()}/imports/{import_id}")
        body = json_body(response)
        data = body.get("data") if isinstance(body, dict) else None
        if response.status_code != 200 or not isinstance(data, dict):
            return None
        attributes = data.get("attributes")
        attributes = attributes if isinstance(attributes, dict) else {}
        return {"id": data.get("id"), **attributes}

    def wait(self, import_id: str) -> JobTrace:
        return wait_for_job(
            self.target.clock,
            lambda: self.read(import_id) or "the import was unreadable",
            import_id,
            self.ctx.options.timeout,
            self.ctx.checks.lifecycle.terminal,
        )

    def walk(self, path: str, *, kind: str = "bearer", pages: int = MAX_PAGES
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The resources a collection's `next` links lead to over at most `pages` pages, and each page's links."""
        items: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        next_path: str | None = path
        seen: set[str] = set()
        while next_path and len(links) < pages:
            seen.add(next_path)
            body = json_body(self.request("GET", next_path, kind=kind))
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                break
            items += [item for item in body["data"] if isinstance(item, dict)]
            page_links = body.get("links")
            page_links = page_links if isinstance(page_links, dict) else {}
            links.append(page_links)
            next_path = self.relative(page_links.get("next"))
            if next_path in seen:  # a loop: the walk stops with `next` set, which the check reports
                break
        return items, links

    def relative(self, link: Any) -> str | None:
        """A link as a path under the base URL (links may be absolute, or carry the base's own path)."""
        if not isinstance(link, str) or not link:
            return None
        url = httpx.URL(self.target.base_url).join(link)
        prefix = httpx.URL(self.target.base_url).path.rstrip("/")
        path = url.raw_path.decode()
        return path[len(prefix):] if path.startswith(prefix) else path

    def imported_keys(self, import_id: str) -> set[str]:
        """The SKUs of the products the import left (filter[import])."""
        items, _ = self.walk(f"{base()}/products?filter%5Bimport%5D={import_id}&page%5Bsize%5D=100")
        return {str((item.get("attributes") or {}).get("sku")) for item in items}
