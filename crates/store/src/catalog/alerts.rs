//! Alerts raised (`tumen run`, `tumen watch`): one row per alert id, so an
//! alert raised again — by a re-run, or by the live watch and a later run
//! alike — is recognised and not raised twice.

use rusqlite::params;
use tumen_model::Timestamp;

use super::{Catalog, CatalogError};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,            -- stable: the rule and what it saw
    rule TEXT NOT NULL,
    time INTEGER NOT NULL,          -- when it happened (data time, ms)
    raised INTEGER NOT NULL,        -- when Tumen raised it (wall clock, ms)
    alert TEXT NOT NULL,            -- the alert, JSON
    webhook TEXT                    -- the webhook's answer, when posted
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (time);
CREATE INDEX IF NOT EXISTS alerts_by_raised ON alerts (raised, id);
"#;

/// One stored alert.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertRecord {
    pub id: String,
    pub rule: String,
    pub time: Timestamp,
    pub raised: Timestamp,
    /// The alert, JSON.
    pub alert: String,
    pub webhook: Option<String>,
}

impl Catalog {
    /// Stores the alerts not stored before; returns which of `alerts` were
    /// new (in order). Takes `&self`: the live watch records from its own
    /// connection beside the ingest's.
    pub fn record_alerts(&self, alerts: &[AlertRecord]) -> Result<Vec<bool>, CatalogError> {
        let tx = self.conn.unchecked_transaction()?;
        let mut fresh = Vec::with_capacity(alerts.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO alerts (id, rule, time, raised, alert, webhook) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for a in alerts {
                let inserted =
                    insert.execute(params![a.id, a.rule, a.time.unix_ms(), a.raised.unix_ms(), a.alert, a.webhook])?;
                fresh.push(inserted == 1);
            }
        }
        tx.commit()?;
        Ok(fresh)
    }

    /// Records what the webhook answered for an alert.
    pub fn set_alert_webhook(&self, id: &str, answer: &str) -> Result<(), CatalogError> {
        self.conn.execute("UPDATE alerts SET webhook = ?2 WHERE id = ?1", params![id, answer])?;
        Ok(())
    }

    /// Alerts in the order they were raised (by raised time, then id),
    /// those after `after` (a raised time and id) only, at most `limit`:
    /// what a follower of the alerts has not seen yet.
    pub fn alerts_raised_after(
        &self,
        after: Option<(Timestamp, &str)>,
        limit: usize,
    ) -> Result<Vec<AlertRecord>, CatalogError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, rule, time, raised, alert, webhook FROM alerts
             WHERE ?1 IS NULL OR raised > ?1 OR (raised = ?1 AND id > ?2)
             ORDER BY raised, id LIMIT ?3",
        )?;
        let (raised, id) = after.map_or((None, ""), |(t, id)| (Some(t.unix_ms()), id));
        let rows = statement.query_map(params![raised, id, i64::try_from(limit).unwrap_or(i64::MAX)], alert_of_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The last alert raised (its raised time and id), if any.
    pub fn last_alert_raised(&self) -> Result<Option<(Timestamp, String)>, CatalogError> {
        let mut statement =
            self.conn.prepare_cached("SELECT raised, id FROM alerts ORDER BY raised DESC, id DESC LIMIT 1")?;
        let mut rows = statement.query([])?;
        match rows.next()? {
            Some(row) => Ok(Some((Timestamp::from_unix_ms(row.get(0)?), row.get(1)?))),
            None => Ok(None),
        }
    }

    /// Stored alerts happening in `[from, to]`, by time then id.
    pub fn alerts(&self, from: Option<Timestamp>, to: Option<Timestamp>) -> Result<Vec<AlertRecord>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT id, rule, time, raised, alert, webhook FROM alerts
             WHERE (?1 IS NULL OR time >= ?1) AND (?2 IS NULL OR time <= ?2) ORDER BY time, id",
        )?;
        let rows =
            statement.query_map(params![from.map(Timestamp::unix_ms), to.map(Timestamp::unix_ms)], alert_of_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn alert_of_row(r: &rusqlite::Row) -> rusqlite::Result<AlertRecord> {
    Ok(AlertRecord {
        id: r.get(0)?,
        rule: r.get(1)?,
        time: Timestamp::from_unix_ms(r.get(2)?),
        raised: Timestamp::from_unix_ms(r.get(3)?),
        alert: r.get(4)?,
        webhook: r.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_is_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&dir.path().join("c.sqlite")).unwrap();
        let alert = AlertRecord {
            id: "alert-1".into(),
            rule: "chain".into(),
            time: Timestamp::from_unix_ms(5),
            raised: Timestamp::from_unix_ms(9),
            alert: "{}".into(),
            webhook: None,
        };
        assert_eq!(catalog.record_alerts(std::slice::from_ref(&alert)).unwrap(), vec![true]);
        let mut again = alert.clone();
        again.raised = Timestamp::from_unix_ms(99);
        assert_eq!(catalog.record_alerts(&[again]).unwrap(), vec![false]);
        catalog.set_alert_webhook("alert-1", "200").unwrap();
        let stored = catalog.alerts(None, None).unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!((stored[0].raised, stored[0].webhook.as_deref()), (Timestamp::from_unix_ms(9), Some("200")));
    }

    #[test]
    fn a_follower_gets_alerts_in_the_order_raised_after_its_cursor() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&dir.path().join("c.sqlite")).unwrap();
        assert_eq!(catalog.last_alert_raised().unwrap(), None);
        let alert = |id: &str, raised_ms: i64| AlertRecord {
            id: id.into(),
            rule: "r".into(),
            time: Timestamp::from_unix_ms(1),
            raised: Timestamp::from_unix_ms(raised_ms),
            alert: "{}".into(),
            webhook: None,
        };
        catalog.record_alerts(&[alert("b", 20), alert("a", 20), alert("c", 10), alert("d", 30)]).unwrap();
        let ids = |after: Option<(Timestamp, &str)>, limit| -> Vec<String> {
            catalog.alerts_raised_after(after, limit).unwrap().into_iter().map(|a| a.id).collect()
        };
        assert_eq!(ids(None, 10), ["c", "a", "b", "d"]);
        assert_eq!(ids(Some((Timestamp::from_unix_ms(20), "a")), 10), ["b", "d"]);
        assert_eq!(ids(Some((Timestamp::from_unix_ms(10), "c")), 2), ["a", "b"]);
        assert_eq!(catalog.last_alert_raised().unwrap(), Some((Timestamp::from_unix_ms(30), "d".into())));
    }
}
