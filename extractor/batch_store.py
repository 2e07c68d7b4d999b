"""What the database keeps of batch runs (tables of migration m014_batches): batches, their requests and
their documents. Every write is one transaction, so a submit or collect killed at any point leaves each
row as it was or as it became, never half of it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from .store import Store, now

# A request is 'sent' until its answer is read: 'answered' (cached, like a live answer), 'failed' (asked
# live when its document is stored), or 'resubmitted' (moved to a follow-up batch).
SETTLED = ("answered", "failed")
# A batch's document is 'waiting' until its batch is collected: 'stored' (or skipped as current),
# 'moved' (some of its requests went to a follow-up batch), 'left' (the batch failed, expired or was
# cancelled: a later run or submit picks it up).


class BatchStore:
    """The batch tables of a Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def add_batch(self, row: dict[str, Any], requests: Sequence[dict[str, Any]],
                  documents: Sequence[dict[str, Any]]) -> None:
        """Record a batch being prepared, with its requests and documents, in one transaction."""
        with self.store.transaction():
            self.db["batches"].insert({**row, "status": "preparing", "created_at": now()}, pk="id")
            if requests:
                self.db["batch_requests"].insert_all([{**r, "batch_id": row["id"], "state": "sent"}
                                                      for r in requests], pk="id")
            if documents:
                self.db["batch_documents"].insert_all([{**d, "batch_id": row["id"], "state": "waiting"}
                                                       for d in documents], pk=("batch_id", "document_id"))

    def drop_unsent(self) -> list[str]:
        """Forget batches recorded as being prepared that never reached the provider (a submit killed
        before its batch was created); their requests may be sent again. Returns their ids."""
        gone = [r["id"] for r in self.db.query("select id from batches where provider_id is null")]
        with self.store.transaction():
            for batch_id in gone:
                for table in ("batch_requests", "batch_documents"):
                    self.db[table].delete_where("batch_id = ?", [batch_id])
                self.db["batches"].delete(batch_id)
        return gone

    def update(self, batch_id: str, **values: Any) -> None:
        """Change a batch's row."""
        with self.store.transaction():
            self.db["batches"].update(batch_id, {**values, "checked_at": now()})

    def batch(self, batch_id: str) -> dict[str, Any] | None:
        """One batch's row, by our id or the provider's (or a prefix of either)."""
        rows = list(self.db.query("select * from batches where id like ? or provider_id like ? order by created_at",
                                  [f"{batch_id}%", f"{batch_id}%"]))
        return rows[0] if len(rows) == 1 else None

    def batches(self, *, open_only: bool = True) -> list[dict[str, Any]]:
        """Batches, oldest first: those not yet collected or closed, or all."""
        where = " where closed_at is null" if open_only else ""
        return list(self.db.query(f"select * from batches{where} order by created_at, rowid"))

    def pending_keys(self) -> set[str]:
        """Cache keys of requests sent in a batch not yet read back: not to be sent again meanwhile."""
        return {row[0] for row in self.db.execute(
            "select r.key from batch_requests r join batches b on b.id = r.batch_id "
            "where r.state = 'sent' and b.closed_at is null").fetchall()}

    def parts(self, custom_id: str) -> list[dict[str, Any]]:
        """A request's rows by its custom_id: one, or one per passage of a packed request."""
        return list(self.db.query("select * from batch_requests where custom_id = ? order by id", [custom_id]))

    def requests(self, batch_id: str, state: str | None = None) -> Iterator[dict[str, Any]]:
        """A batch's requests (in one state), in the order they were sent."""
        sql = "select * from batch_requests where batch_id = ?" + (" and state = ?" if state else "")
        yield from self.db.query(sql + " order by id", [batch_id, state] if state else [batch_id])

    def settle(self, row: Mapping[str, Any], state: str, **values: Any) -> None:
        """A request's (or a packed request's passage's) answer read: its state and what it cost (inside the
        caller's transaction)."""
        self.db["batch_requests"].update(row["id"], {"state": state, **values})

    def documents(self, batch_id: str, state: str | None = "waiting") -> list[dict[str, Any]]:
        """A batch's documents (in one state)."""
        sql = "select * from batch_documents where batch_id = ?" + (" and state = ?" if state else "")
        return list(self.db.query(sql + " order by rowid", [batch_id, state] if state else [batch_id]))

    def mark_documents(self, batch_id: str, document_ids: Iterable[str], state: str) -> None:
        """Set the state of some of a batch's documents."""
        with self.store.transaction():
            for document_id in document_ids:
                self.db["batch_documents"].update((batch_id, document_id), {"state": state})

    def unsettled_documents(self, batch_id: str) -> set[str]:
        """Documents with a request of this batch still unread."""
        return {row[0] for row in self.db.execute(
            "select distinct document_id from batch_requests where batch_id = ? and state = 'sent'",
            [batch_id]).fetchall()}

    def spent(self, lineage: Sequence[str], document_id: str) -> list[dict[str, Any]]:
        """A document's requests read back in these batches: what each answer cost (a request that failed
        in the batch cost nothing there; one cut off or re-asked did)."""
        marks = ", ".join("?" * len(lineage))
        return list(self.db.query(
            f"select * from batch_requests where document_id = ? and batch_id in ({marks}) and state != 'sent' "
            "order by rowid", [document_id, *lineage]))

    def lineage(self, batch_id: str) -> list[str]:
        """This batch and the batches it follows up (by --resubmit), newest first."""
        chain, current = [], batch_id
        while current:
            chain.append(current)
            row = self.db["batches"].get(current)
            current = row["parent"]
        return chain


def settings_json(values: dict[str, Any]) -> str:
    """Settings as stored with a batch: never the API key."""
    return json.dumps({k: v for k, v in values.items() if k != "api_key"})
