//! `tumen vessels` and `tumen track`: what the dataset knows of a vessel.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use tumen_model::{EventKind, Imo, Mmsi, Timestamp};
use tumen_store::{Dataset, EventQuery, PositionRow, StaticField, StaticSpan, VesselQuery};

#[derive(Args)]
pub struct VesselsArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// This MMSI (shows its whole identity history).
    #[arg(long)]
    mmsi: Option<u32>,
    /// Vessels that ever broadcast this IMO number.
    #[arg(long)]
    imo: Option<u32>,
    /// Vessels that ever broadcast a name containing this (any case).
    #[arg(long)]
    name: Option<String>,
    /// At most this many vessels.
    #[arg(long, default_value_t = 1000)]
    limit: u64,
    #[command(flatten)]
    output: crate::output::FormatArgs,
}

pub fn vessels(args: &VesselsArgs) -> Result<ExitCode> {
    let dataset = Dataset::open_read_only(&args.data)?;
    let query =
        VesselQuery { mmsi: args.mmsi.map(Mmsi), imo: args.imo, name_contains: args.name.clone(), limit: args.limit };
    let found = dataset.catalog().find_vessels(&query)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let detailed = found.len() == 1 || args.mmsi.is_some();
    if !args.output.json() && !detailed && !found.is_empty() {
        writeln!(
            out,
            "{:<9}  {:<10}  {:<22}  {:<28}  {:<9}  {:<9}  {:<4}  {:<5}  {:<10}  {:<10}",
            "MMSI", "KIND", "FLAG (MID)", "NAME", "IMO", "CALL SIGN", "TYPE", "CLASS", "FIRST", "LAST"
        )?;
    }
    for mmsi in &found {
        let history = dataset.catalog().static_history(*mmsi)?;
        if args.output.json() {
            writeln!(out, "{}", tumen_report::json::vessel(*mmsi, &history))?;
        } else if detailed {
            write_history(&mut out, *mmsi, &history)?;
            write_broadcast_quality(&mut out, &dataset, *mmsi)?;
            writeln!(out)?;
        } else {
            write_row(&mut out, *mmsi, &history)?;
        }
    }
    out.flush()?;
    if found.is_empty() {
        eprintln!("no vessel in the registry matches");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn flag(mmsi: Mmsi) -> String {
    match (mmsi.mid(), mmsi.mid_allocation()) {
        (_, Some(a)) => format!("{} {} ({})", a.iso_alpha2, a.name, a.mid),
        (Some(mid), None) => format!("unallocated ({mid})"),
        (None, None) => "-".to_owned(),
    }
}

/// The values of one field, oldest first, each once.
fn values(history: &[StaticSpan], field: StaticField) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for span in history.iter().filter(|s| s.field == field) {
        if !out.contains(&span.value.as_str()) {
            out.push(&span.value);
        }
    }
    out
}

fn imo_text(value: &str) -> String {
    match value.parse::<u32>() {
        Ok(n) if Imo(n).has_valid_check_digit() => value.to_owned(),
        _ => format!("{value} (invalid check digit)"),
    }
}

fn write_row(out: &mut dyn Write, mmsi: Mmsi, history: &[StaticSpan]) -> io::Result<()> {
    let joined = |field| values(history, field).join(" → ");
    let first = history.iter().map(|s| s.first_time).min().map(date).unwrap_or_default();
    let last = history.iter().map(|s| s.last_time).max().map(date).unwrap_or_default();
    let imos: Vec<String> = values(history, StaticField::Imo).into_iter().map(imo_text).collect();
    writeln!(
        out,
        "{:<9}  {:<10}  {:<22}  {:<28}  {:<9}  {:<9}  {:<4}  {:<5}  {:<10}  {:<10}",
        mmsi,
        mmsi.kind().as_str(),
        flag(mmsi),
        joined(StaticField::Name),
        imos.join(" → "),
        joined(StaticField::CallSign),
        joined(StaticField::ShipType),
        joined(StaticField::Class),
        first,
        last
    )
}

fn write_history(out: &mut dyn Write, mmsi: Mmsi, history: &[StaticSpan]) -> io::Result<()> {
    writeln!(out, "MMSI {mmsi}: {}, flag {}", mmsi.kind().as_str(), flag(mmsi))?;
    for span in history {
        let value = if span.field == StaticField::Imo { imo_text(&span.value) } else { span.value.clone() };
        writeln!(
            out,
            "  {:<11}  {:<30}  {} → {}  {:>6} reports  (first: source {} line {})",
            span.field.as_str(),
            value,
            span.first_time,
            span.last_time,
            span.reports,
            span.source_id,
            span.first_line
        )?;
    }
    Ok(())
}

/// What `tumen run` found of the broadcast itself: an MMSI no one station
/// can have, ships sharing it, and the reports that were data quality (by
/// kind, over how many days).
fn write_broadcast_quality(out: &mut dyn Write, dataset: &Dataset, mmsi: Mmsi) -> Result<()> {
    if let Some(reason) = mmsi.not_one_station() {
        writeln!(out, "  not one station's MMSI: {reason} (its reports go to no detector)")?;
    }
    let of_kind = |kind: EventKind| {
        let query = EventQuery { kind: Some(kind), mmsi: Some(mmsi), place: None, from: None, to: None, limit: 10_000 };
        dataset.catalog().events(&query)
    };
    for shared in of_kind(EventKind::SharedMmsi)? {
        let heard = ["names", "call_signs", "imos"]
            .iter()
            .filter_map(|f| shared.text(f).map(|v| format!("{}: {v}", f.replace('_', " "))))
            .collect::<Vec<_>>()
            .join("; ");
        writeln!(out, "  shared by several ships {} → {}  {heard}  ({})", shared.start, shared.end, shared.id)?;
    }
    let quality = of_kind(EventKind::DataQuality)?;
    if !quality.is_empty() {
        let mut by_kind: std::collections::BTreeMap<String, f64> = std::collections::BTreeMap::new();
        for day in &quality {
            for (kind, n) in day.attributes.iter().filter(|(k, _)| **k != "reports") {
                if let tumen_model::Value::Number(n) = n {
                    *by_kind.entry((*kind).to_owned()).or_default() += n;
                }
            }
        }
        let counts: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(
            out,
            "  data quality on {} day(s): {}  (tumen events --kind data_quality --mmsi {mmsi})",
            quality.len(),
            counts.join(", ")
        )?;
    }
    Ok(())
}

fn date(t: Timestamp) -> String {
    t.to_string().chars().take(10).collect()
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TrackFormat {
    /// One JSON object per position.
    Json,
    Csv,
    /// A FeatureCollection: the track as a LineString, each position as a
    /// Point, then each satellite detection matched to the vessel
    /// (`kind` = `detection_match`) as a Point (RFC 7946, for QGIS and
    /// geojson.io).
    Geojson,
}

#[derive(Args)]
pub struct TrackArgs {
    /// The vessel's MMSI.
    #[arg(value_parser = parse_mmsi)]
    mmsi: u32,
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// From this time (RFC 3339, `2023-09-07 06:00`, or a date).
    #[arg(long)]
    from: Option<String>,
    /// Up to this time (a date means its end).
    #[arg(long)]
    to: Option<String>,
    #[arg(long, value_enum, default_value = "json")]
    format: TrackFormat,
}

/// An MMSI as typed ([`Mmsi::parse`]); a name gets told how to find one.
fn parse_mmsi(text: &str) -> Result<u32, String> {
    let text = text.trim();
    match Mmsi::parse(text) {
        Some(mmsi) => Ok(mmsi.0),
        None if text.chars().any(char::is_alphabetic) => Err(format!(
            "{text:?} is not an MMSI (up to nine digits); to find a vessel by name: tumen vessels --name {text:?}"
        )),
        None => Err(format!("{text:?} is not an MMSI (up to nine digits)")),
    }
}

/// A flag's parser for a type written by name: `names` listed in the help
/// and in the error a misspelt one gets, `parse` reading the one given.
pub fn one_of<T: Clone + Send + Sync + 'static>(
    names: impl IntoIterator<Item = &'static str>,
    parse: fn(&str) -> Option<T>,
) -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(names).map(move |name| parse(&name).expect("a possible value reads"))
}

