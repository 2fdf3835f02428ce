//! The integration tests of this crate, as one test binary: each file under `tests/it/` is a
//! module here, so the crate links one test executable instead of one per file.

mod accounting;
mod benchmark;
mod entities;
mod quotes;

/// The bundled seed whose file name starts with `prefix`, through the whole pipeline.
fn seed(prefix: &str) -> presswatch_model::ArticleRecord {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    let record = presswatch_model::Record::new(
        path.display().to_string(),
        presswatch_model::Format::Text,
        std::fs::read(&path).unwrap(),
    );
    presswatch_pipeline::process(&record).unwrap()
}
