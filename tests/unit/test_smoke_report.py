"""How `oneway smoke` words a failed request and a failed step: what the operator reads first."""

from __future__ import annotations

import io

import pytest

from oneway.cli.smoke import Answer, Report, StepFailed, _describe


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (409, b'{"message": "1 question(s) still need an answer", "code": "answers_missing"}',
         "POST /api/c/complete answered 409 answers_missing: 1 question(s) still need an answer"),
        # API Gateway's own answer when the function fails: no code.
        (500, b'{"message":"Internal Server Error"}', "POST /api/c/complete answered 500 Internal Server Error"),
        # S3 answers in XML.
        (403, b'<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
         "POST /api/c/complete answered 403 AccessDenied: Access Denied"),
        (502, b"Bad gateway\n", "POST /api/c/complete answered 502 Bad gateway"),
    ],
)
def test_a_failed_request_is_told_by_method_path_status_and_the_error(status, body, said):
    # The query (a presigned URL's signature) is left out.
    assert _describe("POST", "https://oneway.example/api/c/complete?X-Amz-Signature=abc", Answer(status, {}, body)) == said


def test_each_step_prints_its_outcome_and_duration_and_the_first_failure_is_kept():
    out = io.StringIO()
    report = Report(out)
    with report.step("consent") as note:
        note["detail"] = "fine"
    with pytest.raises(StepFailed), report.step("start a take"):
        raise StepFailed("POST /api/c/questions/q1/takes answered 409 no_takes_left: none left")
    with pytest.raises(StepFailed), report.step("later"):
        raise KeyError("questionId")

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("  ok      consent ") and lines[0].endswith(" s  [fine]")
    assert lines[1].startswith("  FAILED  start a take  (")
    assert lines[2] == "          POST /api/c/questions/q1/takes answered 409 no_takes_left: none left"
    assert lines[4] == "          KeyError: 'questionId'"  # an unforeseen error still says what it was
    assert report.failure == "start a take: POST /api/c/questions/q1/takes answered 409 no_takes_left: none left"
    assert report.steps == 3