/// `--kind`'s parser: one of the event kinds.
pub fn event_kind() -> impl clap::builder::TypedValueParser<Value = EventKind> {
    one_of(EventKind::ALL.map(EventKind::as_str), EventKind::parse)
}

/// `--from` and `--to` as typed ([`parse_time`]): a bare `--to` date
/// means its day's end.
pub fn parse_window(from: Option<&str>, to: Option<&str>) -> Result<(Option<Timestamp>, Option<Timestamp>)> {
    Ok((from.map(|t| parse_time(t, false)).transpose()?, to.map(|t| parse_time(t, true)).transpose()?))
}

/// `--from` and `--to` of the verbs that list what was found (events,
/// chains, alerts, export): what overlaps the window is listed.
#[derive(clap::Args, Clone, Copy, Debug, Default)]
pub struct WindowArgs {
    /// Only what ends at or after this time (UTC: RFC 3339, `2023-09-07 06:00`, or a date).
    #[arg(long, value_parser = |t: &str| parse_time(t, false))]
    pub from: Option<Timestamp>,
    /// Only what starts at or before this time (a date means its end).
    #[arg(long, value_parser = |t: &str| parse_time(t, true))]
    pub to: Option<Timestamp>,
}

/// A time as users type it; a bare date is its start (or its end, for
/// `--to`).
pub fn parse_time(text: &str, end_of_day: bool) -> Result<Timestamp> {
    let t = text.trim();
    if t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' {
        let suffix = if end_of_day { "T23:59:59.999Z" } else { "T00:00:00Z" };
        if let Some(ts) = Timestamp::parse_lenient(&format!("{t}{suffix}")) {
            return Ok(ts);
        }
    }
    if let Some(ts) = Timestamp::parse_lenient(t).or_else(|| Timestamp::parse_lenient(&format!("{t}:00"))) {
        return Ok(ts);
    }
    bail!("not a time: {text:?} (use RFC 3339, `2023-09-07 06:00` or `2023-09-07`)")
}

