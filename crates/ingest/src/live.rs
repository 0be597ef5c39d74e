//! Live feeds: a TCP stream (a receiver's or aggregator's NMEA port) or
//! UDP datagrams, kept open, reconnected with back-off, and committed to
//! the dataset every `flush` interval — a crash loses at most the lines of
//! the last interval.
//!
//! Lines are timed by the receiver time they carry, else by their arrival
//! time (marked `arrival`). A live source cannot be read again, so it is
//! not resumable: each run is a new source in the catalog.

use std::io::{self, Read};
use std::net::{TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tumen_ais::DecoderConfig;
use tumen_model::Timestamp;
use tumen_store::{Dataset, NewSource, SourceKind, StoreError};

use crate::Format;
use crate::batch::BatchBuilder;
use crate::checkpoint::Checkpoint;
use crate::nmea::NmeaReader;
use crate::stream::{IngestConfig, IngestError, SourceSummary};

/// Where a live feed comes from.
#[derive(Clone, Debug)]
pub enum LiveAddress {
    /// Connect to `host:port` and read lines.
    Tcp(String),
    /// Bind `[host]:port` and read datagrams (each one or more lines).
    Udp(String),
}

#[derive(Clone, Debug)]
pub struct LiveConfig {
    /// Commit what arrived this often.
    pub flush: Duration,
    /// Stop after this long (`None`: until `stop` is set).
    pub stop_after: Option<Duration>,
    /// Reconnection back-off: starts at `retry_min`, doubles to `retry_max`.
    pub retry_min: Duration,
    pub retry_max: Duration,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            flush: Duration::from_secs(2),
            stop_after: None,
            retry_min: Duration::from_millis(250),
            retry_max: Duration::from_secs(30),
        }
    }
}

/// What the connection is doing, for the user.
#[derive(Clone, Debug)]
pub enum LiveEvent {
    Connected(String),
    Listening(String),
    Disconnected { reason: String, retry_in: Duration },
    Flushed { positions: u64, lines: u64 },
}

/// Sees a live feed's positions as they are decoded, before they are
/// committed (`tumen watch` raises alerts from them within a second).
pub trait LiveObserver {
    /// Positions decoded from the lines that just arrived.
    fn positions(&mut self, rows: &[tumen_store::PositionRow]);
    /// Called at least every [`TICK`] while the feed runs, data or not.
    fn tick(&mut self) {}
}

/// Observes nothing.
pub struct NoObserver;

impl LiveObserver for NoObserver {
    fn positions(&mut self, _rows: &[tumen_store::PositionRow]) {}
}

/// The longest an observer waits for its tick.
pub const TICK: Duration = Duration::from_millis(200);

/// Lines received together, with when they arrived.
struct Arrived {
    lines: Vec<u8>,
    at: Timestamp,
}

/// Reads a live feed into the dataset until `stop` is set or
/// `live.stop_after` has passed, then commits what is left.
pub fn ingest_live(
    dataset: &mut Dataset,
    address: &LiveAddress,
    config: &IngestConfig,
    live: &LiveConfig,
    stop: &AtomicBool,
    on_event: &(dyn Fn(LiveEvent) + Sync),
) -> Result<SourceSummary, IngestError> {
    ingest_live_observed(dataset, address, config, live, stop, on_event, &mut NoObserver)
}

