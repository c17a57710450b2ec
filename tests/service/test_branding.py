"""The organization's brand, on the in-memory ports: an admin sets an accent (refused when white text on it fails
WCAG AA) and a logo (uploaded to a server-made key, then checked by its own bytes: PNG, JPEG or WebP, at most
512 KB and 1024x1024 pixels; a refused file is deleted); both are audited; pages and emails get them from brand_of;
the public logo route answers the bytes with long caching keyed by the version."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from oneway.domain.models import Role
from oneway.local.gateway import LambdaContext
from oneway.service import branding, identity
from tests.service.test_review_fairness import INTERVIEW, h, ok
from tests.support.events import call, http_event
from tests.support.images import GIF, SVG, picture


@pytest.fixture
def acme(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "ann", "ann@acme.test", Role.admin)
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    identity.add_member(ports, "acme", "rita", "rita@acme.test", Role.reviewer)
    return ports


def upload(ports, data: bytes, content_type: str = "image/png", sub: str = "ann") -> str:
    """The browser's part: ask for the URL, PUT the bytes there (here: into the fake bucket at the signed key)."""
    ticket = ok("POST", "/api/organization/logo/upload", {"contentType": content_type, "size": len(data)}, sub=sub, expect=201)
    url = urlsplit(ticket["url"])
    key = url.path.split("/uploads/", 1)[1]
    assert key == f"org/acme/brand/upload/{ticket['uploadId']}"
    assert parse_qs(url.query) == {"type": [content_type], "length": [str(len(data))], "expires": ["300"]}
    ports.objects.objects[f"uploads/{key}"] = data
    return ticket["uploadId"]


def brand_events(ports, clock) -> list[tuple[str, dict]]:
    month = clock.now().strftime("%Y-%m")
    found = [e for e in ports.store.list_audit("acme", month, 500) if e.action == "organization.brand_changed"]
    return [(e.actor, e.detail) for e in sorted(found, key=lambda e: (e.at, e.event_id))]


def raw(method, path, **kw):
    return h(http_event(method, path, **kw), LambdaContext("test"))


def test_without_a_brand_pages_get_onewys_own_look(acme):
    org = acme.store.get_organization("acme")
    assert branding.brand_of(acme, org).model_dump() == {"name": "Acme", "accent": "#0f766e", "logo_url": None}
    assert branding.brand_of(acme, None).name == "The hiring team"
    assert ok("GET", "/api/me")["brand"] == {"name": "Acme", "accent": "#0f766e", "logoUrl": None}


def test_an_admin_sets_an_accent_that_white_text_can_be_read_on(acme, clock):
    org = ok("PATCH", "/api/organization", {"accent": "#1D4ED8"}, sub="ann")
    assert org["accent"] == "#1d4ed8" and org["brand"]["accent"] == "#1d4ed8"
    assert branding.brand_of(acme, acme.store.get_organization("acme")).accent == "#1d4ed8"
    # Members see it in the header; the same value set again changes nothing.
    assert ok("GET", "/api/me", sub="rita")["brand"]["accent"] == "#1d4ed8"
    ok("PATCH", "/api/organization", {"accent": "#1d4ed8"}, sub="ann")
    # Empty: Oneway's own again.
    assert ok("PATCH", "/api/organization", {"accent": ""}, sub="ann")["brand"]["accent"] == "#0f766e"
    assert brand_events(acme, clock) == [
        ("ann", {"accent": {"from": None, "to": "#1d4ed8"}}),
        ("ann", {"accent": {"from": "#1d4ed8", "to": None}}),
    ]


@pytest.mark.parametrize("pale", ["#777777", "#ffff00", "#ff0000", "#ffffff", "#10b981"])
def test_an_accent_that_fails_aa_contrast_with_white_is_refused(acme, pale):
    status, body = call(h, "PATCH", "/api/organization", {"accent": pale}, sub="ann")
    assert status == 422 and body["code"] == "accent_low_contrast", body
    assert "4.5:1" in body["message"]
    assert acme.store.get_organization("acme").accent is None


