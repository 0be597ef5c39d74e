//! The identity registry: each value a vessel broadcast for a field, per UTC
//! day, joined into spans of time when read; what `tumen vessels` finds
//! vessels by.

use rusqlite::params;
use tumen_model::{Evidence, Mmsi, Timestamp};

use super::{Catalog, CatalogError};
use crate::rows::StaticField;
use crate::static_batch::StaticBatch;

pub(super) const SCHEMA: &str = r#"
-- The identity registry: each value a vessel broadcast for a field, per UTC
-- day, with when it was first and last heard that day.
CREATE TABLE IF NOT EXISTS static_values (
    mmsi INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    day INTEGER NOT NULL,
    first_time INTEGER NOT NULL,
    last_time INTEGER NOT NULL,
    reports INTEGER NOT NULL,
    source_id INTEGER NOT NULL,     -- evidence: where it was first heard that day
    first_line INTEGER NOT NULL,
    PRIMARY KEY (mmsi, field, value, day)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS static_values_by_value ON static_values(field, value);
"#;

/// What `tumen vessels` looks for.
#[derive(Clone, Debug)]
pub struct VesselQuery {
    pub mmsi: Option<Mmsi>,
    pub imo: Option<u32>,
    pub name_contains: Option<String>,
    pub limit: u64,
}

/// One field's value over a span of time, from the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticSpan {
    pub field: StaticField,
    pub value: String,
    pub first_time: Timestamp,
    pub last_time: Timestamp,
    pub reports: u64,
    pub source_id: u32,
    pub first_line: u64,
}

impl StaticSpan {
    /// The span's first report as evidence (identity reports carry no
    /// position).
    pub fn first_report(&self, role: &'static str) -> Evidence {
        Evidence { source_id: self.source_id, line: self.first_line, time: self.first_time, position: None, role }
    }
}

/// Adds a batch's identity fields to the registry, merging each with the
/// same (MMSI, field, value, day) already there.
pub(super) fn upsert_statics(tx: &rusqlite::Transaction<'_>, statics: &StaticBatch) -> Result<(), rusqlite::Error> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO static_values (mmsi, field, value, day, first_time, last_time, reports, source_id, first_line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (mmsi, field, value, day) DO UPDATE SET
           source_id = CASE WHEN (excluded.first_time, excluded.source_id, excluded.first_line)
                                 < (first_time, source_id, first_line)
                            THEN excluded.source_id ELSE source_id END,
           first_line = CASE WHEN (excluded.first_time, excluded.source_id, excluded.first_line)
                                 < (first_time, source_id, first_line)
                            THEN excluded.first_line ELSE first_line END,
           first_time = min(first_time, excluded.first_time),
           last_time = max(last_time, excluded.last_time),
           reports = reports + excluded.reports",
    )?;
    for ((mmsi, field, value, day), a) in statics.sorted() {
        upsert.execute(params![
            mmsi,
            field.as_str(),
            value,
            day,
            a.first.0,
            a.last,
            a.reports,
            a.first.1,
            a.first.2
        ])?;
    }
    Ok(())
}

/// Registry rows (mmsi, field, value, first, last, reports, source, line)
/// ordered by MMSI, field and first time, as spans per MMSI: consecutive
/// days of one value joined, each MMSI's spans ordered by field and time.
fn joined_spans(mut rows: rusqlite::Rows<'_>) -> Result<Vec<(Mmsi, Vec<StaticSpan>)>, CatalogError> {
    let mut histories: Vec<(Mmsi, Vec<StaticSpan>)> = Vec::new();
    while let Some(r) = rows.next()? {
        let mmsi = Mmsi(r.get::<_, u32>(0)?);
        let Some(field) = StaticField::parse(&r.get::<_, String>(1)?) else { continue };
        let (value, first, last) = (r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?);
        let (reports, source_id, first_line) = (r.get::<_, u64>(5)?, r.get::<_, u32>(6)?, r.get::<_, u64>(7)?);
        if histories.last().is_none_or(|(m, _)| *m != mmsi) {
            histories.push((mmsi, Vec::new()));
        }
        let spans = &mut histories.last_mut().expect("an MMSI's history").1;
        match spans.last_mut() {
            Some(span) if span.field == field && span.value == value && span.last_time.unix_ms() <= first => {
                span.last_time = Timestamp::from_unix_ms(last.max(span.last_time.unix_ms()));
                span.reports += reports;
            }
            _ => spans.push(StaticSpan {
                field,
                value,
                first_time: Timestamp::from_unix_ms(first),
                last_time: Timestamp::from_unix_ms(last),
                reports,
                source_id,
                first_line,
            }),
        }
    }
    for (_, spans) in &mut histories {
        spans.sort_by_key(|a| (a.field, a.first_time));
    }
    Ok(histories)
}

