//! The scenario simulator: synthetic AIS feeds, satellite detections and
//! facility observations, with the ground truth they were made from.
//!
//! A scenario (TOML, `docs/scenarios.md`) describes places, vessels with
//! their identities and itineraries, behaviours (AIS off, spoofing, shared
//! identities, ship-to-ship meetings), receivers, background traffic,
//! satellite imagery, facility observation series and shipments.
//! [`load`] checks it and compiles it into a [`World`];
//! [`simulate`] writes the data a user would receive and `truth.json`,
//! what really happened (`docs/simulate.md`).
//!
//! - Deterministic: the same scenario and seed give byte-identical files,
//!   whatever the number of threads; every object draws from its own random
//!   stream (`traffic::stream`).
//! - Streaming: the AIS feed is generated in time windows, so memory is
//!   bounded by one window and the longest reception delay, not by the
//!   length of the scenario.
//! - Motion is a pure function of time ([`world::Plan`]): the feed, the imagery
//!   and the truth all see each ship at the same place.
//! - The NMEA is written through `tumen-ais`'s encoder; this crate never
//!   formats a sentence itself.
//!
//! Depends on `tumen-ais` (encoding) and `tumen-model`; nothing downstream
//! depends on it except the command line and tests.

mod csv_rows;
mod facilities;
mod feed;
mod flags;
mod gazetteer;
mod imagery;
mod path;
mod plan;
mod radio;
mod reception;
mod scenario;
mod sea;
mod shipped;
mod traffic;
mod truth;
pub mod world;

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tumen_model::Timestamp;

pub use feed::{FeedConfig, FeedOutputs, FeedStats, ReceiverStats, generate as generate_feed};
pub use scenario::{ScenarioError, load};
pub use shipped::{get as shipped_scenario, names as shipped_names};
pub use truth::StopPlace;
pub use world::World;

/// A file the simulator could not write.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// What a run wrote.
#[derive(Debug, Clone)]
pub struct Summary {
    /// File names (relative to the output directory) with their sizes.
    pub files: Vec<(String, u64)>,
    pub feed: FeedStats,
    pub vessels: usize,
    pub events: usize,
    pub detections: usize,
    pub observations: usize,
}

/// Names of the files a run writes.
pub mod files {
    pub const NMEA: &str = "ais.nmea";
    pub const NMEA_GZIP: &str = "ais.nmea.gz";
    pub const NOAA_CSV: &str = "positions_noaa.csv";
    pub const DMA_CSV: &str = "positions_dma.csv";
    pub const SCENES_CSV: &str = "scenes.csv";
    pub const DETECTIONS_CSV: &str = "detections.csv";
    pub const OBSERVATIONS_CSV: &str = "observations.csv";
    pub const GAZETTEER: &str = "gazetteer.geojson";
    pub const TRUTH: &str = "truth.json";
}

/// Simulates `world` into `out_dir` (created if needed). Each file is
/// written under a temporary name and renamed when complete, so a file
/// that exists is whole. `progress` is called with the simulated time as
/// the feed advances.
pub fn simulate(
    world: &World,
    out_dir: &Path,
    config: FeedConfig,
    progress: &(dyn Fn(Timestamp) + Sync),
) -> Result<Summary, OutputError> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError { path, source }
    };
    fs::create_dir_all(out_dir).map_err(io_error(out_dir))?;
    let mut pending = Vec::new();
    let mut open = |name: &str| -> Result<File, OutputError> {
        let partial = out_dir.join(format!("{name}.partial"));
        let file = File::create(&partial).map_err(io_error(&partial))?;
        pending.push(name.to_owned());
        Ok(file)
    };

    let mut outputs = feed::FeedOutputs::default();
    if world.outputs.nmea {
        outputs.nmea = Some(if world.outputs.gzip {
            let file = open(files::NMEA_GZIP)?;
            Box::new(flate2::write::GzEncoder::new(file, flate2::Compression::fast())) as Box<dyn Write + Send>
        } else {
            Box::new(open(files::NMEA)?)
        });
    }
    if world.outputs.noaa_csv {
        outputs.noaa_csv = Some(Box::new(open(files::NOAA_CSV)?));
    }
    if world.outputs.dma_csv {
        outputs.dma_csv = Some(Box::new(open(files::DMA_CSV)?));
    }
    let feed_stats = feed::generate(world, outputs, config, progress).map_err(io_error(out_dir))?;

    let (detections, missed) = imagery::detect(world);
    let observations = facilities::observe(world);
    let truth = truth::build(world, &feed_stats, &detections, &missed, &observations);
    let texts = [
        (files::SCENES_CSV, imagery::scenes_csv(world)),
        (files::DETECTIONS_CSV, imagery::detections_csv(world, &detections)),
        (files::OBSERVATIONS_CSV, facilities::observations_csv(world, &observations)),
        (
            files::GAZETTEER,
            serde_json::to_string_pretty(&gazetteer::geojson(world)).expect("JSON values serialize") + "\n",
        ),
        (files::TRUTH, serde_json::to_string_pretty(&truth).expect("truth serializes") + "\n"),
    ];
    for (name, text) in &texts {
        let mut file = open(name)?;
        file.write_all(text.as_bytes()).map_err(io_error(&out_dir.join(name)))?;
    }

    let events = truth.events.len();
    drop(truth);
    let mut written = Vec::new();
    for name in pending {
        let partial = out_dir.join(format!("{name}.partial"));
        let target = out_dir.join(&name);
        fs::rename(&partial, &target).map_err(io_error(&target))?;
        let size = fs::metadata(&target).map_err(io_error(&target))?.len();
        written.push((name, size));
    }
    Ok(Summary {
        files: written,
        feed: feed_stats,
        vessels: world.vessels.len(),
        events,
        detections: detections.len(),
        observations: observations.len(),
    })
}