pub fn track(args: &TrackArgs) -> Result<ExitCode> {
    let from = args
        .from
        .as_deref()
        .map(|t| parse_time(t, false))
        .transpose()?
        .unwrap_or(Timestamp::from_unix_ms(i64::MIN / 2));
    let to =
        args.to.as_deref().map(|t| parse_time(t, true)).transpose()?.unwrap_or(Timestamp::from_unix_ms(i64::MAX / 2));
    if to < from {
        bail!("--to is before --from");
    }
    let dataset = Dataset::open_read_only(&args.data)?;
    let rows = dataset.track(Mmsi(args.mmsi), from, to).context("reading the archive")?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        TrackFormat::Json => {
            for row in &rows {
                serde_json::to_writer(&mut out, &tumen_report::json::Position::of(row))?;
                writeln!(out)?;
            }
        }
        TrackFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            csv.write_record(CSV_HEADER)?;
            for row in &rows {
                csv.write_record(csv_record(row))?;
            }
            csv.flush()?;
        }
        TrackFormat::Geojson => {
            let query = EventQuery {
                kind: Some(EventKind::DetectionMatch),
                mmsi: Some(Mmsi(args.mmsi)),
                place: None,
                from: Some(from),
                to: Some(to),
                limit: u64::MAX / 2,
            };
            let sightings = dataset.catalog().events(&query)?;
            {
                let track = tumen_report::json::TrackGeoJson { mmsi: args.mmsi, rows: &rows, sightings: &sightings };
                serde_json::to_writer(&mut out, &track)?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    if rows.is_empty() {
        // A miss is an error, as `tumen vessels` makes it: scripts see it.
        let when = if args.from.is_some() || args.to.is_some() { "in that time" } else { "in the dataset" };
        eprintln!("no positions of {} {when} (`tumen vessels` lists the vessels it has)", Mmsi(args.mmsi));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

const CSV_HEADER: [&str; 15] = [
    "mmsi",
    "time",
    "lat",
    "lon",
    "sog_knots",
    "cog_deg",
    "heading_deg",
    "nav_status",
    "msg_type",
    "class",
    "receiver",
    "receivers_heard",
    "time_origin",
    "source_id",
    "line",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn csv_record(r: &PositionRow) -> [String; 15] {
    [
        r.mmsi.0.to_string(),
        r.time.to_string(),
        r.lat_deg.to_string(),
        r.lon_deg.to_string(),
        opt(r.sog_knots),
        opt(r.cog_deg),
        opt(r.heading_deg),
        opt(r.nav_status),
        r.msg_type.to_string(),
        r.class.as_str().to_owned(),
        r.receiver.as_deref().unwrap_or("").to_owned(),
        r.receivers_heard.to_string(),
        r.time_origin.as_str().to_owned(),
        r.origin.source_id.to_string(),
        r.origin.line.to_string(),
    ]
}
