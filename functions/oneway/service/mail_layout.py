"""One layout for every email Oneway sends: HTML with a plain-text alternative.

The HTML is what email clients render reliably: nested tables, inline styles, no script, no external CSS. It
shows the organization's logo (when it has one) and name, the message in paragraphs, and at most one button in
the organization's accent colour, with its link again as short text beneath for clients that block buttons.
The text alternative says the same in the same order, the button as its words and the full link.

Every value placed in the HTML is escaped (``html.escape``): a candidate's name, an interview's title, an
organization's words. Templates are filled one placeholder at a time, never with ``str.format``, so a brace a
value holds stays as written and is never read as a placeholder. No template engine: this module is the engine.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ..domain.languages import CandidateLocale
from ..domain.models import Brand, Mail
from . import mail_strings

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ACCENT = "#0f766e"
FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with each known placeholder replaced by its value (unknown ones left as written)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def fill_html(template: str, values: Mapping[str, str], links: Iterable[str] = ()) -> str:
    """The template as HTML: its own words and every value escaped; a value named in ``links`` becomes a link."""
    linked = set(links)
    out: list[str] = []
    last = 0
    for m in PLACEHOLDER.finditer(template):
        out.append(html.escape(template[last : m.start()]))
        name = m.group(1)
        if name not in values:
            out.append(html.escape(m.group(0)))
        elif name in linked and values[name]:
            url = html.escape(values[name], quote=True)
            out.append(f'<a href="{url}" style="color:inherit">{url}</a>')
        else:
            out.append(html.escape(values[name]))
        last = m.end()
    out.append(html.escape(template[last:]))
    return "".join(out)


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (separated by blank lines), stripped, empty ones dropped."""
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def without_lines_of(template: str, name: str) -> str:
    """The template without the lines that hold ``{name}`` (a value the email lacks: the line would say nothing)."""
    kept = "\n".join(line for line in template.split("\n") if "{" + name + "}" not in line)
    return re.sub(r"\n{3,}", "\n\n", kept)


def when(at: datetime, zone: str | None, locale: CandidateLocale = "en") -> str:
    """A moment as the candidate's language writes it, in their zone (UTC when unknown):
    'Friday 4 December 2026, 17:00 (Europe/Berlin)', 'viernes, 4 de diciembre de 2026, 17:00 (Europe/Berlin)'."""
    local = at.astimezone(ZoneInfo(zone) if zone else UTC)
    return mail_strings.text(locale, "date").format(
        weekday=mail_strings.names(locale, "weekdays")[local.weekday()],
        day=local.day,
        month=mail_strings.names(locale, "months")[local.month - 1],
        year=local.year,
        time=f"{local:%H:%M}",
        zone=zone or "UTC",
    )


def accent_of(brand: Brand) -> str:
    return brand.accent if _HEX.match(brand.accent or "") else DEFAULT_ACCENT


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on the colour (WCAG relative luminance)."""

    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#ffffff" if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) else "#111111"


def short_link(url: str, most: int = 44) -> str:
    """The link as short text: without its scheme, cut with an ellipsis past ``most`` characters."""
    bare = re.sub(r"^https?://", "", url)
    return bare if len(bare) <= most else bare[: most - 1] + "…"


@dataclass
class Email:
    """What one email says, before the layout: the filled subject, the message template and its values, the
    button (words and link), notes under it, and the fixed lines of the layout in the reader's language."""

    to: str
    subject: str
    message: str  # a template: paragraphs separated by blank lines, with placeholders
    values: Mapping[str, str]
    link_fallback: str
    sent_by: str
    lang: str = "en"
    button: tuple[str, str] | None = None  # words, https link
    notes: list[str] = field(default_factory=list)  # plain text, after the button
    links: tuple[str, ...] = ("link",)  # the placeholders whose values are links


