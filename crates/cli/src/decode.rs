//! `tumen decode`: AIS NMEA to gpsd-compatible JSON, CSV or counts.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tumen_ais::gpsd::GpsdJson;
use tumen_ais::message::StaticDataReport;
use tumen_ais::{Decoded, Decoder, DecoderConfig, Message, RejectReason, Rejected, Sink, Stats};

use crate::input;

#[derive(Args, Debug)]
pub struct DecodeArgs {
    /// Input files, plain or gzip; `-` or none for standard input. Each file
    /// is decoded as its own stream.
    files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::GpsdJson)]
    format: Format,
    /// Accept sentences and tag blocks with failed checksums (marked) instead
    /// of rejecting them.
    #[arg(long)]
    lenient: bool,
    /// With gpsd JSON: add where each message came from — `"line"` (its
    /// first line), and when the input says, `"received"` (receiver time,
    /// RFC 3339), `"source"` (tag block `s:`) and `"station"`.
    #[arg(long)]
    meta: bool,
    /// Write every rejected line here, tab-separated: file, line number,
    /// reason, the line as read.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// Write the output here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// gpsd's JSON, scaled, as `gpsdecode -j` prints it.
    GpsdJson,
    /// gpsd's JSON, unscaled, as `gpsdecode -u -j` prints it.
    GpsdJsonUnscaled,
    /// One row per message with the common fields, scaled, empty when not
    /// available.
    Csv,
    /// Counts per message type and per reject reason.
    Stats,
}

pub fn run(args: &DecodeArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let files: Vec<String> = if args.files.is_empty() { vec!["-".to_owned()] } else { args.files.clone() };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?),
        None => Box::new(io::stdout().lock()),
    };
    // JSON is formatted into `DecodeSink::batch` and handed over in blocks
    // larger than this buffer, which then go straight through.
    let out = BufWriter::with_capacity(1 << 16, out);
    let mut out = if args.format == Format::Csv {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(CSV_HEADER)?;
        Output::Csv(Box::new(csv))
    } else {
        Output::Plain(out)
    };
    let mut rejects = match &args.rejects {
        Some(path) => {
            let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut w = BufWriter::new(file);
            writeln!(w, "file\tline\treason\ttext")?;
            Some(w)
        }
        None => None,
    };
    let show_progress = !crate::output::quiet() && io::stderr().is_terminal();
    let mut totals = Stats::default();
    let mut failed_inputs = 0;

    for path in &files {
        let mut source = match input::open(path) {
            Ok(source) => source,
            Err(error) => {
                eprintln!("tumen: {error:#}");
                failed_inputs += 1;
                continue;
            }
        };
        let bar = progress_bar(show_progress, source.len, &source.name);
        let mut sink = DecodeSink {
            format: args.format,
            file: &source.name,
            out: &mut out,
            rejects: rejects.as_mut(),
            gpsd: GpsdJson::new(args.format != Format::GpsdJsonUnscaled, "stdin"),
            meta: args.meta,
            batch: String::with_capacity(BATCH_BYTES + 4096),
            error: None,
        };
        let mut decoder = Decoder::new(DecoderConfig { lenient: args.lenient, ..DecoderConfig::default() });
        let result = tumen_ingest::lines::for_each_line::<anyhow::Error>(
            &mut source.reader,
            0,
            |line, _| {
                decoder.feed_line(line, &mut sink);
                // Output errors stop the run; the error itself stays in the sink.
                if sink.error.is_some() { Err(anyhow::anyhow!("output failed")) } else { Ok(()) }
            },
            |bytes| bar.set_position(bytes),
        );
        decoder.finish(&mut sink);
        if let Err(error) = sink.flush_batch() {
            sink.error.get_or_insert(error);
        }
        bar.finish_and_clear();
        if let Some(error) = sink.error.take() {
            return Err(error);
        }
        if let Err(error) = result {
            eprintln!("tumen: {}: read failed after line {}: {error:#}", source.name, decoder.line_number());
            failed_inputs += 1;
        }
        totals.merge(decoder.stats());
    }

    let mut out = match out {
        Output::Plain(w) => w,
        Output::Csv(csv) => (*csv).into_inner().map_err(|e| e.into_error())?,
    };
    if args.format == Format::Stats {
        write_stats(&mut out, &totals)?;
    }
    out.flush()?;
    if let Some(mut w) = rejects {
        w.flush()?;
    }
    if !crate::output::quiet() {
        summary(&totals, started.elapsed().as_secs_f64(), args.rejects.is_some());
    }
    Ok(if failed_inputs > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn progress_bar(show: bool, len: Option<u64>, name: &str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = match len {
        Some(len) => indicatif::ProgressBar::new(len).with_style(
            indicatif::ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}")
                .expect("template"),
        ),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{msg} {spinner} {bytes} {bytes_per_sec}").expect("template"),
        ),
    };
    bar.set_message(name.to_owned());
    bar
}

