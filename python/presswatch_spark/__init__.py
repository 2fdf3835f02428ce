"""presswatch on Apache Spark: the same Rust stages as the embedded pipeline.

`presswatch_spark._native` is the Rust extension (crates/python): `split_files`, `process`,
`key_rows`, `link_components` and `schemas` over pyarrow RecordBatches. `presswatch_spark.job`
is the PySpark job (`presswatch-spark` on the command line).
"""

from . import _native  # noqa: F401

__all__ = ["_native"]
