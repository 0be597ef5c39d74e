//! The connection loop: what a client that never finishes, or a crowd of
//! them, cannot take from the analyst.
//!
//! axum's `serve` accepts every connection and waits on it as long as it
//! stays open; ~20,000 idle sockets that never sent their headers took
//! every file descriptor of the process. Here:
//! - a client has [`HEADER_READ_TIMEOUT`] to send a request's headers,
//!   and the same between requests on a kept-alive connection (hyper's
//!   header timeout runs while the connection waits for a request line);
//!   a response being streamed (the alert stream) is not cut;
//! - at most [`MAX_CONNECTIONS`] connections at once, and at most
//!   [`MAX_CONNECTIONS_PER_PEER`] from one address: one more is closed at
//!   once, so one host cannot crowd out the rest;
//! - when the process runs out of file descriptors, accepting pauses and
//!   resumes — the server does not stop.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client has to send a request's headers, and how long a
/// kept-alive connection may wait idle for its next request.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections open at once.
pub const MAX_CONNECTIONS: usize = 1024;
/// Connections open at once from one address (a dashboard opens a few).
pub const MAX_CONNECTIONS_PER_PEER: usize = 64;

/// Serves `app` on `listener` until `stop` completes, then waits for the
/// open connections to finish (after `closing`, which ends the streams
/// that never end by themselves).
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    stop: impl std::future::Future<Output = ()>,
    closing: impl FnOnce(),
) -> std::io::Result<()> {
    let all = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let peers = Arc::new(Peers::default());
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT).keep_alive(true);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            // Out of file descriptors, or a connection reset before it was
            // accepted: wait a little and go on accepting.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&all).try_acquire_owned() else { continue };
        let Some(slot) = Peers::enter(&peers, peer.ip()) else { continue };
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop((permit, slot));
        });
    }
    closing();
    graceful.shutdown().await;
    Ok(())
}

/// Open connections by peer address.
#[derive(Default)]
struct Peers {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection of a peer, counted while it lives.
struct PeerSlot {
    peers: Arc<Peers>,
    ip: IpAddr,
}

impl Peers {
    /// A slot for one more connection from `ip`, if it has fewer than
    /// [`MAX_CONNECTIONS_PER_PEER`].
    fn enter(peers: &Arc<Peers>, ip: IpAddr) -> Option<PeerSlot> {
        let mut open = peers.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(ip).or_default();
        if *count >= MAX_CONNECTIONS_PER_PEER {
            return None;
        }
        *count += 1;
        Some(PeerSlot { peers: Arc::clone(peers), ip })
    }
}

impl Drop for PeerSlot {
    fn drop(&mut self) {
        let mut open = self.peers.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peer_gets_its_share_of_connections_and_them_back() {
        let peers = Arc::new(Peers::default());
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let slots: Vec<PeerSlot> = (0..MAX_CONNECTIONS_PER_PEER).map(|_| Peers::enter(&peers, ip).unwrap()).collect();
        assert!(Peers::enter(&peers, ip).is_none(), "one more from the same address is refused");
        assert!(Peers::enter(&peers, "10.0.0.2".parse().unwrap()).is_some(), "another address is not");
        drop(slots);
        assert!(Peers::enter(&peers, ip).is_some(), "closed connections give their slots back");
    }
}
