//! Rebuilds in SQLite: one `BEGIN IMMEDIATE` transaction from [`StoreWrite::begin_rebuild`] to
//! [`StoreWrite::commit_rebuild`], inside which every write of the handle runs as a savepoint
//! ([`WriteTx`]). Readers on other connections keep the state before the rebuild (WAL mode), and
//! a crash at any point leaves it: uncommitted WAL frames are ignored on the next open.
//!
//! [`StoreWrite::begin_rebuild`]: crate::StoreWrite::begin_rebuild
//! [`StoreWrite::commit_rebuild`]: crate::StoreWrite::commit_rebuild

use crate::sqlite::{db, SqliteStore};
use crate::StoreError;
use rusqlite::{Connection, Savepoint, Transaction, TransactionBehavior};
use std::ops::Deref;

/// The transaction of one write (a batch, an article update, a clear): its own transaction
/// outside a rebuild, a savepoint inside the rebuild's. Either way, dropping it without
/// [`WriteTx::commit`] undoes the write and nothing else.
pub(crate) enum WriteTx<'c> {
    /// Outside a rebuild: commits on its own.
    Own(Transaction<'c>),
    /// Inside a rebuild: released into the rebuild's transaction.
    Nested(Savepoint<'c>),
}

impl<'c> WriteTx<'c> {
    /// Starts a write on `conn`; `rebuilding` says whether a rebuild's transaction must be open.
    /// If the database rolled that transaction back on its own (some I/O errors do), the write
    /// is refused rather than committed alone, which would break the rebuild's all-or-nothing.
    pub(crate) fn begin(
        conn: &'c mut Connection,
        rebuilding: bool,
        context: &'static str,
    ) -> Result<WriteTx<'c>, StoreError> {
        if !rebuilding {
            let tx =
                conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| db(context, e))?;
            return Ok(WriteTx::Own(tx));
        }
        if conn.is_autocommit() {
            return Err(StoreError::Rebuild(
                "the database ended the rebuild's transaction after an error; nothing of it was kept",
            ));
        }
        conn.savepoint().map(WriteTx::Nested).map_err(|e| db(context, e))
    }

    /// Ends the write: commits it, or (in a rebuild) keeps it in the rebuild's transaction.
    pub(crate) fn commit(self, context: &'static str) -> Result<(), StoreError> {
        match self {
            WriteTx::Own(tx) => tx.commit(),
            WriteTx::Nested(sp) => sp.commit(),
        }
        .map_err(|e| db(context, e))
    }
}

impl Deref for WriteTx<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            WriteTx::Own(tx) => tx,
            WriteTx::Nested(sp) => sp,
        }
    }
}

impl SqliteStore {
    pub(crate) fn begin_rebuild_tx(&mut self) -> Result<(), StoreError> {
        if self.rebuilding {
            return Err(StoreError::Rebuild("a rebuild is already in progress on this handle"));
        }
        self.read.get_mut().conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| db("starting a rebuild", e))?;
        self.rebuilding = true;
        Ok(())
    }

    pub(crate) fn commit_rebuild_tx(&mut self) -> Result<(), StoreError> {
        if !std::mem::replace(&mut self.rebuilding, false) {
            return Err(StoreError::Rebuild("no rebuild is in progress to commit"));
        }
        let state = self.read.get_mut();
        if state.conn.is_autocommit() {
            state.forget_caches();
            return Err(StoreError::Rebuild(
                "the database ended the rebuild's transaction after an error; nothing of it was kept",
            ));
        }
        let committed = state.conn.execute_batch("COMMIT").map_err(|e| db("committing a rebuild", e));
        if committed.is_err() {
            // A failed COMMIT may leave the transaction open: end it, so nothing half-done stays.
            if !state.conn.is_autocommit() {
                let _ = state.conn.execute_batch("ROLLBACK");
            }
            state.forget_caches();
        }
        committed
    }

    pub(crate) fn abort_rebuild_tx(&mut self) -> Result<(), StoreError> {
        if !std::mem::replace(&mut self.rebuilding, false) {
            return Err(StoreError::Rebuild("no rebuild is in progress to abort"));
        }
        let state = self.read.get_mut();
        // The loaded caches may hold rows the rebuild wrote: read them again when next used.
        state.forget_caches();
        if state.conn.is_autocommit() {
            return Ok(());
        }
        state.conn.execute_batch("ROLLBACK").map_err(|e| db("rolling a rebuild back", e))
    }
}
