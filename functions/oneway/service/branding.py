"""An organization's brand as its pages and emails show it."""

from __future__ import annotations

from ..domain.models import Brand, Organization
from ..ports import Ports


def brand_of(p: Ports, org: Organization | None) -> Brand:
    """The brand for an organization's pages and emails (Oneway's own look when it sets none)."""
    del p
    return Brand(name=org.name if org else "The hiring team")
