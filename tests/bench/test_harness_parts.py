"""Pieces of the benchmarks that decide what is measured: the code asset, the wire counter, a missing cost model."""

from __future__ import annotations

import http.server
import sys
import threading
from typing import ClassVar

import pytest

from bench import cold_start, cost
from bench.flows import Wire, send_parts


def test_the_asset_is_the_one_cdk_packages():
    """The folder that infra/oneway_infra/code_asset.py stages for CDK: no local stack, and bytecode that
    matches each source (unchecked-hash .pyc files: Lambda's /var/task is read-only)."""
    import importlib.util

    asset = cold_start.package_asset()  # (puts infra/ on the path)
    from oneway_infra.code_asset import CODE_EXCLUDES

    assert "oneway/local" in CODE_EXCLUDES
    assert cold_start.package_asset() == asset  # built once per content
    files = {p.relative_to(asset).as_posix() for p in asset.rglob("*") if p.is_file()}
    assert "oneway/handlers/api.py" in files
    assert not [f for f in files if f.startswith(("oneway/local/", "oneway/cli/"))]
    tag = sys.implementation.cache_tag
    for source in [f for f in files if f.endswith(".py")]:
        folder, _, name = source.rpartition("/")
        compiled = asset / folder / "__pycache__" / f"{name[:-3]}.{tag}.pyc"
        data = compiled.read_bytes()
        assert data[:4] == importlib.util.MAGIC_NUMBER and int.from_bytes(data[4:8], "little") == 0b01, source
        assert data[8:16] == importlib.util.source_hash((asset / source).read_bytes()), source


class _Parts(http.server.BaseHTTPRequestHandler):
    """Takes PUTs like S3 takes parts: a part counts only when its whole body arrived."""

    stored: ClassVar[dict[str, int]] = {}  # one store for the server's handlers

    def do_PUT(self):
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        if len(body) != length:
            return
        self.stored[self.path] = len(body)
        self.send_response(200)
        self.send_header("ETag", f'"{len(body)}"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def part_server():
    _Parts.stored = {}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Parts)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_wire_counts_every_byte_and_a_cut_loses_only_the_parts_in_flight(part_server):
    data = bytes(range(256)) * 4096  # 1 MiB
    urls = {n: f"{part_server}/part?n={n}" for n in range(1, 9)}  # 8 parts of 128 KiB
    whole = Wire()
    assert len(send_parts(whole, urls, data, 128 * 1024)) == 8
    assert whole.sent == len(data)

    cut = Wire(cut_after=len(data) // 2 + 1000)
    got = send_parts(cut, urls, data, 128 * 1024)
    assert 0 < len(got) < 8
    assert cut.sent < len(data)
    assert all(_Parts.stored[f"/part?n={n}"] == 128 * 1024 for n in got)


def test_a_missing_cost_model_is_reported_as_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "oneway_infra.cost", None)  # importing it now raises ImportError
    rows = [r.settle() for r in cost.run()]
    assert [r.outcome for r in rows] == ["missing", "missing"]
    assert all(r.value is None for r in rows) and "not there" in rows[0].note
