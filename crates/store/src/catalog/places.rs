//! Places users imported (`tumen places import`), as GeoJSON features
//! kept as text (the store does not read geometry).

use rusqlite::params;

use super::{Catalog, CatalogError};

pub(super) const SCHEMA: &str = r#"
-- Places users imported (`tumen places import`): each a GeoJSON feature,
-- kept as text (the store does not read geometry); by id, a later import
-- replacing an earlier one.
CREATE TABLE IF NOT EXISTS places (
    id TEXT PRIMARY KEY,
    feature TEXT NOT NULL,
    source TEXT NOT NULL,           -- the file it was imported from
    imported TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// One place a user imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceRecord {
    pub id: String,
    /// The place as a GeoJSON feature.
    pub feature: String,
    /// The file it was imported from.
    pub source: String,
}

impl Catalog {
    /// Stores users' places, `(id, GeoJSON feature)`, replacing those of the
    /// same ids, in one transaction. Returns how many replaced a stored one.
    pub fn put_places(&mut self, places: &[(String, String)], source: &str) -> Result<usize, CatalogError> {
        let tx = self.conn.transaction()?;
        let mut replaced = 0;
        {
            let mut exists = tx.prepare_cached("SELECT 1 FROM places WHERE id = ?1")?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO places (id, feature, source, imported) VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                 ON CONFLICT (id) DO UPDATE SET feature = excluded.feature, source = excluded.source, imported = excluded.imported",
            )?;
            for (id, feature) in places {
                replaced += usize::from(exists.exists([id])?);
                upsert.execute(params![id, feature, source])?;
            }
        }
        tx.commit()?;
        Ok(replaced)
    }

    /// Users' places as stored, by id.
    pub fn places(&self) -> Result<Vec<PlaceRecord>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT id, feature, source FROM places ORDER BY id")?;
        let rows =
            statement.query_map([], |r| Ok(PlaceRecord { id: r.get(0)?, feature: r.get(1)?, source: r.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
