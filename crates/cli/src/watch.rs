//! `tumen watch`: a live feed into the dataset with alerts as they happen.
//!
//! Three threads:
//! - the feed (this thread): the live ingest of `tumen ingest tcp://…`,
//!   showing each decoded position to the live rules (a listed vessel
//!   entering a zone is alerted from the very message) and ticking their
//!   clock (silences near watched ports) at least every 200 ms;
//! - the alerts: stores each alert once, prints the new ones as JSON lines
//!   and posts them to the webhook (slow webhooks never hold up the feed);
//! - the re-runs: every `--run-every-minutes`, screening, detectors,
//!   fusion and chains over the last `--window-days` of the archive (from
//!   a reading handle, beside the feed), then the stored rules' alerts.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use tumen_alert::{Alert, Listed, LiveWatch, Webhook, listed_vessels};
use tumen_detect::Window;
use tumen_ingest::{IngestConfig, LiveAddress, LiveConfig, LiveEvent, LiveObserver};
use tumen_model::EventKind;
use tumen_places::Gazetteer;
use tumen_store::{Dataset, EventQuery, PositionRow, ReceiverKind};

use crate::alerting;
use crate::config::Config;
use crate::output::note;
use crate::places::dataset_gazetteer;
use crate::run::pipeline;

#[derive(Args)]
pub struct WatchArgs {
    /// The live feed: `tcp://HOST:PORT` or `udp://[HOST]:PORT`.
    source: String,
    /// The dataset directory (created if needed).
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Rules, profiles and corridors (default: tumen.toml in the dataset
    /// directory if there is one).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Re-run the detectors, fusion and chains this often (0: never).
    #[arg(long, default_value_t = 15.0)]
    run_every_minutes: f64,
    /// Each re-run covers this many days back from the latest report.
    #[arg(long, default_value_t = 7.0)]
    window_days: f64,
    /// Commit what arrived every this many seconds.
    #[arg(long, default_value_t = 2.0)]
    flush_seconds: f64,
    /// Stop after this many seconds (default: until interrupted).
    #[arg(long)]
    stop_after: Option<f64>,
    /// What received the feed.
    #[arg(long, default_value = "unknown", value_parser = crate::sources::receiver_kind())]
    receivers: ReceiverKind,
}

pub fn run(args: &WatchArgs) -> Result<ExitCode> {
    let address = match (args.source.strip_prefix("tcp://"), args.source.strip_prefix("udp://")) {
        (Some(a), _) => LiveAddress::Tcp(a.to_owned()),
        (_, Some(a)) => LiveAddress::Udp(a.to_owned()),
        _ => bail!("{}: watch reads a live feed, tcp://HOST:PORT or udp://[HOST]:PORT", args.source),
    };
    let mut dataset =
        Dataset::open(&args.data).with_context(|| format!("cannot open the dataset {}", args.data.display()))?;
    let gazetteer = dataset_gazetteer(&dataset)?;
    let (config, _) = Config::for_dataset(args.config.as_deref(), &args.data)?;
    config.alerts.check(&gazetteer).map_err(anyhow::Error::msg)?;
    let config = Arc::new(config);

    // What is stored already raises its alerts first.
    let webhook = config.alerts.webhook.as_deref().map(Webhook::new);
    let backlog = alerting::stored(&dataset, &gazetteer, &config, Window::default())?;
    let new = alerting::raise(dataset.catalog(), &backlog, webhook.as_ref())?;
    note!("watch: {new} alerts from the stored events; watching {}", args.source);
    let mut live = LiveWatch::new(&config.alerts, &gazetteer, listed(&dataset)?);
    live.already_raised(dataset.catalog().alerts(None, None)?.into_iter().map(|a| a.id));

    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("cannot handle signals")?;
    }
    let (alerts_out, alerts_in) = mpsc::channel::<Vec<Alert>>();
    let (listed_out, listed_in) = mpsc::channel::<BTreeMap<u32, Listed>>();
    let data = args.data.clone();
    let alert_thread = std::thread::spawn(move || raise_as_they_come(&data, alerts_in, webhook));
    let rerun_every = Duration::from_secs_f64(args.run_every_minutes.max(0.0) * 60.0);
    let rerun_thread = (!rerun_every.is_zero()).then(|| {
        let (data, config, stop, alerts_out) =
            (args.data.clone(), Arc::clone(&config), Arc::clone(&stop), alerts_out.clone());
        let window_ms = (args.window_days * 86_400_000.0) as i64;
        std::thread::spawn(move || rerun(&data, &config, rerun_every, window_ms, &stop, &alerts_out, &listed_out))
    });

