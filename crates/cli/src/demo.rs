//! `tumen demo`: the 2023 case end to end on simulated data. It runs the
//! commands a user would type — each printed, then run by this very
//! binary — so the demo also shows how to do it by hand: simulate the
//! Najin → Dunay scenario, ingest its AIS, import its places, satellite
//! detections and facility counts, run the detectors, fusion and chain
//! linking, list the suspected shipments, and write the strongest one's
//! report (`report.html`). Running it again is cheap:
//! every import is by content, exactly once.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::output::note;

#[derive(Args)]
pub struct DemoArgs {
    /// Where the simulated case (`case/`) and its dataset (`data/`) go.
    #[arg(long, default_value = "tumen-demo")]
    out: PathBuf,
}

pub fn run(args: &DemoArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let exe = std::env::current_exe().context("finding the tumen binary")?;
    let (case, data) = (args.out.join("case"), args.out.join("data"));
    let path = |p: &Path| p.display().to_string();
    let file = |name: &str| path(&case.join(name));
    let data_dir = path(&data);
    if data.exists() {
        note!(
            "{} holds an earlier demo: its dataset is used again (every import is by content, exactly once, \
             so nothing is doubled); remove the directory, or give another --out, for a fresh start",
            path(&args.out)
        );
    }
    let steps: Vec<Vec<String>> = vec![
        vec!["simulate".into(), "najin-dunay-2023".into(), "--out".into(), path(&case), "-q".into()],
        vec!["ingest".into(), file("ais.nmea"), "--data".into(), data_dir.clone(), "-q".into()],
        vec!["places".into(), "import".into(), file("gazetteer.geojson"), "--data".into(), data_dir.clone()],
        vec![
            "detections".into(),
            "import".into(),
            file("scenes.csv"),
            file("detections.csv"),
            "--data".into(),
            data_dir.clone(),
        ],
        vec!["observations".into(), "import".into(), file("observations.csv"), "--data".into(), data_dir.clone()],
        vec!["run".into(), "--data".into(), data_dir.clone()],
    ];
    for step in &steps {
        // The run prints its alerts as JSON lines; the summary says how
        // many, and `tumen alerts` lists them.
        run_step(&exe, step, step[0] != "run")?;
    }
    let chains = vec!["chains".to_owned(), "--data".into(), data_dir.clone(), "--min-confidence".into(), "0.5".into()];
    run_step(&exe, &chains, true)?;
    // The report of the strongest chain (by `Chain::stronger_first`).
    let stored = tumen_store::Dataset::open_read_only(&data)?.catalog().chains(0.0)?;
    let strongest = crate::run::stored_chains(&stored)?.into_iter().min_by(|a, b| a.stronger_first(b));
    let report = args.out.join("report.html");
    if let Some(chain) = &strongest {
        let step = vec![
            "report".to_owned(),
            chain.id.clone(),
            "--data".into(),
            data_dir.clone(),
            "--out".into(),
            path(&report),
        ];
        run_step(&exe, &step, true)?;
    }
    note!(
        "\nThe 2023 case, simulated and analysed in {:.0} s. The data and dataset are in {}:\n  \
         tumen events --data {data_dir} --kind dark_detection    the dark port calls seen from orbit\n  \
         tumen events --data {data_dir} --kind facility_anomaly  the rail cars at Tumangang and Khasan\n  \
         tumen chains --data {data_dir} --format json            every chain with its reasons and events\n  \
         tumen alerts --data {data_dir}                          the alerts the default rules raised\n  \
         {}/truth.json                               what really happened, to check against",
        started.elapsed().as_secs_f64(),
        path(&args.out),
        path(&case)
    );
    match strongest {
        Some(chain) => note!(
            "\nThe strongest chain, {} (confidence {:.2}), as a report to open in a browser:\n  {}",
            chain.id,
            chain.confidence,
            path(&report)
        ),
        None => note!("\nNo chain was linked: nothing to report."),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `tumen STEP` (this binary), after printing it as a user would type
/// it; its standard output shown or not; `-q` passed on.
fn run_step(exe: &Path, step: &[String], show_output: bool) -> Result<()> {
    note!("\n$ tumen {}", step.join(" "));
    let mut command = Command::new(exe);
    command.args(step);
    if crate::output::quiet() && !step.iter().any(|a| a == "-q") {
        command.arg("-q");
    }
    if !show_output {
        command.stdout(std::process::Stdio::null());
    }
    let status = command.status().with_context(|| format!("running tumen {}", step[0]))?;
    if !status.success() {
        bail!("tumen {} failed ({status})", step[0]);
    }
    Ok(())
}
