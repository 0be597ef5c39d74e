//! Sources: every file, stream or import a record of the dataset was read
//! from, with its content hash (so the same content is the same source),
//! its checkpoint (where an ingest resumes) and its counts. A finding cites
//! a record by source id and line.

use std::fmt;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{OptionalExtension, params};
use tumen_model::Timestamp;

use super::{Catalog, CatalogError, unreadable};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,             -- file, stdin, tcp, udp; list, detections, observations
    location TEXT NOT NULL,         -- path or address
    content_hash TEXT,              -- files: xxh3-128 of the bytes as stored
    size_bytes INTEGER,
    format TEXT NOT NULL,           -- the reader's name: nmea, noaa_csv, dma_csv; a list's or detections' format
    receiver_kind TEXT NOT NULL,    -- terrestrial, satellite, mixed, unknown; none (not AIS)
    status TEXT NOT NULL,           -- ingesting, done
    started TEXT NOT NULL,
    finished TEXT,
    checkpoint BLOB,                -- opaque to the store: where ingest resumes
    lines INTEGER NOT NULL DEFAULT 0,
    positions INTEGER NOT NULL DEFAULT 0,
    statics INTEGER NOT NULL DEFAULT 0,
    rejects INTEGER NOT NULL DEFAULT 0,
    summary TEXT                    -- JSON counts, written when done
);
CREATE UNIQUE INDEX IF NOT EXISTS sources_by_hash ON sources(content_hash) WHERE content_hash IS NOT NULL;
"#;

/// Enums the catalog keeps as their written names: read back, a name this
/// Tumen does not know is an error naming it, not a silent default.
macro_rules! written_names {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in the order written here.
            pub const ALL: &[$name] = &[$($name::$variant,)+];

            /// The written name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value written `text`.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<$name> {
                let text = value.as_str()?;
                $name::parse(text).ok_or_else(|| {
                    FromSqlError::Other(format!("{} {text:?} is not one this Tumen knows", stringify!($name)).into())
                })
            }
        }
    };
}

written_names! {
    /// What a source is.
    SourceKind {
        /// An AIS file (`tumen ingest FILE`).
        File => "file",
        /// AIS on standard input (`tumen ingest -`).
        Stdin => "stdin",
        /// A live AIS feed over TCP (`tumen watch`, `ingest --listen`).
        Tcp => "tcp",
        /// A live AIS feed over UDP.
        Udp => "udp",
        /// A watch-list file (`tumen lists import`).
        List => "list",
        /// A satellite detections file (`tumen detections import`).
        Detections => "detections",
        /// A facility observations file (`tumen observations import`).
        Observations => "observations",
    }
}

written_names! {
    /// Where a source is in its ingest.
    SourceStatus {
        /// Begun and not finished: an ingest is reading it, or stopped
        /// (killed, the disk full) and resumes from its checkpoint.
        Ingesting => "ingesting",
        /// Read whole.
        Done => "done",
    }
}

written_names! {
    /// What received an AIS source's messages (`--receivers`): what the
    /// coverage of a silence is judged by.
    ReceiverKind {
        Terrestrial => "terrestrial",
        Satellite => "satellite",
        Mixed => "mixed",
        Unknown => "unknown",
    }
}

/// What a source that is not AIS (a list, detections, observations) has for
/// a receiver kind.
const NOT_RECEIVED: &str = "none";

/// A source as the catalog knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceRecord {
    pub id: u32,
    pub kind: SourceKind,
    pub location: String,
    pub content_hash: Option<String>,
    /// A file's size when it was registered (or continued in a longer one).
    pub size_bytes: Option<u64>,
    /// The reader's name (`nmea`, `noaa_csv`, a list's format…).
    pub format: String,
    /// What received it; none for sources that are not AIS.
    pub receivers: Option<ReceiverKind>,
    pub status: SourceStatus,
    pub checkpoint: Option<Vec<u8>>,
    pub lines: u64,
    pub positions: u64,
    pub rejects: u64,
    /// When it was registered.
    pub started: Timestamp,
}

/// A source to register ([`Catalog::begin_source`]).
#[derive(Clone, Copy, Debug)]
pub struct NewSource<'a> {
    pub kind: SourceKind,
    /// A path or an address.
    pub location: &'a str,
    pub content_hash: Option<&'a str>,
    pub size_bytes: Option<u64>,
    pub format: &'a str,
    /// None for sources that are not AIS.
    pub receivers: Option<ReceiverKind>,
}

const SOURCE_COLUMNS: &str = "id, kind, location, content_hash, size_bytes, format, receiver_kind, status, checkpoint, lines, positions, rejects, started";

/// A `sources` row read with [`SOURCE_COLUMNS`].
fn source_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SourceRecord> {
    let receivers: String = row.get(6)?;
    let started: String = row.get(12)?;
    Ok(SourceRecord {
        id: row.get(0)?,
        kind: row.get(1)?,
        location: row.get(2)?,
        content_hash: row.get(3)?,
        size_bytes: row.get(4)?,
        format: row.get(5)?,
        receivers: match receivers.as_str() {
            NOT_RECEIVED => None,
            name => Some(
                ReceiverKind::parse(name)
                    .ok_or_else(|| unreadable(6, format!("receiver kind {name:?} is not one this Tumen knows")))?,
            ),
        },
        status: row.get(7)?,
        checkpoint: row.get(8)?,
        lines: row.get(9)?,
        positions: row.get(10)?,
        rejects: row.get(11)?,
        started: started.parse().map_err(|e| unreadable(12, format!("started: {e}")))?,
    })
}