def render(brand: Brand, email: Email) -> Mail:
    """The email as HTML and as text, in the one layout. Where the message holds ``{link}``, the button stands
    there (the text alternative keeps the link in its sentence); elsewhere the button follows the message."""
    message = email.message if email.values.get("link") else without_lines_of(email.message, "link")
    subject = " ".join(email.subject.split())[:200]
    inline = email.button is not None and "{link}" in message
    text_parts = [fill(p, email.values) for p in paragraphs(message)]
    if email.button and not inline:
        text_parts.append(f"{email.button[0]}: {email.button[1]}")
    text_parts += email.notes
    text = "\n\n".join(text_parts) + f"\n\n-- \n{email.sent_by}\n"
    return Mail(to=email.to, subject=subject, text=text, html=_html(brand, email, message, subject))


def _html(brand: Brand, email: Email, message: str, subject: str) -> str:
    accent = accent_of(brand)
    esc = html.escape
    text_style = f"padding:0 32px;{FONT};font-size:16px;line-height:1.6;color:#1f2933"
    rows: list[str] = []
    placed = False
    for p in paragraphs(message):
        holds_button = email.button is not None and not placed and "{link}" in p
        words = fill_html(p.replace("{link}", "").rstrip() if holds_button else p, email.values, email.links)
        rows.append(f'<tr><td style="{text_style}"><p style="margin:0 0 16px">{words.replace(chr(10), "<br>")}</p></td></tr>')
        if holds_button:
            rows.append(_button(email, accent))
            placed = True
    if email.button and not placed:
        rows.append(_button(email, accent))
    logo = ""
    if brand.logo_url and re.match(r"^https?://", brand.logo_url):
        logo = (
            f'<img src="{esc(brand.logo_url, quote=True)}" alt="{esc(brand.name, quote=True)}" height="48" '
            'style="display:block;height:48px;max-width:200px;border:0;margin:0 0 12px">'
        )
    notes = "".join(f'<p style="margin:0 0 12px">{esc(n)}</p>' for n in email.notes)
    if notes:
        rows.append(f'<tr><td style="padding:8px 32px 4px;{FONT};font-size:14px;line-height:1.5;color:#3e4c59">{notes}</td></tr>')
    return (
        f'<!doctype html><html lang="{esc(email.lang, quote=True)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(subject)}</title></head>"
        f'<body style="margin:0;padding:0;background:#f3f4f6;{FONT}">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6">'
        '<tr><td align="center" style="padding:24px 12px">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="max-width:600px;background:#ffffff;border-radius:8px;border-top:6px solid {accent}">'
        f'<tr><td style="padding:28px 32px 20px">{logo}'
        f'<div style="{FONT};font-size:20px;font-weight:bold;color:#111827">{esc(brand.name)}</div></td></tr>'
        + "".join(rows)
        + f'<tr><td style="padding:16px 32px 28px;{FONT};font-size:12px;color:#6b7280;border-top:1px solid #e5e7eb">'
        f"{esc(email.sent_by)}</td></tr>"
        "</table></td></tr></table></body></html>"
    )


def _button(email: Email, accent: str) -> str:
    """The one button, in the accent colour, and its link as short text beneath (for clients that block buttons)."""
    assert email.button is not None
    words, url = email.button
    href = html.escape(url, quote=True)
    return (
        '<tr><td style="padding:4px 32px 20px">'
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>'
        f'<td bgcolor="{accent}" style="border-radius:6px;background:{accent}">'
        f'<a href="{href}" data-button="" style="display:inline-block;padding:14px 28px;{FONT};font-size:17px;font-weight:bold;'
        f'color:{ink_on(accent)};text-decoration:none;border-radius:6px">{html.escape(words)}</a></td></tr></table>'
        f'<p style="margin:14px 0 0;{FONT};font-size:13px;line-height:1.5;color:#52606d">{html.escape(email.link_fallback)} '
        f'<a href="{href}" style="color:{accent};word-break:break-all">{html.escape(short_link(url))}</a></p></td></tr>'
    )
