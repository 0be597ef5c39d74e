//! The archive opens in the tools analysts use, without conversion: DuckDB
//! and pyarrow (PyPI `duckdb`, `pyarrow`; CI installs them) read the
//! Parquet parts of an ingested scenario, and agree with Tumen on the row
//! count, the schema and the values.

use std::path::Path;
use std::process::Command;

use crate::support::{TUMEN, python_has, simulated};

fn ingested_scenario(dir: &Path) -> std::path::PathBuf {
    let sim = simulated("receivers");
    let data = dir.join("data");
    let ok = Command::new(TUMEN)
        .arg("ingest")
        .arg(sim.join("ais.nmea"))
        .arg("--data")
        .arg(&data)
        .arg("-q")
        .status()
        .unwrap();
    assert!(ok.success());
    data
}

#[test]
fn duckdb_and_pyarrow_read_the_archive_as_tumen_does() {
    if !python_has("duckdb, pyarrow") {
        eprintln!("SKIPPED: duckdb and pyarrow not installed (pip install duckdb pyarrow)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = ingested_scenario(dir.path());
    let dataset = tumen_store::Dataset::open_read_only(&data).unwrap();
    let rows = dataset.all_positions().unwrap();
    assert!(rows.len() > 10_000);
    let first = &rows[0];
    let heard_twice = rows.iter().filter(|r| r.receivers_heard >= 2).count();
    assert!(heard_twice > 0, "the receivers scenario has overlapping receivers");

    let script = r#"
import sys, duckdb, pyarrow.dataset as ds, pyarrow as pa
root = sys.argv[1]
con = duckdb.connect()
glob = root + "/positions/*/*.parquet"
n, heard2 = con.execute(f"select count(*), count(*) filter (where receivers_heard >= 2) from read_parquet('{glob}', hive_partitioning = true)").fetchone()
row = con.execute(f"""select mmsi, epoch_ms(time), lat, lon, sog_knots, class, time_origin, source_id, line, cast(day as varchar)
                  from read_parquet('{glob}', hive_partitioning = true) order by mmsi, time, source_id, line limit 1""").fetchone()
# Each part is sorted by (mmsi, time).
unsorted = con.execute(f"""select count(*) from (
    select mmsi, time, lag(mmsi) over w as pm, lag(time) over w as pt
    from (select *, row_number() over () as i, filename from read_parquet('{glob}', filename = true))
    window w as (partition by filename order by i))
    where pm is not null and (mmsi < pm or (mmsi = pm and time < pt))""").fetchone()[0]
table = ds.dataset(root + "/positions", format="parquet", partitioning="hive").to_table()
print(n, heard2, unsorted, table.num_rows)
print(*row, sep="|")
print(table.schema.field("time").type, table.schema.field("mmsi").type, table.schema.field("lat").type)
"#;
    let out = Command::new("python3").args(["-c", script]).arg(&data).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let counts: Vec<u64> = lines[0].split(' ').map(|v| v.parse().unwrap()).collect();
    assert_eq!(counts, [rows.len() as u64, heard_twice as u64, 0, rows.len() as u64]);

    let values: Vec<&str> = lines[1].split('|').collect();
    assert_eq!(values[0], first.mmsi.0.to_string());
    assert_eq!(values[1], first.time.unix_ms().to_string());
    assert_eq!(values[2].parse::<f64>().unwrap(), first.lat_deg);
    assert_eq!(values[3].parse::<f64>().unwrap(), first.lon_deg);
    assert_eq!(values[4].parse::<f32>().ok(), first.sog_knots);
    assert_eq!(values[5], first.class.as_str());
    assert_eq!(values[6], first.time_origin.as_str());
    assert_eq!(values[7], first.origin.source_id.to_string());
    assert_eq!(values[8], first.origin.line.to_string());
    assert_eq!(values[9], tumen_store::day_name(tumen_store::day_of(first.time)));
    assert_eq!(lines[2], "timestamp[ms, tz=UTC] uint32 double");
}

#[test]
fn a_batch_not_yet_compacted_is_where_readers_do_not_look() {
    if !python_has("duckdb, pyarrow") {
        eprintln!("SKIPPED: duckdb and pyarrow not installed (pip install duckdb pyarrow)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = ingested_scenario(dir.path());
    let compacted = tumen_store::Dataset::open_read_only(&data).unwrap().all_positions().unwrap().len();
    // A bulk ingest's batch, committed and not yet compacted (as during an
    // ingest, or after one was killed).
    let mut dataset = tumen_store::Dataset::open(&data).unwrap();
    let source = dataset
        .catalog()
        .begin_source(&tumen_store::NewSource {
            kind: tumen_store::SourceKind::File,
            location: "more.nmea",
            content_hash: Some("more"),
            size_bytes: Some(1),
            format: "nmea",
            receivers: Some(tumen_store::ReceiverKind::Unknown),
        })
        .unwrap();
    let mut rows = dataset.all_positions().unwrap();
    rows.truncate(1_000);
    for row in &mut rows {
        row.origin.source_id = source.id;
    }
    let mut batch = tumen_store::Batch {
        source_id: source.id,
        positions: rows,
        lines: 1_000,
        parts: tumen_store::BatchParts::Runs,
        ..tumen_store::Batch::default()
    };
    dataset.commit(&mut batch).unwrap();
    drop(dataset);
    let runs: Vec<_> = glob::glob(&format!("{}/positions/*/*.run", data.display())).unwrap().flatten().collect();
    assert!(!runs.is_empty(), "the batch is a run on disk");
    assert!(runs.iter().all(|r| r.file_name().unwrap().to_str().unwrap().starts_with('_')), "{runs:?}");

    // pyarrow's dataset and DuckDB's glob read the compacted archive and
    // pass over the run.
    let script = r#"
import sys, duckdb, pyarrow.dataset as ds
root = sys.argv[1]
table = ds.dataset(root + "/positions", format="parquet", partitioning="hive").to_table()
n = duckdb.connect().execute(f"select count(*) from read_parquet('{root}/positions/*/*.parquet', hive_partitioning = true)").fetchone()[0]
print(table.num_rows, n)
"#;
    let out = Command::new("python3").args(["-c", script]).arg(&data).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let counts: Vec<usize> =
        String::from_utf8(out.stdout).unwrap().split_whitespace().map(|v| v.parse().unwrap()).collect();
    assert_eq!(counts, [compacted, compacted]);
}
