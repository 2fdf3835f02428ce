//! The Python module `presswatch_spark._native`: the crate's functions on pyarrow
//! `RecordBatch`es, moved across by the Arrow C data interface (no copy of the buffers).

use crate::Error;
use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{Array, RecordBatch, StructArray};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

fn value_error(e: Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// A pyarrow `RecordBatch` as an Arrow batch: pyarrow exports it into structs allocated here.
fn from_py(batch: &Bound<'_, PyAny>) -> PyResult<RecordBatch> {
    let mut array = Box::new(FFI_ArrowArray::empty());
    let mut schema = Box::new(FFI_ArrowSchema::empty());
    let array_ptr = &mut *array as *mut FFI_ArrowArray as usize;
    let schema_ptr = &mut *schema as *mut FFI_ArrowSchema as usize;
    batch
        .call_method1("_export_to_c", (array_ptr, schema_ptr))
        .map_err(|e| PyTypeError::new_err(format!("expected a pyarrow RecordBatch: {e}")))?;
    // SAFETY: pyarrow filled both structs with a valid exported struct array and its schema;
    // `from_ffi` takes ownership of the array (its release callback frees it).
    let data = unsafe { from_ffi(*array, &schema) }.map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(RecordBatch::from(StructArray::from(data)))
}

/// An Arrow batch as a pyarrow `RecordBatch`: pyarrow imports (moves out of) the exported structs.
fn to_py<'py>(py: Python<'py>, batch: RecordBatch) -> PyResult<Bound<'py, PyAny>> {
    let data = StructArray::from(batch).into_data();
    let (array, schema) = to_ffi(&data).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let mut array = Box::new(array);
    let mut schema = Box::new(schema);
    let array_ptr = &mut *array as *mut FFI_ArrowArray as usize;
    let schema_ptr = &mut *schema as *mut FFI_ArrowSchema as usize;
    let pa = py.import("pyarrow")?;
    let out = pa.getattr("RecordBatch")?.call_method1("_import_from_c", (array_ptr, schema_ptr))?;
    // pyarrow moved the contents out (their release callbacks are now null), so dropping the
    // boxes frees nothing twice.
    drop(array);
    drop(schema);
    Ok(out)
}

/// Splits files (`file`, `content` columns) into records, as `presswatch ingest` does.
#[pyfunction]
fn split_files<'py>(py: Python<'py>, batch: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let batch = from_py(batch)?;
    let out = py.detach(|| crate::split_files(&batch)).map_err(value_error)?;
    to_py(py, out)
}

/// The per-document pipeline on a batch of records (`source`, `format`, `content`): returns
/// `(articles, rejected)`, the articles with the export's schema, `rejected` a list of
/// `(source, reason)`.
#[pyfunction]
#[pyo3(signature = (batch, threads = 1))]
fn process<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    threads: usize,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyList>)> {
    let batch = from_py(batch)?;
    let (articles, rejected) = py.detach(|| crate::process_batch(&batch, threads)).map_err(value_error)?;
    Ok((to_py(py, articles)?, PyList::new(py, rejected)?))
}

/// The provenance and outlet-block keys of article rows (`id`, `key`, `kind`).
#[pyfunction]
fn key_rows<'py>(py: Python<'py>, batch: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let batch = from_py(batch)?;
    let out = py.detach(|| crate::key_rows(&batch)).map_err(value_error)?;
    to_py(py, out)
}

/// The provenance stage on components of article rows (with `component`, `seen`, `saturated`),
/// sorted by component then seen: the corpus's fields of each document.
#[pyfunction]
fn link_components<'py>(py: Python<'py>, batch: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let batch = from_py(batch)?;
    let out = py.detach(|| crate::link_components(&batch)).map_err(value_error)?;
    to_py(py, out)
}

/// The export's Arrow schema, and the corpus step's, as empty pyarrow batches.
#[pyfunction]
fn schemas<'py>(py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    Ok((
        to_py(py, RecordBatch::new_empty(crate::schema::article_schema()))?,
        to_py(py, RecordBatch::new_empty(crate::schema::corpus_schema()))?,
        to_py(py, RecordBatch::new_empty(crate::schema::key_schema()))?,
    ))
}

/// presswatch's Rust stages for PySpark.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(split_files, m)?)?;
    m.add_function(wrap_pyfunction!(process, m)?)?;
    m.add_function(wrap_pyfunction!(key_rows, m)?)?;
    m.add_function(wrap_pyfunction!(link_components, m)?)?;
    m.add_function(wrap_pyfunction!(schemas, m)?)?;
    m.add("EXTRACTOR_VERSION", presswatch_model::EXTRACTOR_VERSION)?;
    Ok(())
}
