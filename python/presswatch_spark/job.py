"""presswatch-spark: the per-document pipeline and provenance on Apache Spark.

    presswatch-spark INPUT... --out DIR [--partitions N]
    spark-submit --master local[2] python/presswatch_spark/job.py INPUT... --out DIR

INPUTs are files or directories on any Hadoop-compatible file system. Files named `*.parquet`
are tables of records (`content`, binary or string: one document's raw bytes; `source`
optional; `format` optional); every other file is read as `presswatch ingest` reads it (text,
Markdown, HTML, JSON, JSON Lines, WARC; gzip or zstd), split by the Rust ingest code.

Steps (each a Spark stage; the Rust code is `presswatch_spark._native`, crates/python):

1. records: files split into records (`split_files`), numbered in `presswatch ingest`'s order
   (inputs as given, directories walked in sorted order, files before subdirectories, records
   in file order): that number is the document's first-seen order, `seen`. Identical bytes are
   one document (the first seen keeps its source).
2. articles: `process` on each Arrow batch in `mapInArrow` (decode, extract, clean, language,
   quotes, entities): one row per article with the export's schema.
3. keys: `key_rows` gives every provenance key and outlet-block key of every article; grouped
   by key in first-seen order, each holder is joined to the key's first holder (every holder for
   exact-text and MinHash-band keys, the first POSTINGS_PER_KEY + 1 for the rest: past them the
   embedded stage ignores the key as a stock phrase), and connected components of those joins
   are found by iterated min-label propagation with edge contraction.
4. provenance: each component, in first-seen order, goes through the embedded store's
   provenance stage (`link_components`: keys, candidates, sentence alignment, outlet
   boilerplate), and each document is read as the embedded store reads it (`derived_from`: the
   source by published day, then first seen; `dup_cluster`; `outlet_boilerplate`).
5. output: `DIR/articles` (Parquet, the export's schema, then `raw`: the record's raw bytes,
   so `presswatch import DIR` keeps them as ingest does; ordered by first seen) and
   `DIR/rejected` (Parquet: `source`, `reason`).

Not computed here yet: the corpus stages that follow provenance in the embedded store (quote
groups, canonical entity ids across documents, stories): `story` is null, quotes' `group` and
`altered_from` are null, entity ids are the document's own. `presswatch import DIR` runs them
when it loads the output into a store.
"""

from __future__ import annotations

import argparse
import sys
import time
from urllib.parse import unquote

import pyarrow as pa

from presswatch_spark import _native

POSTINGS_PER_KEY = 32
KEY_COPY, KEY_OTHER, KEY_BLOCK = 0, 1, 2
CORPUS_FIELDS = ["dup_cluster", "derived_from", "outlet_boilerplate", "story"]
# The column beside the export's fields in `out/articles`: the record's raw bytes
# (crates/arrow, `schema::RAW`).
RAW = "raw"


def _nullable(schema: pa.Schema) -> pa.Schema:
    return pa.schema([f.with_nullable(True) for f in schema])


ARTICLE_SCHEMA, CORPUS_SCHEMA, KEY_SCHEMA = (_nullable(b.schema) for b in _native.schemas())
RECORD_SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("record", pa.int64()),
        ("source", pa.string()),
        ("id", pa.string()),
        ("format", pa.string()),
        ("content", pa.binary()),
        ("rejected", pa.string()),
    ]
)
PROCESSED_SCHEMA = pa.schema(
    list(ARTICLE_SCHEMA)
    + [pa.field("seen", pa.int64()), pa.field(RAW, pa.binary()), pa.field("rejected", pa.string())]
)


def local_path(path: str) -> str:
    """A path as `presswatch ingest` names it: `file:` URIs as plain paths, escapes decoded."""
    path = unquote(path)
    if path.startswith("file://"):
        return path[len("file://"):]
    if path.startswith("file:"):
        return path[len("file:"):]
    return path