impl Catalog {
    /// Everything the registry holds for one MMSI, per field, in time order,
    /// with consecutive days of the same value joined into one span.
    pub fn static_history(&self, mmsi: Mmsi) -> Result<Vec<StaticSpan>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT mmsi, field, value, first_time, last_time, reports, source_id, first_line
             FROM static_values WHERE mmsi = ?1 ORDER BY field, first_time",
        )?;
        let mut histories = joined_spans(statement.query([mmsi.0])?)?;
        Ok(histories.pop().map(|(_, spans)| spans).unwrap_or_default())
    }

    /// The history of the given fields for every MMSI in the registry, in
    /// MMSI order, each as [`Catalog::static_history`] gives it.
    pub fn static_histories(&self, fields: &[StaticField]) -> Result<Vec<(Mmsi, Vec<StaticSpan>)>, CatalogError> {
        let names: Vec<String> = fields.iter().map(|f| format!("'{}'", f.as_str())).collect();
        let mut statement = self.conn.prepare(&format!(
            "SELECT mmsi, field, value, first_time, last_time, reports, source_id, first_line
             FROM static_values WHERE field IN ({}) ORDER BY mmsi, field, first_time",
            names.join(", ")
        ))?;
        joined_spans(statement.query([])?)
    }

    /// MMSIs in the registry that match every condition given: the MMSI,
    /// an IMO number ever broadcast, a name ever broadcast containing
    /// `name_contains` (case-insensitive). At most `limit`, in MMSI order.
    pub fn find_vessels(&self, query: &VesselQuery) -> Result<Vec<Mmsi>, CatalogError> {
        let mut sql = String::from("SELECT DISTINCT mmsi FROM static_values s WHERE 1 = 1");
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(mmsi) = query.mmsi {
            sql.push_str(" AND mmsi = ?");
            values.push(i64::from(mmsi.0).into());
        }
        if let Some(imo) = query.imo {
            sql.push_str(" AND mmsi IN (SELECT mmsi FROM static_values WHERE field = 'imo' AND value = ?)");
            values.push(imo.to_string().into());
        }
        if let Some(name) = &query.name_contains {
            sql.push_str(" AND mmsi IN (SELECT mmsi FROM static_values WHERE field = 'name' AND instr(upper(value), upper(?)) > 0)");
            values.push(name.clone().into());
        }
        sql.push_str(" ORDER BY mmsi LIMIT ?");
        values.push((query.limit.min(i64::MAX as u64) as i64).into());
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values), |r| r.get::<_, u32>(0))?;
        Ok(rows.map(|r| r.map(Mmsi)).collect::<Result<_, _>>()?)
    }

    /// A stable text dump of the registry and counts, for comparing two
    /// datasets (tests, audits).
    pub fn registry_dump(&self) -> Result<String, CatalogError> {
        let mut out = String::new();
        let mut statement = self.conn.prepare(
            "SELECT mmsi, field, value, day, first_time, last_time, reports, source_id, first_line
             FROM static_values ORDER BY mmsi, field, value, day",
        )?;
        let mut rows = statement.query([])?;
        while let Some(r) = rows.next()? {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, u64>(6)?,
                r.get::<_, u32>(7)?,
                r.get::<_, u64>(8)?
            ));
        }
        let mut statement = self.conn.prepare("SELECT source_id, reason, count FROM reject_counts ORDER BY 1, 2")?;
        let mut rows = statement.query([])?;
        while let Some(r) = rows.next()? {
            out.push_str(&format!(
                "reject\t{}\t{}\t{}\n",
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u64>(2)?
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Origin;
    use crate::catalog::{BatchCommit, NewSource, ReceiverKind, SourceKind};

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_ms(ms)
    }

    #[test]
    fn registry_spans_join_days_and_keep_the_earliest_evidence() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalog = Catalog::open(&dir.path().join("c.sqlite")).unwrap();
        let source = catalog
            .begin_source(&NewSource {
                kind: SourceKind::File,
                location: "a",
                content_hash: Some("h"),
                size_bytes: Some(1),
                format: "nmea",
                receivers: Some(ReceiverKind::Unknown),
            })
            .unwrap();
        let commit = |catalog: &mut Catalog, rows: &[(i64, &str, u64)]| {
            let mut statics = StaticBatch::default();
            for &(ms, value, line) in rows {
                statics.add_parts(Mmsi(1), at(ms), StaticField::Name, value, Origin { source_id: source.id, line });
            }
            catalog
                .commit_batch(&BatchCommit {
                    source_id: source.id,
                    parts: &[],
                    statics: &statics,
                    reject_file: None,
                    reject_counts: &[],
                    checkpoint: b"",
                    lines: 0,
                    positions: 0,
                })
                .unwrap();
        };
        let day = 86_400_000;
        commit(&mut catalog, &[(10, "A", 5), (day + 10, "A", 50)]);
        // A later batch with an earlier report of day 0 (a late satellite
        // downlink): it becomes the evidence.
        commit(&mut catalog, &[(5, "A", 900), (2 * day + 10, "B", 60), (3 * day, "A", 70)]);
        let spans = catalog.static_history(Mmsi(1)).unwrap();
        let got: Vec<(&str, i64, i64, u64, u64)> = spans
            .iter()
            .map(|s| (s.value.as_str(), s.first_time.unix_ms(), s.last_time.unix_ms(), s.reports, s.first_line))
            .collect();
        // A on days 0–1 (one span), B on day 2, A again on day 3: in time order.
        assert_eq!(
            got,
            [("A", 5, day + 10, 3, 900), ("B", 2 * day + 10, 2 * day + 10, 1, 60), ("A", 3 * day, 3 * day, 1, 70)]
        );
        let found = catalog
            .find_vessels(&VesselQuery { mmsi: None, imo: None, name_contains: Some("b".into()), limit: 10 })
            .unwrap();
        assert_eq!(found, [Mmsi(1)]);
    }
}
