"""Tumen's detectors over a dataset's Parquet archive on Apache Spark.

    spark-submit spark/tumen_spark.py --data DATASET --tumen PATH/TO/tumen --out EVENTS_DIR

The dataset directory (its `positions/` archive and `catalog.sqlite`) must
be readable by the driver and, at the same path, by every executor (a shared
file system); the `tumen` binary is shipped with the job. The stages, each
`tumen worker STAGE` run on every partition through `mapInArrow`:

1. vessels    partitioned by MMSI, sorted by (MMSI, time): reports and the
              registry's events to place (marker rows) -> events of single
              vessels, and grid points tagged with space-time cells (each
              point copied to the neighbouring cells it is near: the halo)
2. pairs      partitioned by (slot, cell) -> pairs of vessels close together
3. encounters partitioned by pair, in slot order -> encounters
4. relate     partitioned by vessel (an event under each vessel it names) ->
              silences explained by MMSI handovers, draught changes placed

5. fuse       on the driver: satellite matching and facility anomalies
              (`tumen run`'s fusion step, which reads the positions near each
              scene from the archive; not distributed yet)

The events are written as Parquet in the dataset's events schema; they are
the events `tumen run` finds on one machine (chains are not part of the
distributed run: see spark/README.md).
"""

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import threading

import pyarrow as pa
from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# The worker's outputs, as Spark types (the worker writes the same Arrow
# types, times in milliseconds, which are cast to Spark's microseconds).
EVENT_FIELDS = [
    T.StructField("id", T.StringType()),
    T.StructField("kind", T.StringType()),
    T.StructField("mmsis", T.ArrayType(T.LongType())),
    T.StructField("start_time", T.TimestampType()),
    T.StructField("end_time", T.TimestampType()),
    T.StructField("lat", T.DoubleType()),
    T.StructField("lon", T.DoubleType()),
    T.StructField("place", T.StringType()),
    T.StructField("confidence", T.IntegerType()),
    T.StructField("profile", T.StringType()),
    T.StructField("attributes", T.StringType()),
    T.StructField("evidence", T.StringType()),
]
EVENTS = T.StructType(EVENT_FIELDS)


def point_fields(prefix):
    return [
        T.StructField(prefix + "mmsi", T.LongType()),
        T.StructField(prefix + "lat", T.FloatType()),
        T.StructField(prefix + "lon", T.FloatType()),
        T.StructField(prefix + "speed_centiknots", T.IntegerType()),
        T.StructField(prefix + "record", T.LongType()),
    ]


GRID_FIELDS = [
    T.StructField("slot", T.LongType()),
    T.StructField("cell", T.LongType()),
    T.StructField("home", T.BooleanType()),
] + point_fields("point_")
VESSEL_OUTPUT = T.StructType(EVENT_FIELDS + GRID_FIELDS)
HITS = T.StructType(
    [T.StructField("slot", T.LongType())] + point_fields("a_") + point_fields("b_") + [T.StructField("metres", T.DoubleType())]
)


def worker(stage, stage_args, arrow_schema):
    """A mapInArrow function running `tumen worker STAGE` on a partition:
    the partition's batches go to its standard input as one Arrow IPC
    stream (from a thread, so that input and output flow together), its
    output stream comes back cast to the Spark schema."""

    def run(batches):
        batches = iter(batches)
        first = next(batches, None)
        if first is None:
            return  # an empty partition: nothing to run
        tumen = SparkFiles.get("tumen")
        if not os.access(tumen, os.X_OK):
            os.chmod(tumen, 0o755)
        args = [tumen, "worker", stage] + [a if not a.startswith("file:") else SparkFiles.get(a[5:]) for a in stage_args]
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
            failure = []

            def feed():
                try:
                    with pa.ipc.new_stream(process.stdin, first.schema) as writer:
                        writer.write_batch(first)
                        for batch in batches:
                            writer.write_batch(batch)
                except Exception as e:  # the worker stopped reading: its own error says why
                    failure.append(e)
                finally:
                    try:
                        process.stdin.close()
                    except Exception:
                        pass

            feeder = threading.Thread(target=feed)
            feeder.start()
            try:
                for batch in pa.ipc.open_stream(process.stdout):
                    yield batch.cast(arrow_schema)
            finally:
                feeder.join()
                code = process.wait()
                errors.seek(0)
                message = errors.read().decode("utf-8", "replace")
            if code != 0:
                raise RuntimeError(f"tumen worker {stage} failed ({code}): {message}")
            if failure:
                raise failure[0]

    return run


def arrow_schema_of(struct):
    """The Arrow schema Spark uses for `struct` (timestamps in microseconds, UTC)."""
    def arrow_type(t):
        return {
            T.StringType: pa.string(),
            T.LongType: pa.int64(),
            T.IntegerType: pa.int32(),
            T.DoubleType: pa.float64(),
            T.FloatType: pa.float32(),
            T.BooleanType: pa.bool_(),
            T.TimestampType: pa.timestamp("us", tz="UTC"),
        }.get(type(t)) or pa.list_(arrow_type(t.elementType))

    return pa.schema([pa.field(f.name, arrow_type(f.dataType)) for f in struct.fields])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="the dataset directory (shared by the driver and executors)")
    parser.add_argument("--tumen", required=True, help="the tumen binary to ship to the executors")
    parser.add_argument("--out", required=True, help="the directory to write the events to (Parquet)")
    parser.add_argument("--config", help="detector profiles (default: the dataset's tumen.toml, if any)")
    parser.add_argument(
        "--work",
        help="a directory for what the stages hand each other, shared like --out (default: OUT.work; removed at the end)",
    )
    parser.add_argument(
        "--partitions",
        type=int,
        default=0,
        help="partitions per stage (default: one per 2M reports, at least the cluster's cores)",
    )
    args = parser.parse_args()

    spark = SparkSession.builder.appName("tumen").getOrCreate()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS")

    # What every partition needs, from the catalog, on the driver; and what
    # the stages hand each other: where every executor can read it.
    prepared = os.path.abspath(args.work or args.out.rstrip("/") + ".work")
    if os.path.exists(prepared):
        raise SystemExit(f"{prepared} exists: remove it, or give another --work")
    os.makedirs(prepared)
    try:
        run_stages(spark, args, prepared)
    finally:
        shutil.rmtree(prepared, ignore_errors=True)
        spark.stop()