def order_key(path: str, roots: list[str]) -> tuple:
    """Where `presswatch ingest ROOTS...` reads `path`: inputs in the order given, a directory's
    files (sorted) before its subdirectories (sorted)."""
    for i, root in enumerate(roots):
        root = root.rstrip("/")
        if path == root:
            return (i, ())
        if path.startswith(root + "/"):
            parts = path[len(root) + 1:].split("/")
            return (i, tuple((1, p) for p in parts[:-1]) + ((0, parts[-1]),))
    return (len(roots), ((0, path),))


def _as(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """`batch` under `schema` (the same types, top-level fields nullable for Spark)."""
    return pa.RecordBatch.from_arrays(batch.columns, schema=schema)


def _spark_schema(schema: pa.Schema):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def _split(batches):
    for batch in batches:
        out = _native.split_files(batch.select(["file", "content"]))
        yield _as(out, RECORD_SCHEMA)


def _process(batches):
    for batch in batches:
        articles, rejected = _native.process(batch.select(["source", "format", "content"]))
        seen_of = dict(zip(batch.column("id").to_pylist(), batch.column("seen").to_pylist()))
        ids = articles.column("id").to_pylist()
        articles = articles.append_column("seen", pa.array([seen_of.get(i) for i in ids], pa.int64()))
        # Each article's raw record bytes travel with it to the output (one row per id here).
        row_of = {i: n for n, i in enumerate(batch.column("id").to_pylist())}
        content = batch.column("content")
        articles = articles.append_column(RAW, content.take(pa.array([row_of.get(i) for i in ids], pa.int64())).cast(pa.binary()))
        articles = articles.append_column("rejected", pa.nulls(len(ids), pa.string()))
        yield _as(articles, PROCESSED_SCHEMA)
        if rejected:
            seen_by_source = dict(zip(batch.column("source").to_pylist(), batch.column("seen").to_pylist()))
            rows = [
                {"source": s, "rejected": r, "seen": seen_by_source.get(s), "id": None} for s, r in rejected
            ]
            yield pa.RecordBatch.from_pylist(rows, schema=PROCESSED_SCHEMA)


def _keys(batches):
    for batch in batches:
        yield _as(_native.key_rows(batch), KEY_SCHEMA)


def _link(batches):
    """Components arrive sorted (by component, then seen); one may span several batches, so
    the rows of the last component of a batch wait for the next."""
    pending = None
    for batch in batches:
        table = pa.Table.from_batches([batch]) if pending is None else pa.concat_tables([pending, pa.Table.from_batches([batch])])
        comps = table.column("component").to_pylist()
        last = comps[-1]
        cut = len(comps)
        while cut > 0 and comps[cut - 1] == last:
            cut -= 1
        if cut > 0:
            done = table.slice(0, cut).combine_chunks().to_batches()
            for b in done:
                yield _as(_native.link_components(b), CORPUS_SCHEMA)
        pending = table.slice(cut)
    if pending is not None and pending.num_rows:
        for b in pending.combine_chunks().to_batches():
            yield _as(_native.link_components(b), CORPUS_SCHEMA)


def _components(spark, edges):
    """Connected components of an undirected edge list (`a`, `b`: long node ids): each node's
    smallest reachable id... or another stable representative: iterated min-label propagation,
    each round contracting the edges onto the labels, so long chains finish in few rounds."""
    from pyspark.sql import functions as F

    edges = edges.filter("a != b").select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b")).distinct()
    labels = edges.select(F.col("a").alias("v")).union(edges.select(F.col("b").alias("v"))).distinct()
    labels = labels.select("v", F.col("v").alias("c")).localCheckpoint()
    rounds = 0
    while True:
        edges = edges.localCheckpoint()
        if edges.limit(1).count() == 0:
            break
        rounds += 1
        # Each node's smallest neighbour (or itself).
        both = edges.select(F.col("a").alias("x"), F.col("b").alias("y")).union(
            edges.select(F.col("b").alias("x"), F.col("a").alias("y"))
        )
        best = both.groupBy("x").agg(F.min("y").alias("m")).select(
            "x", F.least("x", "m").alias("m")
        ).localCheckpoint()
        labels = (
            labels.join(best, labels.c == best.x, "left")
            .select("v", F.coalesce("m", "c").alias("c"))
            .localCheckpoint()
        )
        ea = best.select(F.col("x").alias("a0"), F.col("m").alias("ma"))
        eb = best.select(F.col("x").alias("b0"), F.col("m").alias("mb"))
        edges = (
            edges.join(ea, edges.a == ea.a0)
            .join(eb, edges.b == eb.b0)
            .select(F.least("ma", "mb").alias("a"), F.greatest("ma", "mb").alias("b"))
            .filter("a != b")
            .distinct()
        )
    return labels, rounds


def run(spark, inputs: list[str], out: str, partitions: int | None = None) -> dict:
    """Runs the job on `inputs`, writes `out/articles` and `out/rejected`; returns counts and
    timings."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    started = time.monotonic()
    partitions = partitions or spark.sparkContext.defaultParallelism
    files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(inputs)
    files = files.select(F.col("path").alias("file"), "content")
    paths = [r.file for r in files.select("file").collect()]
    roots = [local_path(spark._jvm.org.apache.hadoop.fs.Path(p).toUri().toString()) for p in inputs]
    ranked = sorted(paths, key=lambda p: order_key(local_path(p), roots))
    rank = spark.createDataFrame([(p, i) for i, p in enumerate(ranked)], "file string, rank long")
    name_of = F.udf(local_path, "string")

    parquet_files = [p for p in ranked if p.endswith(".parquet")]
    raw = files.filter(~F.col("file").endswith(".parquet")).select(name_of("file").alias("file"), "content")
    raw = raw.repartition(partitions)
    split = raw.mapInArrow(_split, _spark_schema(RECORD_SCHEMA))
    split = split.join(F.broadcast(rank.select(name_of("file").alias("file"), "rank")), "file")
    if parquet_files:
        table = spark.read.parquet(*parquet_files)
        cols = table.columns
        content = F.col("content").cast("binary")
        file_col = name_of(F.input_file_name())
        table = table.select(
            file_col.alias("file"),
            F.monotonically_increasing_id().alias("row"),
            (F.col("source") if "source" in cols else F.lit(None).cast("string")).alias("source0"),
            (F.col("format") if "format" in cols else F.lit(None).cast("string")).alias("format"),
            content.alias("content"),
        )
        w = Window.partitionBy("file").orderBy("row")
        table = table.withColumn("record", F.row_number().over(w).cast("long"))
        table = table.select(
            "file",
            "record",
            F.coalesce("source0", F.concat("file", F.lit("#"), F.col("record").cast("string"))).alias("source"),
            F.lit(None).cast("string").alias("id"),
            "format",
            "content",
            F.lit(None).cast("string").alias("rejected"),
        )
        # Split each row as an input of its own (format detection, a JSON Lines cell's records),
        # keeping the row's source.
        table = table.mapInArrow(_split_rows, _spark_schema(RECORD_SCHEMA))
        table = table.join(F.broadcast(rank.select(name_of("file").alias("file"), "rank")), "file")
        split = split.unionByName(table)

    split = split.withColumn("seen", F.col("rank") * F.lit(1 << 32) + F.col("record")).persist()
    rejected_split = split.filter("rejected is not null").select("source", F.col("rejected").alias("reason"), "seen")
    records = split.filter("rejected is null")
    first = Window.partitionBy("id").orderBy("seen")
    records = records.withColumn("n", F.row_number().over(first)).filter("n = 1").drop("n")
    records = records.select("id", "seen", "source", "format", "content").repartition(partitions)

    processed = records.mapInArrow(_process, _spark_schema(PROCESSED_SCHEMA)).persist()
    articles = processed.filter("rejected is null").drop("rejected")
    rejected = rejected_split.unionByName(
        processed.filter("rejected is not null").select("source", F.col("rejected").alias("reason"), "seen")
    )

    keys = articles.select("id", "text", "outlet", "blocks").mapInArrow(_keys, _spark_schema(KEY_SCHEMA))
    keys = keys.join(articles.select("id", "seen"), "id")
    by_key = Window.partitionBy("key").orderBy("seen")
    keys = keys.withColumn("rn", F.row_number().over(by_key)).withColumn(
        "head", F.first("seen").over(by_key)
    ).persist()
    edges = keys.filter((F.col("kind") == KEY_COPY) | (F.col("rn") <= POSTINGS_PER_KEY + 1)).select(
        F.col("seen").alias("a"), F.col("head").alias("b")
    )
    labels, rounds = _components(spark, edges)
    saturated = (
        keys.filter((F.col("kind") == KEY_BLOCK) & (F.col("rn") > POSTINGS_PER_KEY + 1))
        .groupBy("id")
        .agg(F.collect_list("key").alias("saturated"))
    )
    linked_in = (
        articles.drop(*CORPUS_FIELDS, RAW)
        .join(labels, articles.seen == labels.v, "left")
        .withColumn("component", F.coalesce("c", "seen"))
        .drop("v", "c")
        .join(saturated, "id", "left")
    )
    linked_in = linked_in.repartition(partitions, "component").sortWithinPartitions("component", "seen")
    corpus = linked_in.mapInArrow(_link, _spark_schema(CORPUS_SCHEMA))

    final = articles.drop(*CORPUS_FIELDS).join(corpus, "id")
    final = final.orderBy("seen", "id").select(*[f.name for f in ARTICLE_SCHEMA], RAW)
    final.write.mode("overwrite").parquet(f"{out}/articles")
    rejected.orderBy("seen").select("source", "reason").write.mode("overwrite").parquet(f"{out}/rejected")
    n_articles = spark.read.parquet(f"{out}/articles").count()
    n_rejected = spark.read.parquet(f"{out}/rejected").count()
    split.unpersist()
    processed.unpersist()
    keys.unpersist()
    return {
        "articles": n_articles,
        "rejected": n_rejected,
        "component_rounds": rounds,
        "seconds": round(time.monotonic() - started, 1),
    }


def _split_rows(batches):
    """Parquet rows: each row's content split as an input named by its source."""
    for batch in batches:
        t = batch.to_pydict()
        rows = []
        for file, record, source, fmt, content in zip(t["file"], t["record"], t["source"], t["format"], t["content"]):
            if fmt is not None:
                rows.append(
                    {"file": file, "record": record, "source": source, "id": None, "format": fmt, "content": content}
                )
                continue
            one = pa.RecordBatch.from_pydict({"file": [source], "content": [content]}, schema=pa.schema([("file", pa.string()), ("content", pa.binary())]))
            out = _native.split_files(one).to_pydict()
            for i in range(len(out["source"])):
                rows.append(
                    {
                        "file": file,
                        "record": record,
                        "source": out["source"][i],
                        "id": out["id"][i],
                        "format": out["format"][i],
                        "content": out["content"][i],
                        "rejected": out["rejected"][i],
                    }
                )
        if rows:
            for r in rows:
                if r.get("id") is None and r.get("content") is not None and r.get("rejected") is None:
                    r["id"] = None
            yield pa.RecordBatch.from_pylist(rows, schema=RECORD_SCHEMA)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="presswatch-spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="files or directories (any Hadoop-compatible path)")
    parser.add_argument("--out", required=True, help="output directory: articles/ and rejected/ (Parquet)")
    parser.add_argument("--partitions", type=int, default=None, help="partitions (default: Spark's parallelism)")
    parser.add_argument("--master", default=None, help="Spark master when not run by spark-submit")
    parser.add_argument(
        "--driver-memory",
        default="4g",
        help="the driver's JVM heap with --master (default 4g; on local[N] the tasks run in it: "
        "Spark's own default of 1g ran out on 100,000 documents)",
    )
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("presswatch-spark").config("spark.ui.showConsoleProgress", "false")
    if args.master:
        # Run here, not by spark-submit: Spark's default of 200 shuffle partitions costs more
        # than it spreads on one machine.
        builder = (
            builder.master(args.master)
            .config("spark.sql.shuffle.partitions", str(args.partitions or 8))
            .config("spark.driver.memory", args.driver_memory)
        )
    spark = builder.getOrCreate()
    try:
        summary = run(spark, args.inputs, args.out, args.partitions)
    finally:
        spark.stop()
    print(
        f"{summary['articles']} articles, {summary['rejected']} rejected, "
        f"{summary['component_rounds']} component rounds, {summary['seconds']} s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
