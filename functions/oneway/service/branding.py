"""An organization's brand as its pages and emails show it: an accent colour and a logo, set by its admins.

The accent must carry white button labels at WCAG AA (4.5:1), so no brand can make the product unreadable.
The logo goes up in two steps: the admin's browser PUTs the file to one key the server made in the uploads
bucket (a short-lived URL with its type and exact length signed in), then the API reads it back, checks it is
a PNG, JPEG or WebP of bounded size by its own bytes (domain/images.py: no SVG, which can carry script), and
writes the checked copy to the media bucket under a new version's key; a refused file is deleted. Pages and
emails address the logo at ``/api/brand/{orgId}/logo?v={version}`` on the public function: a new logo, a new
address, so a browser's or a mail client's cache never shows an old one, and an email read days later still
finds it (a presigned link would have expired).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from ..domain import keys
from ..domain.colours import AA_NORMAL_TEXT, DEFAULT_ACCENT, HEX, contrast_with_white
from ..domain.errors import NotFound, Unprocessable
from ..domain.images import MAX_LOGO_BYTES, MAX_LOGO_PIXELS, sniff
from ..domain.models import Actor, Brand, Organization, Role
from ..domain.tokens import new_id
from ..ports import Ports
from . import audit

if TYPE_CHECKING:  # the API's views load when a route needs them, not with every email's brand
    from .views import BrandView, LogoInput, LogoUploadRequest, LogoUploadTicket

# The upload URL's life: the browser PUTs the file at once.
LOGO_UPLOAD_SECONDS = 300
_ORG_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def brand_of(p: Ports, org: Organization | None) -> Brand:
    """The brand for an organization's pages and emails (Oneway's own look when it sets none)."""
    if org is None:
        return Brand(name="The hiring team")
    return Brand(name=org.name, accent=org.accent or DEFAULT_ACCENT, logo_url=logo_url(p, org))


def logo_url(p: Ports, org: Organization) -> str | None:
    """The logo's public, absolute address (the site's origin routes /api/ to the API), keyed by its version."""
    if not org.logo_key or not org.logo_version:
        return None
    return f"{p.settings.site_url.rstrip('/')}/api/brand/{org.org_id}/logo?v={org.logo_version}"


def brand_view(p: Ports, org: Organization | None) -> BrandView:
    from .views import BrandView

    brand = brand_of(p, org)
    return BrandView(name=brand.name, accent=brand.accent, logo_url=brand.logo_url)


def check_accent(accent: str) -> str | None:
    """The accent to store (lower case; None for Oneway's own); refused when white text on it is hard to read."""
    if not accent:
        return None
    if not HEX.fullmatch(accent):
        raise Unprocessable("the accent colour must be written #rrggbb", "accent_invalid")
    accent = accent.lower()
    ratio = contrast_with_white(accent)
    if ratio < AA_NORMAL_TEXT:
        raise Unprocessable(
            f"white text on {accent} has a contrast of {ratio:.2f}:1; buttons need at least {AA_NORMAL_TEXT}:1 "
            "(WCAG AA): choose a darker colour",
            "accent_low_contrast",
        )
    return None if accent == DEFAULT_ACCENT else accent


def _own_organization(p: Ports, actor: Actor) -> Organization:
    actor.require(Role.admin)
    org = p.store.get_organization(actor.org_id)
    if org is None:
        raise NotFound("no such organization", "organization_not_found")
    return org


def begin_logo_upload(p: Ports, actor: Actor, cmd: LogoUploadRequest) -> LogoUploadTicket:
    """A URL for one PUT of the logo's bytes (the declared type and exact length), for five minutes."""
    from .views import LogoUploadTicket

    org = _own_organization(p, actor)
    upload_id = new_id()
    key = keys.logo_upload_key(org.org_id, upload_id)
    url = p.objects.presign_upload(key, cmd.content_type, cmd.size, LOGO_UPLOAD_SECONDS)
    return LogoUploadTicket(
        upload_id=upload_id,
        url=url,
        content_type=cmd.content_type,
        expires_at=p.clock.now() + timedelta(seconds=LOGO_UPLOAD_SECONDS),
    )


def set_logo(p: Ports, actor: Actor, cmd: LogoInput) -> BrandView:
    """Check the uploaded file and make it the organization's logo; a refused file is deleted (422, with a code)."""
    org = _own_organization(p, actor)
    upload_key = keys.logo_upload_key(org.org_id, cmd.upload_id)
    data = p.objects.read_upload(upload_key, MAX_LOGO_BYTES)
    if data is None:
        raise NotFound("no logo was uploaded with this id (or it was checked already): upload it again", "logo_upload_not_found")

    def refuse(message: str, code: str) -> Unprocessable:
        p.objects.delete_upload(upload_key)
        return Unprocessable(message, code)

    if len(data) > MAX_LOGO_BYTES:
        raise refuse(f"the logo may be at most {MAX_LOGO_BYTES // 1024} KB", "logo_too_large")
    info = sniff(data)
    if info is None:
        raise refuse("the logo must be a PNG, JPEG or WebP picture (SVG is not accepted)", "logo_not_image")
    if info.width > MAX_LOGO_PIXELS or info.height > MAX_LOGO_PIXELS:
        raise refuse(
            f"the logo is {info.width}x{info.height} pixels; at most {MAX_LOGO_PIXELS}x{MAX_LOGO_PIXELS} are accepted",
            "logo_too_many_pixels",
        )
    version = new_id()
    key = keys.logo_key(org.org_id, version, info.type.value)
    p.objects.put_media(key, data, info.type.value)
    old = org.logo_key
    org.logo_key, org.logo_type, org.logo_version = key, info.type.value, version
    p.store.save(org)
    p.objects.delete_upload(upload_key)
    if old:
        p.objects.delete_media(old)
    audit.record(
        p, org.org_id, actor.user_id, "organization.brand_changed", org.org_id,
        logo={"type": info.type.value, "width": info.width, "height": info.height, "bytes": len(data), "version": version},
    )
    return brand_view(p, org)


def remove_logo(p: Ports, actor: Actor) -> BrandView:
    """The organization shows no logo any more (its object is deleted); without one, nothing changes."""
    org = _own_organization(p, actor)
    old = org.logo_key
    if old:
        org.logo_key = org.logo_type = org.logo_version = None
        p.store.save(org)
        p.objects.delete_media(old)
        audit.record(p, org.org_id, actor.user_id, "organization.brand_changed", org.org_id, logo=None)
    return brand_view(p, org)


class Logo:
    """The logo's bytes as the public route answers them."""

    def __init__(self, body: bytes, content_type: str, current: bool):
        self.body, self.content_type = body, content_type
        self.current = current  # asked for by its own version: the answer never changes


def public_logo(p: Ports, org_id: str, version: str | None) -> Logo:
    """An organization's logo, for anyone (its pages and emails show it): the bytes and nothing else about it."""
    org = p.store.get_organization(org_id) if _ORG_ID.fullmatch(org_id) else None
    data = p.objects.read_media(org.logo_key) if org and org.logo_key else None
    if org is None or data is None or not org.logo_type:
        raise NotFound("no logo", "logo_not_found")
    return Logo(data, org.logo_type, current=version == org.logo_version)