    let ingest = IngestConfig { receivers: args.receivers, ..IngestConfig::default() };
    let feed = LiveConfig {
        flush: Duration::from_secs_f64(args.flush_seconds.max(0.05)),
        stop_after: args.stop_after.map(Duration::from_secs_f64),
        ..LiveConfig::default()
    };
    let source = args.source.clone();
    let on_event = move |event: LiveEvent| crate::ingest::tell_live_event(&source, event);
    let mut observer = Observer { live, alerts: alerts_out, listed: listed_in };
    let summary =
        tumen_ingest::ingest_live_observed(&mut dataset, &address, &ingest, &feed, &stop, &on_event, &mut observer);
    stop.store(true, Ordering::Relaxed);
    drop(observer);
    if let Some(thread) = rerun_thread {
        thread.join().expect("the re-run thread does not panic")?;
    }
    alert_thread.join().expect("the alert thread does not panic")?;
    let summary = summary?;
    dataset.compact()?;
    note!("watch: {} lines, {} positions from {}", summary.counts.lines, summary.counts.positions, summary.location);
    Ok(ExitCode::SUCCESS)
}

/// The vessels the stored watch-list hits match.
fn listed(dataset: &Dataset) -> Result<BTreeMap<u32, Listed>> {
    let query = EventQuery { kind: Some(EventKind::WatchlistHit), limit: u64::MAX >> 1, ..EventQuery::default() };
    Ok(listed_vessels(&dataset.catalog().events(&query)?))
}

/// The feed's side of the live rules.
struct Observer<'g> {
    live: LiveWatch<'g>,
    alerts: mpsc::Sender<Vec<Alert>>,
    listed: mpsc::Receiver<BTreeMap<u32, Listed>>,
}

impl LiveObserver for Observer<'_> {
    fn positions(&mut self, rows: &[PositionRow]) {
        let alerts = self.live.positions(rows);
        if !alerts.is_empty() {
            let _ = self.alerts.send(alerts);
        }
    }

    fn tick(&mut self) {
        // A re-run may have matched more vessels to the lists.
        if let Some(listed) = self.listed.try_iter().last() {
            self.live.set_listed(listed);
        }
        let alerts = self.live.tick();
        if !alerts.is_empty() {
            let _ = self.alerts.send(alerts);
        }
    }
}

/// Stores, prints and posts alerts as they arrive, until every sender has
/// gone.
fn raise_as_they_come(
    data: &std::path::Path,
    alerts: mpsc::Receiver<Vec<Alert>>,
    webhook: Option<Webhook>,
) -> Result<()> {
    let dataset = Dataset::open_read_only(data)?;
    for batch in alerts {
        alerting::raise(dataset.catalog(), &batch, webhook.as_ref())?;
    }
    Ok(())
}

/// Re-runs the pipeline over the recent window on a schedule.
fn rerun(
    data: &std::path::Path,
    config: &Config,
    every: Duration,
    window_ms: i64,
    stop: &AtomicBool,
    alerts: &mpsc::Sender<Vec<Alert>>,
    listed_out: &mpsc::Sender<BTreeMap<u32, Listed>>,
) -> Result<()> {
    let mut next = Instant::now() + every;
    while !stop.load(Ordering::Relaxed) {
        if Instant::now() < next {
            std::thread::sleep(Duration::from_millis(100));
            continue;
        }
        next = Instant::now() + every;
        // A reading handle: the feed keeps the writer's lock, and the
        // events and chains go to the catalog beside it.
        let mut dataset = Dataset::open_read_only(data)?;
        let gazetteer: Gazetteer = dataset_gazetteer(&dataset)?;
        let Some(latest) = dataset.catalog().latest_time()? else { continue };
        let window =
            Window { from: Some(tumen_model::Timestamp::from_unix_ms(latest.unix_ms() - window_ms)), to: None };
        let started = Instant::now();
        match pipeline(&mut dataset, &gazetteer, config, window) {
            Ok(found) => note!(
                "watch: re-ran the last {:.1} days in {:.1} s: {} events, {} chains",
                window_ms as f64 / 86_400_000.0,
                started.elapsed().as_secs_f64(),
                found.events,
                found.chains
            ),
            // A re-run that fails is said and tried again next time: the
            // feed goes on.
            Err(error) => {
                eprintln!("watch: re-run failed: {error:#}");
                continue;
            }
        }
        let _ = listed_out.send(listed(&dataset)?);
        let _ = alerts.send(alerting::stored(&dataset, &gazetteer, config, window)?);
    }
    Ok(())
}
