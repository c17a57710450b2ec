"""Errors the use cases raise; the API edge maps each to an HTTP status once."""

from __future__ import annotations


class OnewayError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidInput(OnewayError):
    status = 400
    code = "invalid_input"


class Unprocessable(OnewayError):
    """Well-formed, but its content is refused (a colour that white text cannot be read on, a file that is no picture)."""

    status = 422
    code = "unprocessable"


class InvalidTemplate(InvalidInput):
    """Words a template may not hold (an unknown placeholder): well-formed, but not something Oneway can send."""

    status = 422


class Unauthorized(OnewayError):
    status = 401
    code = "unauthorized"


class Forbidden(OnewayError):
    status = 403
    code = "forbidden"


class NotFound(OnewayError):
    status = 404
    code = "not_found"


class Conflict(OnewayError):
    """A state change that the current state does not allow."""

    status = 409
    code = "conflict"


class StaleWrite(Conflict):
    """Someone else saved the item first; read again and retry."""

    code = "stale_write"


class Gone(OnewayError):
    status = 410
    code = "gone"


class TooLarge(OnewayError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(OnewayError):
    status = 415
    code = "unsupported_media_type"


class TooManyRequests(OnewayError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, code: str | None = None, *, retry_after: int | None = None):
        super().__init__(message, code)
        self.retry_after = retry_after  # seconds, for the Retry-After header


class Busy(TooManyRequests):
    """A service is at its quota or throttling requests: the same request succeeds later
    (Transcribe's LimitExceededException, MediaConvert's TooManyRequestsException)."""

    code = "service_busy"


class EmailUnavailable(OnewayError):
    """Email cannot be sent for a reason of the deployment, not of the request: the SES sandbox
    refusing an unverified recipient, sending paused, the sending quota spent."""

    status = 503
    code = "email_unavailable"
