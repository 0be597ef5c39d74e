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

    /// Stored alerts happening in `[from, to]`, by time then id.
    pub fn alerts(&self, from: Option<Timestamp>, to: Option<Timestamp>) -> Result<Vec<AlertRecord>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT id, rule, time, raised, alert, webhook FROM alerts
             WHERE (?1 IS NULL OR time >= ?1) AND (?2 IS NULL OR time <= ?2) ORDER BY time, id",
        )?;
        let rows = statement.query_map(params![from.map(Timestamp::unix_ms), to.map(Timestamp::unix_ms)], |r| {
            Ok(AlertRecord {
                id: r.get(0)?,
                rule: r.get(1)?,
                time: Timestamp::from_unix_ms(r.get(2)?),
                raised: Timestamp::from_unix_ms(r.get(3)?),
                alert: r.get(4)?,
                webhook: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
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
}
