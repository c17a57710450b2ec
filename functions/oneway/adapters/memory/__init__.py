"""Store in memory, one module per aggregate: the fake the service tests run on.

It keeps the DynamoDB adapter's items under the same keys (``dynamo/keys.py``) in dicts, so what the store
promises (conditional saves, one atomic save for a change and its outbox messages, uniqueness of keys, sparse
indexes, orderings, cursors that refuse another list's) holds alike; the contract suite (tests/contract/
test_store_contract.py) runs every aggregate's contract on both. Not for production: nothing is kept.
"""

from __future__ import annotations

from .audit import Audit
from .candidates import Candidates
from .delivery import Outbox
from .erasure import Erasure
from .interviews import Interviews
from .organizations import Organizations
from .reviews import Reviews
from .search import Search
from .sharing import Sharing


class MemoryStore(Organizations, Interviews, Candidates, Erasure, Reviews, Sharing, Audit, Search, Outbox):
    """The ``Store`` port (ports.py) in memory."""


__all__ = ["MemoryStore"]