/// [`ingest_live`], showing `observer` each position as it is decoded.
pub fn ingest_live_observed(
    dataset: &mut Dataset,
    address: &LiveAddress,
    config: &IngestConfig,
    live: &LiveConfig,
    stop: &AtomicBool,
    on_event: &(dyn Fn(LiveEvent) + Sync),
    observer: &mut dyn LiveObserver,
) -> Result<SourceSummary, IngestError> {
    let started = Instant::now();
    let (kind, location) = match address {
        LiveAddress::Tcp(a) => (SourceKind::Tcp, format!("tcp://{a}")),
        LiveAddress::Udp(a) => (SourceKind::Udp, format!("udp://{a}")),
    };
    let path = std::path::PathBuf::from(&location);
    let io_error = |source| IngestError::Io { path: path.clone(), source };
    // Bind before reporting the source, so a bad address fails at once.
    let udp = match address {
        LiveAddress::Udp(a) => {
            let socket = UdpSocket::bind(a.as_str()).map_err(io_error)?;
            socket.set_read_timeout(Some(Duration::from_millis(100))).map_err(io_error)?;
            on_event(LiveEvent::Listening(socket.local_addr().map_err(io_error)?.to_string()));
            Some(socket)
        }
        LiveAddress::Tcp(_) => None,
    };
    let source = dataset
        .catalog()
        .begin_source(&NewSource {
            kind,
            location: &location,
            content_hash: None,
            size_bytes: None,
            format: Format::Nmea.as_str(),
            receivers: Some(config.receivers),
        })
        .map_err(StoreError::from)?;
    let mut batch = BatchBuilder::new(source.id, Default::default());
    let mut reader = NmeaReader::new(DecoderConfig { lenient: config.lenient, ..DecoderConfig::default() }, 0);
    let deadline = live.stop_after.map(|d| started + d);
    let finished = || stop.load(Ordering::Relaxed) || deadline.is_some_and(|d| Instant::now() >= d);

    let (sender, receiver) = mpsc::sync_channel::<Arrived>(1024);
    std::thread::scope(|scope| -> Result<(), IngestError> {
        let finished = &finished;
        // The reading thread owns the sender: when it ends, the loop below
        // sees the channel close.
        scope.spawn(move || match (address, udp) {
            (LiveAddress::Tcp(a), _) => read_tcp(a, live, finished, &sender, on_event),
            (LiveAddress::Udp(_), Some(socket)) => read_udp(&socket, finished, &sender),
            (LiveAddress::Udp(_), None) => unreachable!("bound above"),
        });
        let mut next_flush = Instant::now() + live.flush;
        let mut partial: Vec<u8> = Vec::new();
        // Positions of the batch already shown to the observer.
        let mut observed = 0;
        loop {
            let wait = next_flush.saturating_duration_since(Instant::now()).min(TICK);
            match receiver.recv_timeout(wait) {
                Ok(arrived) => {
                    partial.extend_from_slice(&arrived.lines);
                    let complete = partial.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                    for line in partial[..complete].split(|&b| b == b'\n') {
                        if line.is_empty() {
                            continue;
                        }
                        batch.counts.lines += 1;
                        batch.counts.bytes += line.len() as u64 + 1;
                        reader.line(line, Some(arrived.at), &mut batch);
                    }
                    partial.drain(..complete);
                    observer.positions(&batch.positions[observed..]);
                    observed = batch.positions.len();
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            observer.tick();
            if Instant::now() >= next_flush {
                flush(dataset, &mut batch, on_event)?;
                observed = 0;
                next_flush = Instant::now() + live.flush;
            }
        }
        if !partial.is_empty() {
            batch.counts.lines += 1;
            reader.line(&partial, Some(Timestamp::now()), &mut batch);
        }
        reader.finish(&mut batch);
        flush(dataset, &mut batch, on_event)
    })?;
    let counts = batch.counts.clone();
    let summary = serde_json::to_string(&counts).expect("counts serialize");
    dataset.catalog().finish_source(source.id, &summary).map_err(StoreError::from)?;
    Ok(SourceSummary {
        source_id: source.id,
        location,
        format: Format::Nmea,
        counts,
        resumed_after_line: None,
        elapsed: started.elapsed(),
    })
}

fn flush(
    dataset: &mut Dataset,
    batch: &mut BatchBuilder,
    on_event: &(dyn Fn(LiveEvent) + Sync),
) -> Result<(), IngestError> {
    let positions = batch.positions.len() as u64;
    let lines = batch.counts.lines;
    let checkpoint = Checkpoint {
        version: crate::checkpoint::VERSION,
        offset: batch.counts.bytes,
        counts: batch.counts.clone(),
        statics_offset: batch.counts.bytes,
        statics_lines: lines,
        csv_header: None,
        done: false,
        hashed: None,
    };
    let mut taken = batch.take(checkpoint.encode(), true);
    dataset.commit(&mut taken)?;
    batch.give_back(taken.positions);
    on_event(LiveEvent::Flushed { positions, lines });
    Ok(())
}

/// Connects, reads, and reconnects with back-off until `finished`.
fn read_tcp(
    address: &str,
    live: &LiveConfig,
    finished: &dyn Fn() -> bool,
    sender: &mpsc::SyncSender<Arrived>,
    on_event: &(dyn Fn(LiveEvent) + Sync),
) {
    let mut retry = live.retry_min;
    let mut buf = vec![0u8; 1 << 16];
    while !finished() {
        let reason = match connect(address) {
            Ok(mut stream) => {
                on_event(LiveEvent::Connected(address.to_owned()));
                retry = live.retry_min;
                loop {
                    if finished() {
                        return;
                    }
                    match stream.read(&mut buf) {
                        Ok(0) => break "the feed closed the connection".to_owned(),
                        Ok(n) => {
                            let arrived = Arrived { lines: buf[..n].to_vec(), at: Timestamp::now() };
                            if sender.send(arrived).is_err() {
                                return;
                            }
                        }
                        Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break e.to_string(),
                    }
                }
            }
            Err(e) => e.to_string(),
        };
        // A line cut by the disconnection must not join the next one.
        if sender.send(Arrived { lines: b"\n".to_vec(), at: Timestamp::now() }).is_err() {
            return;
        }
        on_event(LiveEvent::Disconnected { reason, retry_in: retry });
        let until = Instant::now() + retry;
        while Instant::now() < until && !finished() {
            std::thread::sleep(Duration::from_millis(20));
        }
        retry = (retry * 2).min(live.retry_max);
    }
}

fn connect(address: &str) -> io::Result<TcpStream> {
    let mut last = io::Error::new(io::ErrorKind::NotFound, format!("{address}: no address"));
    for addr in address.to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(5)) {
            Ok(stream) => {
                stream.set_read_timeout(Some(Duration::from_millis(100)))?;
                return Ok(stream);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn read_udp(socket: &UdpSocket, finished: &dyn Fn() -> bool, sender: &mpsc::SyncSender<Arrived>) {
    let mut buf = vec![0u8; 1 << 16];
    while !finished() {
        match socket.recv_from(&mut buf) {
            Ok((n, _)) => {
                let mut lines = buf[..n].to_vec();
                // A datagram holds whole lines.
                if lines.last() != Some(&b'\n') {
                    lines.push(b'\n');
                }
                if sender.send(Arrived { lines, at: Timestamp::now() }).is_err() {
                    return;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
                ) => {}
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}
