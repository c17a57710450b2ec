"""Outgoing HTTP for webhooks, with the standard library: one POST, a short timeout, no redirects."""

from __future__ import annotations

import urllib.error
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a webhook answers where it is registered


class UrllibPoster:
    def __init__(self, timeout: float = 5.0):
        self._timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect)

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code
