//! What the handlers share: the dataset's directory, a pool of reading
//! handles (a SQLite connection each; queries run on blocking threads),
//! the gazetteer and the token.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use tumen_places::Gazetteer;
use tumen_store::Dataset;

use crate::error::ApiError;

pub struct AppState {
    pub data: PathBuf,
    /// The embedded places and those imported into the dataset, read again
    /// when a request names a place it lacks (one imported since).
    gazetteer: RwLock<Arc<Gazetteer>>,
    /// `None`: no token asked (loopback only, by request).
    pub token: Option<String>,
    /// The corridors chains are read against (the dataset's configuration).
    pub corridors: Vec<tumen_chain::Corridor>,
    /// The live alert stream's poller and open streams.
    pub(crate) alerts: crate::stream::AlertFeed,
    pool: Mutex<Vec<Dataset>>,
    /// Queries running at once: a few per core, the rest wait their turn in
    /// order (hundreds of blocking threads sharing two cores would stretch
    /// every query's time, the tail most).
    running: tokio::sync::Semaphore,
}

/// Reading handles kept between requests.
const POOL_SIZE: usize = 16;

impl AppState {
    pub fn new(
        data: PathBuf,
        token: Option<String>,
        corridors: Vec<tumen_chain::Corridor>,
    ) -> Result<AppState, tumen_store::StoreError> {
        let dataset = Dataset::open_read_only(&data)?;
        let gazetteer = RwLock::new(Arc::new(read_gazetteer(&dataset)?));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let running = tokio::sync::Semaphore::new(2 * cores);
        Ok(AppState {
            data,
            gazetteer,
            token,
            corridors,
            alerts: crate::stream::AlertFeed::new(),
            pool: Mutex::new(vec![dataset]),
            running,
        })
    }

    /// The places known now.
    pub fn gazetteer(&self) -> Arc<Gazetteer> {
        Arc::clone(&self.gazetteer.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The places, read again from the dataset.
    pub fn reload_gazetteer(&self, dataset: &Dataset) -> Result<Arc<Gazetteer>, ApiError> {
        let fresh = Arc::new(read_gazetteer(dataset)?);
        *self.gazetteer.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&fresh);
        Ok(fresh)
    }

    /// Runs `f` with a reading handle on a blocking thread.
    pub async fn with_dataset<T, F>(self: &std::sync::Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Dataset, &AppState) -> Result<T, ApiError> + Send + 'static,
    {
        let _turn = self.running.acquire().await.map_err(|e| ApiError::internal(format!("shutting down: {e}")))?;
        let state = std::sync::Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let pooled = state.pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let dataset = match pooled {
                Some(dataset) => dataset,
                None => Dataset::open_read_only(&state.data)?,
            };
            let result = f(&dataset, &state);
            let mut pool = state.pool.lock().unwrap_or_else(|e| e.into_inner());
            if pool.len() < POOL_SIZE {
                pool.push(dataset);
            }
            result
        })
        .await
        .map_err(|e| ApiError::internal(format!("a query failed: {e}")))?
    }
}

fn read_gazetteer(dataset: &Dataset) -> Result<Gazetteer, tumen_store::StoreError> {
    let places = dataset.catalog().places()?;
    Gazetteer::embedded_with_imported(places.into_iter().map(|p| (p.feature, p.source))).map_err(|e| {
        tumen_store::StoreError::Io { path: dataset.root().to_owned(), source: std::io::Error::other(e.to_string()) }
    })
}