/// `,"line":…` and, when known, `,"received":…,"source":…,"station":…`.
fn push_meta(out: &mut String, meta: &tumen_ais::MessageMeta<'_>) {
    use std::fmt::Write as _;
    let _ = write!(out, ",\"line\":{}", meta.first_line);
    if let Some(time) = meta.receiver_time {
        let _ = write!(out, ",\"received\":\"{time}\"");
    }
    for (key, value) in [("source", meta.source), ("station", meta.station)] {
        if let Some(value) = value {
            let _ = write!(out, ",\"{key}\":");
            tumen_ais::gpsd::push_json_string(out, value);
        }
    }
}

/// Where output goes: bytes as they are, or through the CSV writer.
enum Output {
    Plain(BufWriter<Box<dyn Write>>),
    Csv(Box<csv::Writer<BufWriter<Box<dyn Write>>>>),
}

/// Receives decoder output and writes it in the chosen format.
struct DecodeSink<'a> {
    format: Format,
    file: &'a str,
    out: &'a mut Output,
    rejects: Option<&'a mut BufWriter<File>>,
    gpsd: GpsdJson,
    /// Add reception metadata to JSON objects.
    meta: bool,
    /// JSON lines waiting to be written.
    batch: String,
    error: Option<anyhow::Error>,
}

/// JSON output is written in blocks of about this size.
const BATCH_BYTES: usize = 1 << 18;

