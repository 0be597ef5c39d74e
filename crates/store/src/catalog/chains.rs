//! Suspected shipment chains (`tumen run`): the chain as JSON, with the
//! columns a listing filters and sorts by.

use rusqlite::params;
use tumen_model::Timestamp;

use super::{Catalog, CatalogError};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS chains (
    id TEXT PRIMARY KEY,
    corridor TEXT NOT NULL,
    vessels TEXT NOT NULL,          -- comma-separated MMSIs
    start_time INTEGER NOT NULL,
    end_time INTEGER NOT NULL,
    confidence REAL NOT NULL,
    chain TEXT NOT NULL             -- the chain, JSON
) WITHOUT ROWID;
"#;

/// One stored chain.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainRecord {
    pub id: String,
    pub corridor: String,
    pub vessels: Vec<u32>,
    pub start: Timestamp,
    pub end: Timestamp,
    pub confidence: f64,
    /// The chain, JSON.
    pub chain: String,
}

impl Catalog {
    /// Replaces the chains starting in `[from, to]` (none: all) with `chains`.
    pub fn replace_chains_between(
        &mut self,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
        chains: &[ChainRecord],
    ) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM chains WHERE (?1 IS NULL OR start_time >= ?1) AND (?2 IS NULL OR start_time <= ?2)",
            params![from.map(Timestamp::unix_ms), to.map(Timestamp::unix_ms)],
        )?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO chains (id, corridor, vessels, start_time, end_time, confidence, chain)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for c in chains {
                let vessels: Vec<String> = c.vessels.iter().map(u32::to_string).collect();
                insert.execute(params![
                    c.id,
                    c.corridor,
                    vessels.join(","),
                    c.start.unix_ms(),
                    c.end.unix_ms(),
                    c.confidence,
                    c.chain
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The chains whose id is `id` or begins with it (ids are long: people
    /// type their first characters, as they do commit hashes): the exact
    /// one alone when there is one.
    pub fn chains_matching(&self, id: &str) -> Result<Vec<ChainRecord>, CatalogError> {
        let wanted = id.trim().to_ascii_lowercase();
        let mut found: Vec<ChainRecord> = self.chains(0.0)?.into_iter().filter(|r| r.id.starts_with(&wanted)).collect();
        if let Some(exact) = found.iter().position(|r| r.id == wanted) {
            return Ok(vec![found.swap_remove(exact)]);
        }
        Ok(found)
    }

    /// Every chain of at least `min_confidence`, by start.
    pub fn chains(&self, min_confidence: f64) -> Result<Vec<ChainRecord>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT id, corridor, vessels, start_time, end_time, confidence, chain FROM chains
             WHERE confidence >= ?1 ORDER BY start_time, id",
        )?;
        let rows = statement.query_map([min_confidence], |r| {
            let vessels: String = r.get(2)?;
            Ok(ChainRecord {
                id: r.get(0)?,
                corridor: r.get(1)?,
                vessels: vessels.split(',').filter_map(|v| v.parse().ok()).collect(),
                start: Timestamp::from_unix_ms(r.get(3)?),
                end: Timestamp::from_unix_ms(r.get(4)?),
                confidence: r.get(5)?,
                chain: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
