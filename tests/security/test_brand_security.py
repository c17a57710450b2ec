"""The brand's security, on moto's S3 and DynamoDB through the real adapters: one organization's admin cannot set,
replace or remove another's logo, nor check another's upload; the upload URL is short-lived and signs the type
and the length; the bytes read back are bounded whatever was put there; and the public logo route answers a
checked picture with its sniffed type, nosniff and a sandbox, and nothing else about the organization (an
organization without a logo and one that does not exist get the same 404)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from oneway.domain.models import Role
from oneway.handlers import api
from oneway.local.gateway import LambdaContext
from oneway.service import identity
from tests.support.events import call, http_event
from tests.support.images import picture

h = api.lambda_handler
UPLOADS = "oneway-uploads"


@pytest.fixture
def two(ports):
    for org in ("acme", "globex"):
        identity.create_organization(ports, org.title(), org_id=org)
        identity.add_member(ports, org, f"{org}-admin", f"admin@{org}.test", Role.admin)
    return ports


def put_logo(client, org: str, data: bytes, content_type: str = "image/png") -> tuple[dict, dict]:
    status, ticket = call(h, "POST", "/api/organization/logo/upload", {"contentType": content_type, "size": len(data)}, sub=f"{org}-admin")
    assert status == 201, ticket
    client("s3").put_object(Bucket=UPLOADS, Key=f"org/{org}/brand/upload/{ticket['uploadId']}", Body=data, ContentType=content_type)
    return ticket, call(h, "PUT", "/api/organization/logo", {"uploadId": ticket["uploadId"]}, sub=f"{org}-admin")[1]


def logo_answer(org_id: str, **query) -> dict:
    return h(http_event("GET", f"/api/brand/{org_id}/logo", query=query or None), LambdaContext("logo"))


def test_the_upload_url_is_short_lived_and_signs_type_and_length(two):
    data = picture("png", 30, 30)
    status, ticket = call(h, "POST", "/api/organization/logo/upload", {"contentType": "image/png", "size": len(data)}, sub="acme-admin")
    assert status == 201
    url = urlsplit(ticket["url"])
    params = parse_qs(url.query)
    assert url.path.endswith(f"/org/acme/brand/upload/{ticket['uploadId']}")
    assert params["X-Amz-Expires"] == ["300"]
    assert set(params["X-Amz-SignedHeaders"][0].split(";")) >= {"content-length", "content-type", "host"}


def test_another_organizations_admin_cannot_check_set_or_remove_a_logo(two, client):
    mine, brand = put_logo(client, "acme", picture("png", 30, 30))
    acme = two.store.get_organization("acme")
    assert brand["logoUrl"].endswith(f"v={acme.logo_version}")
    # A second upload of acme's, not yet checked: globex's admin names its id, and reads only globex's keys.
    status, ticket = call(h, "POST", "/api/organization/logo/upload", {"contentType": "image/png", "size": 100}, sub="acme-admin")
    client("s3").put_object(Bucket=UPLOADS, Key=f"org/acme/brand/upload/{ticket['uploadId']}", Body=picture("png", 50, 50))
    status, body = call(h, "PUT", "/api/organization/logo", {"uploadId": ticket["uploadId"]}, sub="globex-admin")
    assert status == 404 and body["code"] == "logo_upload_not_found"
    assert two.store.get_organization("globex").logo_key is None
    # Removing is of one's own organization only: acme's logo stays.
    assert call(h, "DELETE", "/api/organization/logo", sub="globex-admin")[0] == 200
    assert two.store.get_organization("acme").logo_key == acme.logo_key
    assert logo_answer("acme", v=acme.logo_version)["statusCode"] == 200
    # An accent of globex's does not touch acme's.
    call(h, "PATCH", "/api/organization", {"accent": "#1d4ed8"}, sub="globex-admin")
    assert two.store.get_organization("acme").accent is None
    del mine


def test_bytes_read_back_are_bounded_whatever_was_put(two, client):
    status, ticket = call(h, "POST", "/api/organization/logo/upload", {"contentType": "image/png", "size": 1000}, sub="acme-admin")
    huge = picture("png", 10, 10) + bytes(3 * 2**20)  # S3 would refuse it (the signed length); moto does not check
    client("s3").put_object(Bucket=UPLOADS, Key=f"org/acme/brand/upload/{ticket['uploadId']}", Body=huge)
    assert len(two.objects.read_upload(f"org/acme/brand/upload/{ticket['uploadId']}", 512 * 1024) or b"") == 512 * 1024 + 1
    status, body = call(h, "PUT", "/api/organization/logo", {"uploadId": ticket["uploadId"]}, sub="acme-admin")
    assert status == 422 and body["code"] == "logo_too_large"
    # Refused: deleted, every version.
    versions = client("s3").list_object_versions(Bucket=UPLOADS, Prefix="org/acme/brand/upload/")
    assert not versions.get("Versions") and not versions.get("DeleteMarkers")


def test_the_public_route_answers_the_picture_and_nothing_else(two, client):
    data = picture("webp", 64, 32)
    # Declared a PNG: the type served is the one its bytes say.
    _, brand = put_logo(client, "acme", data, "image/png")
    version = brand["logoUrl"].rsplit("=", 1)[1]
    answer = logo_answer("acme", v=version)
    assert answer["statusCode"] == 200
    assert base64.b64decode(answer["body"]) == data
    headers = {k.lower(): v for k, v in answer["headers"].items()}
    assert headers["content-type"] == "image/webp"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert "set-cookie" not in headers and not answer.get("cookies")
    assert set(headers) <= {"content-type", "cache-control", "x-content-type-options", "content-security-policy", "cross-origin-resource-policy"}
    # No logo, or no such organization, or an id that is no id: one answer, which says nothing more.
    missing = [call(h, "GET", f"/api/brand/{org}/logo") for org in ("globex", "nobody", "a" * 65)]
    assert {(status, body["code"], body["message"]) for status, body in missing} == {(404, "logo_not_found", "no logo")}
    # The route takes GET only, and no one's token changes what it says.
    assert call(h, "PUT", "/api/brand/acme/logo", {"x": 1}, sub="acme-admin")[0] == 405