impl DecodeSink<'_> {
    fn write_message(&mut self, decoded: &Decoded<'_>) -> Result<()> {
        match self.format {
            Format::GpsdJson | Format::GpsdJsonUnscaled => {
                if self.gpsd.write(decoded.message, decoded.meta.channel, &mut self.batch) {
                    if self.meta {
                        self.batch.pop();
                        push_meta(&mut self.batch, &decoded.meta);
                        self.batch.push('}');
                    }
                    self.batch.push('\n');
                    if self.batch.len() >= BATCH_BYTES {
                        self.flush_batch()?;
                    }
                }
            }
            Format::Csv => {
                if let Output::Csv(csv) = self.out {
                    write_csv_row(csv, self.file, decoded)?;
                }
            }
            Format::Stats => {}
        }
        Ok(())
    }

    fn flush_batch(&mut self) -> Result<()> {
        if let Output::Plain(out) = self.out {
            out.write_all(self.batch.as_bytes())?;
        }
        self.batch.clear();
        Ok(())
    }

    fn write_reject(&mut self, rejected: &Rejected<'_>) -> Result<()> {
        if let Some(w) = self.rejects.as_deref_mut() {
            write!(w, "{}\t{}\t{}\t", self.file, rejected.line_number, rejected.reason.name())?;
            w.write_all(rejected.line)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl Sink for DecodeSink<'_> {
    fn message(&mut self, decoded: &Decoded<'_>) {
        if self.error.is_none() {
            self.error = self.write_message(decoded).err();
        }
    }

    fn reject(&mut self, rejected: &Rejected<'_>) {
        if self.error.is_none() {
            self.error = self.write_reject(rejected).err();
        }
    }
}

const CSV_HEADER: &[&str] = &[
    "file",
    "line",
    "receiver_time",
    "source",
    "station",
    "channel",
    "type",
    "repeat",
    "mmsi",
    "lon",
    "lat",
    "sog_knots",
    "cog_deg",
    "heading_deg",
    "nav_status",
    "rot_deg_per_min",
    "accuracy",
    "utc_second",
    "imo",
    "callsign",
    "shipname",
    "ship_type",
    "to_bow_m",
    "to_stern_m",
    "to_port_m",
    "to_starboard_m",
    "draught_m",
    "eta",
    "destination",
    "dac",
    "fi",
    "checksum_ok",
];

/// The CSV columns of one message: the common fields, scaled; empty where the
/// message has no such field or says "not available".
fn write_csv_row(csv: &mut csv::Writer<impl Write>, file: &str, d: &Decoded<'_>) -> Result<()> {
    let mut row = CsvRow::default();
    match d.message {
        Message::Position(m) => {
            row.position(m.lon_deg(), m.lat_deg(), m.sog_knots(), m.cog_deg(), m.heading_deg());
            row.nav_status = Some(m.nav_status.to_string());
            row.rot = m.rot_deg_per_min().map(|r| format!("{r:.1}"));
            row.accuracy = Some(m.position_accuracy);
            row.second = Some(m.utc_second);
        }
        Message::BaseStation(m) => {
            row.position(m.lon_deg(), m.lat_deg(), None, None, None);
            row.accuracy = Some(m.position_accuracy);
        }
        Message::StaticAndVoyage(m) => {
            row.imo = (m.imo != 0).then(|| m.imo.to_string());
            row.callsign = m.callsign.as_str().to_owned();
            row.shipname = m.shipname.as_str().to_owned();
            row.ship_type = Some(m.ship_type);
            row.dimensions = Some([m.to_bow_m, m.to_stern_m, u16::from(m.to_port_m), u16::from(m.to_starboard_m)]);
            row.draught = m.draught_m().map(|d| format!("{d:.1}"));
            row.eta = Some(format!("{:02}-{:02}T{:02}:{:02}", m.eta_month, m.eta_day, m.eta_hour, m.eta_minute));
            row.destination = m.destination.as_str().to_owned();
        }
        Message::AddressedBinary(m) => row.application = Some((m.dac, m.fi)),
        Message::BroadcastBinary(m) => row.application = Some((m.dac, m.fi)),
        Message::SarAircraft(m) => {
            let sog = (m.sog_knots != 1023).then(|| f64::from(m.sog_knots));
            let cog = (m.cog_deg_e1 < 3600).then(|| f64::from(m.cog_deg_e1) / 10.0);
            row.position(m.lon_deg(), m.lat_deg(), sog, cog, None);
            row.accuracy = Some(m.position_accuracy);
            row.second = Some(m.utc_second);
        }
        Message::ClassBPosition(m) => {
            row.position(m.lon_deg(), m.lat_deg(), m.sog_knots(), m.cog_deg(), m.heading_deg());
            row.accuracy = Some(m.position_accuracy);
            row.second = Some(m.utc_second);
        }
        Message::ClassBExtended(m) => {
            row.position(m.lon_deg(), m.lat_deg(), m.sog_knots(), m.cog_deg(), m.heading_deg());
            row.accuracy = Some(m.position_accuracy);
            row.second = Some(m.utc_second);
            row.shipname = m.shipname.as_str().to_owned();
            row.ship_type = Some(m.ship_type);
            row.dimensions = Some([m.to_bow_m, m.to_stern_m, u16::from(m.to_port_m), u16::from(m.to_starboard_m)]);
        }
        Message::AidToNavigation(m) => {
            row.position(m.lon_deg(), m.lat_deg(), None, None, None);
            row.accuracy = Some(m.position_accuracy);
            row.shipname = m.full_name();
        }
        Message::StaticData(StaticDataReport::PartA(a)) => row.shipname = a.shipname.as_str().to_owned(),
        Message::StaticData(StaticDataReport::PartB(b)) => {
            row.callsign = b.callsign.as_str().to_owned();
            row.ship_type = Some(b.ship_type);
            if let tumen_ais::message::Type24Dimensions::Ship { to_bow_m, to_stern_m, to_port_m, to_starboard_m } =
                b.dimensions
            {
                row.dimensions = Some([to_bow_m, to_stern_m, u16::from(to_port_m), u16::from(to_starboard_m)]);
            }
        }
        Message::LongRange(m) => {
            row.position(m.lon_deg(), m.lat_deg(), m.sog_knots(), m.cog_deg(), None);
            row.nav_status = Some(m.nav_status.to_string());
            row.accuracy = Some(m.position_accuracy);
        }
        _ => {}
    }
    let opt = |v: Option<String>| v.unwrap_or_default();
    let dims = row.dimensions.map(|d| d.map(|x| x.to_string()));
    let [bow, stern, port, starboard] = dims.unwrap_or_default();
    csv.write_record([
        file.to_owned(),
        d.meta.first_line.to_string(),
        opt(d.meta.receiver_time.map(|t| t.to_string())),
        d.meta.source.unwrap_or_default().to_owned(),
        d.meta.station.unwrap_or_default().to_owned(),
        opt(d.meta.channel.map(|c| char::from(c).to_string())),
        d.message.msg_type().to_string(),
        d.message.repeat().to_string(),
        d.message.mmsi().0.to_string(),
        opt(row.lon),
        opt(row.lat),
        opt(row.sog),
        opt(row.cog),
        opt(row.heading),
        opt(row.nav_status),
        opt(row.rot),
        opt(row.accuracy.map(|a| u8::from(a).to_string())),
        opt(row.second.map(|s| s.to_string())),
        opt(row.imo),
        row.callsign,
        row.shipname,
        opt(row.ship_type.map(|t| t.to_string())),
        bow,
        stern,
        port,
        starboard,
        opt(row.draught),
        opt(row.eta),
        row.destination,
        opt(row.application.map(|(dac, _)| dac.to_string())),
        opt(row.application.map(|(_, fi)| fi.to_string())),
        u8::from(d.meta.checksum_ok).to_string(),
    ])?;
    Ok(())
}

#[derive(Default)]
struct CsvRow {
    lon: Option<String>,
    lat: Option<String>,
    sog: Option<String>,
    cog: Option<String>,
    heading: Option<String>,
    nav_status: Option<String>,
    rot: Option<String>,
    accuracy: Option<bool>,
    second: Option<u8>,
    imo: Option<String>,
    callsign: String,
    shipname: String,
    ship_type: Option<u8>,
    dimensions: Option<[u16; 4]>,
    draught: Option<String>,
    eta: Option<String>,
    destination: String,
    application: Option<(u16, u8)>,
}

impl CsvRow {
    fn position(
        &mut self,
        lon: Option<f64>,
        lat: Option<f64>,
        sog: Option<f64>,
        cog: Option<f64>,
        heading: Option<u16>,
    ) {
        // A position needs both coordinates.
        if let (Some(lon), Some(lat)) = (lon, lat) {
            self.lon = Some(format!("{lon:.6}"));
            self.lat = Some(format!("{lat:.6}"));
        }
        self.sog = sog.map(|v| format!("{v:.1}"));
        self.cog = cog.map(|v| format!("{v:.1}"));
        self.heading = heading.map(|v| v.to_string());
    }
}

fn write_stats(out: &mut impl Write, stats: &Stats) -> Result<()> {
    writeln!(out, "lines\t{}", stats.lines)?;
    writeln!(out, "blank_or_comment\t{}", stats.blank_or_comment)?;
    writeln!(out, "other_sentences\t{}", stats.other_sentences)?;
    writeln!(out, "ais_sentences\t{}", stats.fragments)?;
    writeln!(out, "messages\t{}", stats.messages())?;
    for (msg_type, count) in stats.messages_by_type.iter().enumerate().filter(|(_, n)| **n > 0) {
        writeln!(out, "messages.type{msg_type}\t{count}")?;
    }
    if stats.messages_with_bad_checksum > 0 {
        writeln!(out, "messages.bad_checksum_accepted\t{}", stats.messages_with_bad_checksum)?;
    }
    writeln!(out, "rejected_lines\t{}", stats.rejected_total())?;
    for reason in RejectReason::ALL {
        let count = stats.rejected(reason);
        if count > 0 {
            writeln!(out, "rejected.{}\t{count}", reason.name())?;
        }
    }
    Ok(())
}

fn summary(stats: &Stats, seconds: f64, rejects_written: bool) {
    let rejected = stats.rejected_total();
    let mut line = format!(
        "tumen decode: {} lines, {} messages, {} lines rejected in {:.2} s",
        stats.lines,
        stats.messages(),
        rejected,
        seconds
    );
    if rejected > 0 {
        let reasons: Vec<String> = stats.rejections().map(|(r, n)| format!("{} {n}", r.name())).collect();
        line.push_str(&format!(" ({})", reasons.join(", ")));
        if !rejects_written {
            line.push_str("; --rejects FILE keeps them");
        }
    }
    eprintln!("{line}");
}