@pytest.mark.parametrize("bad", ["red", "#12345", "#1234567", "#gggggg", "1d4ed8", "#1d4ed8;", "rgb(0,0,0)", "# 1d4ed8", 7])
def test_an_accent_that_is_not_rrggbb_is_refused_by_its_schema(acme, bad):
    status, body = call(h, "PATCH", "/api/organization", {"accent": bad}, sub="ann")
    assert status == 422 and body["code"] == "validation_failed", (bad, body)


def test_only_admins_set_the_brand(acme):
    for sub in ("alice", "rita"):
        assert call(h, "PATCH", "/api/organization", {"accent": "#1d4ed8"}, sub=sub)[0] == 403
        assert call(h, "POST", "/api/organization/logo/upload", {"contentType": "image/png", "size": 100}, sub=sub)[0] == 403
        assert call(h, "PUT", "/api/organization/logo", {"uploadId": "0" * 24}, sub=sub)[0] == 403
        assert call(h, "DELETE", "/api/organization/logo", sub=sub)[0] == 403


@pytest.mark.parametrize(("form", "content_type"), [("png", "image/png"), ("jpeg", "image/jpeg"), ("webp", "image/webp"), ("webp-alpha", "image/webp")])
def test_a_checked_logo_is_stored_in_the_media_bucket_and_shown_everywhere(acme, clock, form, content_type):
    data = picture(form, 240, 80)
    upload_id = upload(acme, data, content_type)
    brand = ok("PUT", "/api/organization/logo", {"uploadId": upload_id}, sub="ann")
    org = acme.store.get_organization("acme")
    assert brand["logoUrl"] == f"http://127.0.0.1:8000/api/brand/acme/logo?v={org.logo_version}"
    assert org.logo_type == content_type and org.logo_key.startswith("org/acme/brand/logo-")
    assert acme.objects.objects[f"media/{org.logo_key}"] == data and acme.objects.types[org.logo_key] == content_type
    # The unchecked upload is gone; the brand reaches emails (brand_of) and every page.
    assert f"uploads/org/acme/brand/upload/{upload_id}" not in acme.objects.objects
    assert branding.brand_of(acme, org).logo_url == brand["logoUrl"]
    assert ok("GET", "/api/me", sub="rita")["brand"]["logoUrl"] == brand["logoUrl"]
    assert ok("GET", "/api/organization", sub="ann")["brand"]["logoUrl"] == brand["logoUrl"]
    (event,) = brand_events(acme, clock)
    assert event == ("ann", {"logo": {"type": content_type, "width": 240, "height": 80, "bytes": len(data), "version": org.logo_version}})


def test_a_new_logo_gets_a_new_address_and_the_old_one_is_deleted(acme):
    first = ok("PUT", "/api/organization/logo", {"uploadId": upload(acme, picture("png", 10, 10))}, sub="ann")
    old_key = acme.store.get_organization("acme").logo_key
    second = ok("PUT", "/api/organization/logo", {"uploadId": upload(acme, picture("jpeg", 20, 20), "image/jpeg")}, sub="ann")
    assert first["logoUrl"] != second["logoUrl"]
    assert f"media/{old_key}" not in acme.objects.objects
    # Removed: no logo, the object deleted, audited; removing again changes nothing.
    assert ok("DELETE", "/api/organization/logo", sub="ann")["logoUrl"] is None
    assert not [k for k in acme.objects.objects if "/brand/" in k]
    ok("DELETE", "/api/organization/logo", sub="ann")
    org = acme.store.get_organization("acme")
    assert (org.logo_key, org.logo_type, org.logo_version) == (None, None, None)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (SVG, "logo_not_image"),
        (GIF, "logo_not_image"),
        (b"<html><script>alert(1)</script></html>", "logo_not_image"),
        (picture("png", 1025, 10), "logo_too_many_pixels"),
        (picture("webp", 10, 1200), "logo_too_many_pixels"),
        (picture("jpeg", 1100, 1100), "logo_too_many_pixels"),
        (picture("png", 10, 10) + bytes(512 * 1024), "logo_too_large"),
    ],
)
def test_a_file_that_fails_the_checks_is_refused_and_deleted(acme, clock, data, code):
    upload_id = upload(acme, data[:100])  # declared small; the bytes stored are what is checked
    acme.objects.objects[f"uploads/org/acme/brand/upload/{upload_id}"] = data
    status, body = call(h, "PUT", "/api/organization/logo", {"uploadId": upload_id}, sub="ann")
    assert status == 422 and body["code"] == code, body
    assert f"uploads/org/acme/brand/upload/{upload_id}" not in acme.objects.objects
    assert acme.store.get_organization("acme").logo_key is None
    assert brand_events(acme, clock) == []


