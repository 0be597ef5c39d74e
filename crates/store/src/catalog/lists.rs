//! Watch lists (`tumen lists import`): one row per list, its entries as
//! JSON (the screen crate's `WatchEntry`, which the store does not read),
//! and what a re-import changed.

use rusqlite::params;

use super::{Catalog, CatalogError};

pub(super) const SCHEMA: &str = r#"
-- Watch lists (`tumen lists import`): one row per list, its entries as
-- JSON (the screen crate's WatchEntry), keyed by the list's own ids.
CREATE TABLE IF NOT EXISTS watch_lists (
    name TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    files TEXT NOT NULL,            -- the files of the last import, comma-separated
    imported TEXT NOT NULL,
    entries INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watch_entries (
    list TEXT NOT NULL,
    id TEXT NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (list, id)
) WITHOUT ROWID;
"#;

/// A stored watch list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchListRecord {
    pub name: String,
    pub format: String,
    pub files: String,
    pub imported: String,
    pub entries: u64,
}

/// SQLite's `json_remove` of the keys of a stored watch-list entry that
/// say where it was read (the source, the import's time, the line), not
/// what it says: an entry read again from another file is not "changed"
/// by them.
const ENTRY_CONTENT: &str = "json_remove(?1, '$.source_id', '$.imported_unix_ms', '$.line')";

/// What replacing list `name`'s entries with `entries` changes.
fn list_changes(
    conn: &rusqlite::Connection,
    name: &str,
    entries: &[(String, String)],
) -> Result<ListChanges, CatalogError> {
    let mut changes = ListChanges::default();
    let mut old: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut select = conn.prepare_cached(&format!(
        "SELECT id, {} FROM watch_entries WHERE list = ?1",
        ENTRY_CONTENT.replace("?1", "entry")
    ))?;
    for row in select.query_map([name], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (id, content) = row?;
        old.insert(id, content);
    }
    let mut content_of = conn.prepare_cached(&format!("SELECT {ENTRY_CONTENT}"))?;
    for (id, entry) in entries {
        match old.remove(id) {
            None => changes.added.push(id.clone()),
            Some(before) => {
                let now: String = content_of.query_row([entry], |r| r.get(0))?;
                if before != now {
                    changes.changed.push(id.clone());
                }
            }
        }
    }
    changes.removed = old.into_keys().collect();
    changes.removed.sort();
    Ok(changes)
}

/// What a re-import changed, by entry id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

/// One stored watch-list entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchEntryRecord {
    pub list: String,
    /// The list's own id of the entry.
    pub id: String,
    /// The entry as JSON (the screen crate's `WatchEntry`).
    pub entry: String,
}

impl Catalog {
    /// What storing `entries` (`(id, JSON)`) under `name` would change,
    /// without storing them: for an import to weigh before it replaces.
    pub fn watch_list_changes(&self, name: &str, entries: &[(String, String)]) -> Result<ListChanges, CatalogError> {
        list_changes(&self.conn, name, entries)
    }

    /// Stores a watch list's entries, `(id, JSON)`, replacing the version
    /// stored under `name`, in one transaction; returns what changed.
    pub fn put_watch_list(
        &mut self,
        name: &str,
        format: &str,
        files: &str,
        entries: &[(String, String)],
    ) -> Result<ListChanges, CatalogError> {
        let tx = self.conn.transaction()?;
        let changes = list_changes(&tx, name, entries)?;
        {
            tx.execute("DELETE FROM watch_entries WHERE list = ?1", [name])?;
            let mut insert = tx.prepare_cached("INSERT INTO watch_entries (list, id, entry) VALUES (?1, ?2, ?3)")?;
            for (id, entry) in entries {
                insert.execute(params![name, id, entry])?;
            }
            tx.execute(
                "INSERT INTO watch_lists (name, format, files, imported, entries)
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?4)
                 ON CONFLICT (name) DO UPDATE SET format = excluded.format, files = excluded.files,
                     imported = excluded.imported, entries = excluded.entries",
                params![name, format, files, entries.len() as u64],
            )?;
        }
        tx.commit()?;
        Ok(changes)
    }

    /// The stored watch lists, by name.
    pub fn watch_lists(&self) -> Result<Vec<WatchListRecord>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT name, format, files, imported, entries FROM watch_lists ORDER BY name")?;
        let rows = statement.query_map([], |r| {
            Ok(WatchListRecord {
                name: r.get(0)?,
                format: r.get(1)?,
                files: r.get(2)?,
                imported: r.get(3)?,
                entries: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every stored watch-list entry, by list and id.
    pub fn watch_entries(&self) -> Result<Vec<WatchEntryRecord>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT list, id, entry FROM watch_entries ORDER BY list, id")?;
        let rows =
            statement.query_map([], |r| Ok(WatchEntryRecord { list: r.get(0)?, id: r.get(1)?, entry: r.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
