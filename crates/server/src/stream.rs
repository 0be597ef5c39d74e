//! The live alert stream: `GET /api/alerts/stream`, server-sent events.
//!
//! `tumen watch` (and `tumen run`) store every alert they raise in the
//! catalog, with when it was raised. One poller per server reads the alerts
//! raised since it last looked, twice a second, and hands each to every open
//! stream; so a watch in another process reaches every client within half a
//! second of storing an alert, and a server with a hundred clients still
//! asks the catalog one indexed question per poll.
//!
//! Each event's id is its place in that order (`RAISED_MS:ALERT_ID`). A
//! client that reconnects with `Last-Event-ID` (browsers' `EventSource` do
//! it by themselves) first gets what was raised after that id from the
//! catalog, then the live ones: nothing is lost across a dropped connection,
//! and a client too slow for the live ones is caught up the same way.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::{Arc, Once};
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::{Semaphore, broadcast, mpsc, watch};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;
use tumen_model::Timestamp;
use tumen_store::AlertRecord;

use crate::error::ApiError;
use crate::params::Params;
use crate::state::AppState;

/// How often the poller asks the catalog for new alerts.
const POLL: Duration = Duration::from_millis(500);
/// Streams open at once; more are refused (503) rather than queued.
pub const MAX_STREAMS: usize = 64;
/// How far back each poll looks again (see [`poll`]).
const OVERLAP: Duration = Duration::from_secs(5);
/// Alerts a poll or a catch-up reads at most (the rest follow at the next).
const BATCH: usize = 1_000;

/// Where a follower is in the order alerts were raised.
type Cursor = (Timestamp, String);

pub struct AlertFeed {
    live: broadcast::Sender<Arc<AlertRecord>>,
    streams: Arc<Semaphore>,
    poller: Once,
    /// True once the server is stopping: open streams end, so the graceful
    /// shutdown (which waits for every connection) can finish.
    closing: watch::Sender<bool>,
}

impl AlertFeed {
    pub fn new() -> AlertFeed {
        AlertFeed {
            live: broadcast::channel(BATCH).0,
            streams: Arc::new(Semaphore::new(MAX_STREAMS)),
            poller: Once::new(),
            closing: watch::channel(false).0,
        }
    }

    /// Ends every open stream (the server is stopping).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

impl Default for AlertFeed {
    fn default() -> AlertFeed {
        AlertFeed::new()
    }
}

fn cursor_of(alert: &AlertRecord) -> Cursor {
    (alert.raised, alert.id.clone())
}

fn event_id((raised, id): &Cursor) -> String {
    format!("{}:{id}", raised.unix_ms())
}

/// A `Last-Event-ID` back into a cursor; an id this server did not write
/// is a 400.
fn parse_event_id(text: &str) -> Result<Cursor, ApiError> {
    let bad = || ApiError::bad_request(format!("Last-Event-ID {text:?}: not an alert stream id (RAISED_MS:ALERT_ID)"));
    let (raised, id) = text.split_once(':').ok_or_else(bad)?;
    let raised: i64 = raised.parse().map_err(|_| bad())?;
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if id.is_empty() || id.len() > 128 || !id.chars().all(plain) {
        return Err(bad());
    }
    Ok((Timestamp::from_unix_ms(raised), id.to_owned()))
}

/// `GET /api/alerts/stream`
pub async fn alert_stream(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(query.as_deref(), &crate::openapi::ALERT_STREAM)?;
    let resume = match headers.get("last-event-id") {
        Some(value) => {
            Some(parse_event_id(value.to_str().map_err(|_| ApiError::bad_request("Last-Event-ID: not text"))?)?)
        }
        None => None,
    };
    let permit = Arc::clone(&state.alerts.streams).try_acquire_owned().map_err(|_| ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        reason: format!("{MAX_STREAMS} alert streams are open already; try again later"),
    })?;
    state.alerts.poller.call_once(|| {
        tokio::spawn(poll(Arc::clone(&state)));
    });
    let live = state.alerts.live.subscribe();
    let mut closing = state.alerts.closing.subscribe();
    let (events, received) = mpsc::channel::<Event>(64);
    tokio::spawn(async move {
        let _open = permit;
        tokio::select! {
            () = follow(state, resume, live, events) => {}
            _ = closing.wait_for(|&closing| closing) => {}
        }
    });
    let stream = ReceiverStream::new(received).map(Ok::<Event, Infallible>);
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()).into_response())
}

