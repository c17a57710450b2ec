"""Service tests: use cases, and the handlers that call them, on in-memory ports (``memory_ports``,
tests/support/memory.py), no moto. The adapters' suites (tests/contract, tests/integration) and the
end-to-end flows run on moto or the local stack."""

from __future__ import annotations

import pytest


@pytest.fixture
def ports(memory_ports):
    return memory_ports