impl Catalog {
    /// The source whose content has this hash, if any.
    pub fn source_by_hash(&self, hash: &str) -> Result<Option<SourceRecord>, CatalogError> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE content_hash = ?1");
        Ok(self.conn.query_row(&sql, [hash], source_row).optional()?)
    }

    pub fn source(&self, id: u32) -> Result<Option<SourceRecord>, CatalogError> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?1");
        Ok(self.conn.query_row(&sql, [id], source_row).optional()?)
    }

    /// Every source, by id.
    pub fn sources(&self) -> Result<Vec<SourceRecord>, CatalogError> {
        self.sources_where("1 ORDER BY id", [])
    }

    /// The sources of exactly `size_bytes` — files ingested or begun, and
    /// lists, detections, observations and places imported: only they can
    /// have a file's content.
    pub fn sources_of_size(&self, size_bytes: u64) -> Result<Vec<SourceRecord>, CatalogError> {
        self.sources_where("size_bytes = ?1 ORDER BY id", [size_bytes])
    }

    /// The files whose ingest stopped before it was done (killed, or the
    /// file failed midway: a truncated or corrupt gzip) and whose content
    /// is not known whole: a longer file that begins with what they read
    /// takes them up.
    pub fn interrupted_file_sources(&self) -> Result<Vec<SourceRecord>, CatalogError> {
        self.sources_where("kind = 'file' AND status != 'done' AND content_hash IS NULL ORDER BY id", [])
    }

    /// The files read whole from `location` before (their sizes known),
    /// longest first: a log there that has grown since begins with one.
    pub fn done_file_sources_at(&self, location: &str) -> Result<Vec<SourceRecord>, CatalogError> {
        self.sources_where(
            "kind = 'file' AND status = 'done' AND location = ?1
             AND content_hash IS NOT NULL AND size_bytes IS NOT NULL ORDER BY size_bytes DESC",
            [location],
        )
    }

    fn sources_where(&self, condition: &str, values: impl rusqlite::Params) -> Result<Vec<SourceRecord>, CatalogError> {
        let mut statement = self.conn.prepare(&format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE {condition}"))?;
        let rows = statement.query_map(values, source_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Points a source at the file that continues it (the complete file of
    /// a truncated one): its location, size and content hash.
    pub fn continue_source_in(
        &self,
        id: u32,
        location: &str,
        size_bytes: u64,
        content_hash: &str,
    ) -> Result<(), CatalogError> {
        self.conn.execute(
            "UPDATE sources SET location = ?2, size_bytes = ?3, content_hash = ?4 WHERE id = ?1",
            params![id, location, size_bytes, content_hash],
        )?;
        Ok(())
    }

    /// Records a source's content hash, learnt as it was read (or when an
    /// ingest stopped before it knew it resumes).
    pub fn set_content_hash(&self, id: u32, content_hash: &str) -> Result<(), CatalogError> {
        self.conn.execute("UPDATE sources SET content_hash = ?2 WHERE id = ?1", params![id, content_hash])?;
        Ok(())
    }

    /// Registers a source about to be read; it is [`SourceStatus::Ingesting`]
    /// until [`Catalog::finish_source`].
    pub fn begin_source(&self, source: &NewSource<'_>) -> Result<SourceRecord, CatalogError> {
        self.conn.execute(
            "INSERT INTO sources (kind, location, content_hash, size_bytes, format, receiver_kind, status, started)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                source.kind,
                source.location,
                source.content_hash,
                source.size_bytes,
                source.format,
                source.receivers.map_or(NOT_RECEIVED, ReceiverKind::as_str),
                SourceStatus::Ingesting,
                Timestamp::now().to_string()
            ],
        )?;
        let id = self.conn.last_insert_rowid() as u32;
        Ok(self.source(id)?.expect("just inserted"))
    }

    /// Marks a source read whole ([`SourceStatus::Done`]) with a JSON
    /// summary of what was read.
    pub fn finish_source(&self, id: u32, summary: &str) -> Result<(), CatalogError> {
        self.conn.execute(
            "UPDATE sources SET status = ?2, finished = ?3, summary = ?4 WHERE id = ?1",
            params![id, SourceStatus::Done, Timestamp::now().to_string(), summary],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_reads_back_typed_and_a_name_not_known_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&dir.path().join("catalog.sqlite")).unwrap();
        let new = NewSource {
            kind: SourceKind::List,
            location: "/lists/sdn.xml",
            content_hash: Some("h"),
            size_bytes: Some(12),
            format: "ofac_xml",
            receivers: None,
        };
        let begun = catalog.begin_source(&new).unwrap();
        assert_eq!((begun.kind, begun.status, begun.receivers), (SourceKind::List, SourceStatus::Ingesting, None));
        assert!(begun.started.ms_since(Timestamp::now()).abs() < 60_000);
        catalog.finish_source(begun.id, "{}").unwrap();
        assert_eq!(catalog.source_by_hash("h").unwrap().unwrap().status, SourceStatus::Done);
        let ais = NewSource { kind: SourceKind::Tcp, receivers: Some(ReceiverKind::Satellite), ..new };
        let ais = catalog.begin_source(&NewSource { content_hash: None, ..ais }).unwrap();
        assert_eq!(ais.receivers, Some(ReceiverKind::Satellite));

        catalog.conn.execute("UPDATE sources SET kind = 'ftp' WHERE id = ?1", [ais.id]).unwrap();
        let error = catalog.sources().unwrap_err().to_string();
        assert!(error.contains("SourceKind \"ftp\" is not one this Tumen knows"), "{error}");
        catalog.conn.execute("UPDATE sources SET kind = 'tcp', started = 'yesterday' WHERE id = ?1", [ais.id]).unwrap();
        let error = catalog.source(ais.id).unwrap_err().to_string();
        assert!(error.contains("started: not an RFC 3339 time"), "{error}");
    }
}
