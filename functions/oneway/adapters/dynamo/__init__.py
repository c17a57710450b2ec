"""Store on one DynamoDB table, one module per aggregate; the key design in ``keys.py``, the item codec in ``codec.py``.

Every write goes to the table's stream (new images); the deliver function takes the outbox messages from it
(an event filter on ``type``) and carries them out after the commit (service/delivery.py). The audit log is a
table of its own, which the functions may add to and read, never change (infra/oneway_infra/data.py).
A candidate and everything under it share one partition, so reading a whole candidate or erasing it is one
query, whatever the number of candidates. docs/architecture.md has every item and every access pattern.
"""

from __future__ import annotations

from .audit import AUDIT_PAGE_READS, Audit
from .candidates import TOKEN_OWNERS_KEPT, Candidates
from .delivery import OUTBOX_STREAM_BATCH_SIZE, OUTBOX_STREAM_FILTER, OUTBOX_STREAM_RETRIES, Outbox
from .erasure import Erasure
from .interviews import Interviews
from .keys import AUDIT_TABLE_DEFINITION, GSI_DUE, GSI_OWNER, GSI_TOKEN, TABLE_DEFINITION
from .organizations import Organizations
from .reviews import Reviews
from .search import Search
from .sharing import Sharing


class DynamoStore(Organizations, Interviews, Candidates, Erasure, Reviews, Sharing, Audit, Search, Outbox):
    """The ``Store`` port (ports.py): every aggregate's store on one table, so one ``save`` commits a change
    of any of them together with its outbox messages."""


__all__ = [
    "AUDIT_PAGE_READS",
    "AUDIT_TABLE_DEFINITION",
    "GSI_DUE",
    "GSI_OWNER",
    "GSI_TOKEN",
    "OUTBOX_STREAM_BATCH_SIZE",
    "OUTBOX_STREAM_FILTER",
    "OUTBOX_STREAM_RETRIES",
    "TABLE_DEFINITION",
    "TOKEN_OWNERS_KEPT",
    "DynamoStore",
]
