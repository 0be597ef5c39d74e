//! Alerts in the binary: the stored rules' alerts of a window, raising the
//! new ones (catalog, JSON lines, webhook), and `tumen alerts`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use tumen_alert::{Alert, EVENT_KINDS, Webhook, stored_alerts};
use tumen_detect::Window;
use tumen_model::{EventKind, Mmsi, Timestamp};
use tumen_places::Gazetteer;
use tumen_store::{Catalog, Dataset, EventQuery};

use crate::config::Config;
use crate::lookup::WindowArgs;
use crate::output::{Align, Table};

/// What the configured rules raise over the events and chains stored for
/// `window` (watch-list hits whenever found).
pub fn stored(dataset: &Dataset, gazetteer: &Gazetteer, config: &Config, window: Window) -> Result<Vec<Alert>> {
    let catalog = dataset.catalog();
    let mut events = Vec::new();
    for kind in EVENT_KINDS {
        let (from, to) = if kind == EventKind::WatchlistHit { (None, None) } else { (window.from, window.to) };
        let query = EventQuery { kind: Some(kind), from, to, limit: u64::MAX >> 1, ..EventQuery::default() };
        events.extend(catalog.events(&query)?);
    }
    let chains: Vec<_> = catalog
        .chains(0.0)?
        .into_iter()
        .filter(|c| window.from.is_none_or(|f| c.end >= f) && window.to.is_none_or(|t| c.start <= t))
        .collect();
    let (from, to) = (window.from.unwrap_or(Timestamp::EARLIEST), window.to.unwrap_or(Timestamp::LATEST));
    let mut track = |mmsi: u32| dataset.track(Mmsi(mmsi), from, to);
    Ok(stored_alerts(&config.alerts, gazetteer, &events, &chains, &mut track)?)
}

/// Stores `alerts`; the new ones are written to standard output — as JSON
/// lines, or a line of words each when it is a person's terminal (JSON
/// among a command's summary is for programs, not people) — and posted to
/// the webhook (its answer kept with the alert). Returns how many were new.
pub fn raise(catalog: &Catalog, alerts: &[Alert], webhook: Option<&Webhook>) -> Result<usize> {
    let stdout = std::io::stdout();
    let human = stdout.is_terminal();
    let mut out = stdout.lock();
    let raised = Timestamp::now();
    let records: Vec<_> = alerts.iter().map(|a| a.to_record(raised)).collect();
    let fresh = catalog.record_alerts(&records)?;
    let mut new = 0;
    for (alert, _) in alerts.iter().zip(&fresh).filter(|(_, fresh)| **fresh) {
        if human {
            writeln!(out, "alert {} [{}]: {}", alert.time, alert.rule, alert.message)?;
        } else {
            writeln!(out, "{}", alert.to_json())?;
        }
        out.flush()?;
        new += 1;
        if let Some(webhook) = webhook {
            let answer = match webhook.post(alert) {
                Ok(status) => status,
                Err(failure) => {
                    eprintln!("webhook {}: alert {} not delivered: {failure}", webhook.url(), alert.id);
                    format!("failed: {failure}")
                }
            };
            catalog.set_alert_webhook(&alert.id, &answer)?;
        }
    }
    Ok(new)
}

#[derive(Args)]
pub struct AlertsArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    #[command(flatten)]
    window: WindowArgs,
    #[arg(long, value_enum, default_value_t = AlertFormat::Table)]
    format: AlertFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum AlertFormat {
    Table,
    /// JSON lines, as raised.
    Json,
}

/// `tumen alerts`: the alerts raised so far.
pub fn list(args: &AlertsArgs) -> Result<ExitCode> {
    let dataset = Dataset::open_read_only(&args.data)?;
    let WindowArgs { from, to } = args.window;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut table =
        Table::new(&[("TIME", Align::Left), ("RULE", Align::Left), ("ID", Align::Left), ("ALERT", Align::Left)]);
    let alerts = dataset.catalog().alerts(from, to)?;
    if alerts.is_empty() {
        eprintln!("no alerts raised yet: `tumen run` and `tumen watch` raise them (rules in DATA/tumen.toml)");
    }
    for record in alerts {
        match args.format {
            AlertFormat::Json => writeln!(out, "{}", record.alert)?,
            AlertFormat::Table => {
                let alert: serde_json::Value = serde_json::from_str(&record.alert)?;
                let webhook = record.webhook.map(|w| format!("  [webhook: {w}]")).unwrap_or_default();
                let message = format!("{}{webhook}", alert["message"].as_str().unwrap_or(""));
                table.row(vec![record.time.to_string(), record.rule, record.id, message]);
            }
        }
    }
    if !table.is_empty() {
        table.write(&mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