/// Sends one client what was raised after `cursor` (from the catalog), then
/// the live alerts, until it goes away.
async fn follow(
    state: Arc<AppState>,
    mut cursor: Option<Cursor>,
    mut live: broadcast::Receiver<Arc<AlertRecord>>,
    events: mpsc::Sender<Event>,
) {
    // Alerts sent from the catalog, which the live feed may bring again.
    let mut sent = HashSet::new();
    if cursor.is_some() {
        if !catch_up(&state, &mut cursor, &mut sent, &events).await {
            return;
        }
    } else {
        // A new follower starts after the last alert stored: what it would
        // have to be caught up from if it fell behind.
        cursor = state.with_dataset(|dataset, _| Ok(dataset.catalog().last_alert_raised()?)).await.ok().flatten();
        if cursor.is_none() {
            cursor = Some((Timestamp::from_unix_ms(i64::MIN), String::new()));
        }
    }
    loop {
        let next = tokio::select! {
            next = live.recv() => next,
            () = events.closed() => return,
        };
        match next {
            Ok(alert) => {
                if !sent.remove(&alert.id) && !send(&events, &mut cursor, &alert).await {
                    return;
                }
            }
            // Fell behind the live alerts: read the missed ones from the
            // catalog, in order, from where this client is.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                if !catch_up(&state, &mut cursor, &mut sent, &events).await {
                    return;
                }
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// Sends the stored alerts raised after `cursor`; false when the client is
/// gone or the catalog failed (the stream then ends, and the client's
/// reconnection resumes it).
async fn catch_up(
    state: &Arc<AppState>,
    cursor: &mut Option<Cursor>,
    sent: &mut HashSet<String>,
    events: &mpsc::Sender<Event>,
) -> bool {
    loop {
        let after = cursor.clone();
        let missed = state
            .with_dataset(move |dataset, _| {
                Ok(dataset.catalog().alerts_raised_after(after.as_ref().map(|(t, id)| (*t, id.as_str())), BATCH)?)
            })
            .await;
        let Ok(missed) = missed else { return false };
        for alert in &missed {
            if sent.len() >= 4 * BATCH {
                sent.clear();
            }
            sent.insert(alert.id.clone());
            if !send(events, cursor, alert).await {
                return false;
            }
        }
        if missed.len() < BATCH {
            return true;
        }
    }
}

async fn send(events: &mpsc::Sender<Event>, cursor: &mut Option<Cursor>, alert: &AlertRecord) -> bool {
    let position = cursor_of(alert);
    let event = Event::default().event("alert").id(event_id(&position)).data(&alert.alert);
    *cursor = Some(position);
    events.send(event).await.is_ok()
}

/// Reads the alerts raised since the last look, for ever, and hands them to
/// the open streams, starting after the last alert stored when the first
/// stream opened.
///
/// Each look reaches back [`OVERLAP`] before the last alert seen: raised
/// times come from the writers' clocks, and an alert raised a moment before
/// another can be committed a moment after it (two writers: a watch and a
/// run). Alerts already handed on are recognised by id.
async fn poll(state: Arc<AppState>) {
    let mut last = loop {
        match state.with_dataset(|dataset, _| Ok(dataset.catalog().last_alert_raised()?)).await {
            Ok(last) => break last.map_or(Timestamp::from_unix_ms(i64::MIN), |(raised, _)| raised),
            Err(_) => tokio::time::sleep(POLL).await,
        }
    };
    // Alerts handed on, by id, with when they were raised.
    let mut handed: HashMap<String, Timestamp> = HashMap::new();
    // At the start, what was raised at the very last moment is old.
    let floor = Timestamp::from_unix_ms(last.unix_ms().saturating_add(1));
    let mut since = floor;
    loop {
        tokio::time::sleep(POLL).await;
        let mut page_after = (since, String::new());
        loop {
            let after = page_after.clone();
            let page = state
                .with_dataset(move |dataset, _| {
                    Ok(dataset.catalog().alerts_raised_after(Some((after.0, after.1.as_str())), BATCH)?)
                })
                .await;
            let Ok(page) = page else { break };
            let full = page.len() == BATCH;
            for alert in page {
                page_after = cursor_of(&alert);
                if handed.contains_key(&alert.id) {
                    continue;
                }
                last = last.max(alert.raised);
                handed.insert(alert.id.clone(), alert.raised);
                // No stream open: nobody to tell.
                let _ = state.alerts.live.send(Arc::new(alert));
            }
            if !full {
                break;
            }
        }
        let overlap_ms = OVERLAP.as_millis() as i64;
        since = floor.max(Timestamp::from_unix_ms(last.unix_ms().saturating_sub(overlap_ms)));
        let forget_before = last.unix_ms().saturating_sub(2 * overlap_ms);
        handed.retain(|_, raised| raised.unix_ms() >= forget_before);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_read_back_and_foreign_ones_are_refused() {
        let cursor = (Timestamp::from_unix_ms(1_700_000_000_123), "a1b2-c3".to_owned());
        assert_eq!(parse_event_id(&event_id(&cursor)).unwrap(), cursor);
        for bad in ["", "12", "x:abc", "12:", "12:../etc", "12:a b", "12:a'--"] {
            assert_eq!(parse_event_id(bad).unwrap_err().status, StatusCode::BAD_REQUEST, "{bad}");
        }
    }
}