def test_the_upload_is_bounded_before_it_starts(acme):
    for cmd in (
        {"contentType": "image/svg+xml", "size": 100},
        {"contentType": "image/gif", "size": 100},
        {"contentType": "image/png", "size": 512 * 1024 + 1},
        {"contentType": "image/png", "size": 0},
    ):
        status, body = call(h, "POST", "/api/organization/logo/upload", cmd, sub="ann")
        assert status == 422 and body["code"] == "validation_failed", (cmd, body)
    # An upload id that was never given out (or was checked already): nothing to check.
    status, body = call(h, "PUT", "/api/organization/logo", {"uploadId": "a" * 24}, sub="ann")
    assert status == 404 and body["code"] == "logo_upload_not_found"
    assert call(h, "PUT", "/api/organization/logo", {"uploadId": "../../x"}, sub="ann")[0] == 422


def test_the_public_logo_route_answers_the_bytes_with_caching_keyed_by_version(acme):
    data = picture("png", 64, 32)
    brand = ok("PUT", "/api/organization/logo", {"uploadId": upload(acme, data)}, sub="ann")
    version = parse_qs(urlsplit(brand["logoUrl"]).query)["v"][0]
    answer = raw("GET", "/api/brand/acme/logo", query={"v": version})
    assert answer["statusCode"] == 200
    body = base64.b64decode(answer["body"]) if answer.get("isBase64Encoded") else answer["body"]
    assert body == data
    headers = {k.lower(): v for k, v in answer["headers"].items()}
    assert headers["content-type"] == "image/png"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    # An old or missing version: the current logo, cached briefly.
    for query in ({"v": "old"}, None):
        stale = raw("GET", "/api/brand/acme/logo", query=query)
        assert stale["statusCode"] == 200 and {k.lower(): v for k, v in stale["headers"].items()}["cache-control"] == "public, max-age=300"


def test_the_public_logo_route_says_nothing_of_organizations_without_one(acme):
    for org_id in ("acme", "nobody", "a" * 65, "x.y"):
        status, body = call(h, "GET", f"/api/brand/{org_id}/logo")
        assert status == 404 and body["code"] in ("logo_not_found", "route_not_found"), (org_id, body)


def test_the_candidate_apply_and_share_pages_carry_the_brand(acme):
    ok("PATCH", "/api/organization", {"accent": "#7c3aed"}, sub="ann")
    logo = ok("PUT", "/api/organization/logo", {"uploadId": upload(acme, picture("png", 50, 50))}, sub="ann")["logoUrl"]
    want = {"name": "Acme", "accent": "#7c3aed", "logoUrl": logo}
    iid = ok("POST", "/api/interviews", INTERVIEW, expect=201)["interviewId"]
    item = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "ada@x.test"}]}, expect=201)["items"][0]
    status, session = call(h, "GET", "/api/c/session", token=item["inviteUrl"].split("#t=")[1])
    assert status == 200 and session["interview"]["brand"] == want
    link = ok("PUT", f"/api/interviews/{iid}/apply-link", {"open": True})
    slug = link["url"].rsplit("/", 1)[1]
    status, page = call(h, "GET", f"/api/c/apply/{slug}")
    assert status == 200 and page["brand"] == want, page
    share = ok("POST", f"/api/candidates/{item['candidateId']}/shares", {"minutes": 60}, expect=201)
    status, shared = call(h, "GET", "/api/share/candidate", token=share["url"].split("#/share/")[1])
    assert status == 200 and shared["brand"] == want