def run_stages(spark, args, prepared):
    sc = spark.sparkContext
    command = [args.tumen, "worker", "prepare", "--data", args.data, "--out", prepared]
    if args.config:
        command += ["--config", args.config]
    subprocess.run(command, check=True)
    with open(os.path.join(prepared, "run.json")) as f:
        run = json.load(f)
    sc.addFile(os.path.abspath(args.tumen))
    sc.addFile(os.path.join(prepared, "places.json"))
    stage_args = ["--places", "file:places.json"]
    if run["config"]:
        sc.addFile(os.path.join(prepared, "tumen.toml"))
        stage_args += ["--config", "file:tumen.toml"]
    if not run["parts"]:
        raise SystemExit(f"{args.data}: the archive holds no positions")

    positions = spark.read.parquet(*["file://" + p for p in run["parts"]])
    reports = positions.count()
    partitions = args.partitions or max(sc.defaultParallelism, reports // 2_000_000 + 1)

    # 1. Vessels: reports and marker rows, by vessel, in time order (a
    # marker before the reports of its own time).
    # (Spark reads the archive's unsigned 64-bit `line` as a decimal.)
    columns = ["mmsi", "time", "lat", "lon", "sog_knots", "nav_status", "source_id", F.col("line").cast("long").alias("line")]
    markers = spark.read.parquet("file://" + os.path.join(prepared, "markers.parquet"))
    vessel_input = (
        positions.select(*columns, F.lit(None).cast("string").alias("place_event"), F.lit(1).alias("order"))
        .unionByName(markers.withColumn("order", F.lit(0)), allowMissingColumns=True)
        .repartition(partitions, "mmsi")
        # In archive order: reports of one time by source and line, as
        # `tumen run` reads them (Spark's sort is not stable).
        .sortWithinPartitions("mmsi", "time", "order", "source_id", "line")
        .drop("order")
    )
    vessel_args = stage_args + (["--data-end", run["data_end"]] if run["data_end"] else [])
    vessel_output = vessel_input.mapInArrow(worker("vessels", vessel_args, arrow_schema_of(VESSEL_OUTPUT)), VESSEL_OUTPUT)
    # Written once, read twice (events and grid points).
    stage_dir = os.path.join(prepared, "vessels.parquet")
    vessel_output.write.parquet("file://" + stage_dir)
    vessel_output = spark.read.parquet("file://" + stage_dir)
    vessel_events = vessel_output.where(F.col("id").isNotNull()).select(*[f.name for f in EVENT_FIELDS])
    grid = vessel_output.where(F.col("slot").isNotNull()).select(*[f.name for f in GRID_FIELDS])

    # 2. Pairs, by space-time cell.
    hits = (
        grid.repartition(partitions, "slot", "cell")
        .sortWithinPartitions("slot", "cell")
        .mapInArrow(worker("pairs", stage_args, arrow_schema_of(HITS)), HITS)
    )
    # 3. Encounters, by pair.
    encounters = (
        hits.repartition(partitions, "a_mmsi", "b_mmsi")
        .sortWithinPartitions("a_mmsi", "b_mmsi", "slot")
        .mapInArrow(worker("encounters", stage_args, arrow_schema_of(EVENTS)), EVENTS)
    )
    # 4. Relate, by vessel.
    events = (
        vessel_events.unionByName(encounters)
        .withColumn("key_mmsi", F.explode("mmsis"))
        .repartition(partitions, "key_mmsi")
        .sortWithinPartitions("key_mmsi")
        .mapInArrow(worker("relate", stage_args, arrow_schema_of(EVENTS)), EVENTS)
    )
    stage_dir = os.path.join(prepared, "events.parquet")
    events.write.parquet("file://" + stage_dir)
    events = spark.read.parquet("file://" + stage_dir)

    # 5. Satellite and facility events, on the driver where the dataset is
    # (it reads the positions near each scene): the run's silences in.
    silences = events.where(F.col("kind").isin("gap", "ais_disabling")).toArrow()
    command = [args.tumen, "worker", "fuse", "--data", args.data] + (["--config", args.config] if args.config else [])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, silences.schema) as writer:
        writer.write_table(silences)
    fused = subprocess.run(command, input=sink.getvalue().to_pybytes(), stdout=subprocess.PIPE, check=True).stdout
    fused = pa.ipc.open_stream(fused).read_all().cast(arrow_schema_of(EVENTS))
    if fused.num_rows:
        events = events.unionByName(spark.createDataFrame(fused, EVENTS))
    events.write.mode("overwrite").parquet("file://" + os.path.abspath(args.out))
    written = spark.read.parquet("file://" + os.path.abspath(args.out)).count()
    print(f"tumen on Spark: {reports} reports, {run['markers']} registry events to place, "
          f"{partitions} partitions: {written} events in {args.out}")


if __name__ == "__main__":
    main()
