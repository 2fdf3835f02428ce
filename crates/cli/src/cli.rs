//! Command-line syntax. Every subcommand accepts the global options before or after it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  presswatch ingest ~/scrapes/ukraine/            ingest a directory tree into ./presswatch-data
  presswatch --store crisis.pw ingest dump.jsonl.zst pages.warc.gz
  cat article.html | presswatch ingest -           ingest from standard input
  presswatch export > articles.jsonl               one JSON object per article
  presswatch export --format csv --out articles.csv
  presswatch show 3f2a9c0d1e2b4a5f                 read one article, what was removed, its sources
  presswatch copies 3f2a9c0d1e2b4a5f               its source and the articles that copy it
  presswatch dups --min-size 3                     clusters of copies, largest first
  presswatch stats                                 counts by format, language, outlet
  presswatch import spark-out/                     load a presswatch-spark run (its --out directory)
  presswatch reprocess                             re-derive articles from the stored raw bytes
  presswatch check                                 verify the store, say what is damaged and the fix
  presswatch search '\"security guarantees\" outlet:reuters.com' --facet month
  presswatch search 'nato AND -ukraine' --since 2021-12-01 --until 2022-01-31 --json
  presswatch reindex                               rebuild the search index from the store
  presswatch extract page.html --format markdown   extract one page without a store
  presswatch quotes --speaker Blinken --since 2022-01-01   who said what, from the store
  presswatch quotes --jsonl a.txt b.txt            quotes of plain-text files, no store
  presswatch entities --type person --top 20       the most named people, places, organisations
  presswatch stories --top 20                      the largest stories (articles on one event)
  presswatch story ID                              one story: members, first report, timeline
  presswatch compare OUTLET_A OUTLET_B [--story ID]   distinctive words of two outlets
  presswatch entities --jsonl a.txt b.txt          entities of plain-text files, no store
  presswatch entity Blinken                        aliases, mentions by day and quotes of one
  presswatch quotes --altered                      quotes a later appearance changed, with the diff
  presswatch who-said \"no breakthroughs\"          a quote's first appearance and who repeated it
  presswatch serve --read-only                     browse the store at http://127.0.0.1:8080/

Exit status: 0 on success; 1 on an error (a missing store, a failed write, a full disk, ...);
2 when some input was rejected (each rejection is one stderr line `presswatch: <input>:
<reason>`, the rest is ingested), when import met an unreadable Parquet file or row (likewise), when export or reprocess met a damaged document (one line each,
the rest goes on), or when check found damage; 64 on a usage error (unknown option, missing
argument). Read commands open the store read-only, so a store on read-only media can be read.";

/// Turn a pile of scraped news articles into a clean, deduplicated record.
#[derive(Debug, Parser)]
#[command(name = "presswatch", version, about, after_help = EXAMPLES)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub(crate) struct Global {
    /// Store directory (SQLite database + content-addressed raw bytes), or a PostgreSQL database
    /// as postgres://user[:password]@host[:port]/dbname (a shared store; tables created on first use).
    #[arg(long, global = true, env = "PRESSWATCH_STORE", default_value = "presswatch-data")]
    pub store: PathBuf,
    /// No progress bar, no summary; only errors and rejections.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// More log output (-v info, -vv debug, -vvv trace), on stderr.
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Worker threads for extraction and provenance (default: one per core).
    #[arg(long, global = true, env = "PRESSWATCH_THREADS")]
    pub threads: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Ingest files, directories (recursive) or `-` (stdin): text, Markdown with front matter,
    /// HTML, JSON, JSON Lines, WARC; optionally gzip- or zstd-compressed.
    ///
    /// Formats are detected by content. Raw bytes are stored content-addressed; inputs already
    /// in the store are skipped ("already present"). Rejected inputs are reported one per line on
    /// stderr and the exit status is 2.
    Ingest(IngestArgs),
    /// Import the output of the Spark job (presswatch-spark --out DIR): its articles, their raw
    /// record bytes and its rejected records, into the store (SQLite or PostgreSQL).
    ///
    /// Reads DIR/articles/*.parquet in file-name order (the job's first-seen order) and
    /// DIR/rejected/*.parquet. Each document's raw bytes are stored content-addressed as ingest
    /// stores them; its article (the per-document stages' result) is taken as the job wrote
    /// it, and the corpus stages (provenance, quote groups, canonical entities, stories) run
    /// here against everything the store holds, so the store ends as `presswatch ingest` of the
    /// job's inputs leaves it. Documents already stored are skipped: importing the same
    /// output again changes nothing. A Parquet file or row that cannot be read (not Parquet,
    /// not the job's columns, raw bytes that do not hash to the row's sha256) is one stderr line
    /// `presswatch: <file>[: row N]: <reason>`, the rest is imported, and the exit status is 2.
    Import(ImportArgs),
    /// Write every article of the store as JSON Lines (default) or CSV. See docs/schema.md.
    Export(ExportArgs),
    /// Show one article readably: metadata, text, images, what was removed and why, and the
    /// passages it shares with its sources side by side (changed words highlighted).
    Show(ShowArgs),
    /// List the source of an article and the articles that copy it (any kind of reuse).
    Copies(CopiesArgs),
    /// List clusters of copies (exact, near, reordered, spun), largest first.
    Dups(DupsArgs),
    /// Counts by input format, language and outlet, and the number of rejected inputs.
    Stats(StatsArgs),
    /// Re-derive every article from its stored raw bytes (after an extractor upgrade).
    ///
    /// All or nothing: the new articles, links and index replace the old only when every
    /// document is done; a failure or a kill midway leaves the store as it was. A document whose
    /// raw bytes are damaged keeps its previous article (one stderr line each, exit status 2).
    /// The same inputs give the same result as a fresh ingest, byte for byte.
    Reprocess(ReprocessArgs),
    /// Verify the whole store: SQLite's integrity, every raw blob against its SHA-256, every
    /// article and index row, the provenance index against the articles. Prints each damaged
    /// part and what repairs it; exit status 0 when clean, 2 when damage was found.
    Check(CheckArgs),
    /// Extract articles from HTML/text files without a store; prints JSON (or text/markdown).
    Extract(ExtractArgs),
    /// Full-text search: ranked articles with the matching words marked in a snippet, and
    /// counts per facet over every match.
    ///
    /// Words must all match (stems are not merged: `talks` does not find `talk`; case and
    /// accents are ignored). "Quoted phrases", AND / OR / NOT, +required / -excluded,
    /// (groups), and field:value for title, text, author, outlet, language, story, entity and
    /// published (a day, or published:[2021-12-01 TO 2022-01-31]). An empty query or * matches
    /// every article (to count facets).
    Search(SearchArgs),
    /// Rebuild the search index from every stored article (after damage, or when `stats` or
    /// `check` says it is out of step). The old index stays until the new one is complete.
    Reindex,
    /// List quotes with their speakers: from the store, or (with --jsonl and files) from
    /// plain-text files without a store.
    Quotes(QuotesArgs),
    /// List the corpus's canonical entities (people, organisations, places), most documents
    /// first.
    Entities(EntitiesArgs),
    /// One entity: its canonical name, the names documents use for it, mentions by day, quotes.
    Entity(EntityArgs),
    /// Find a quote by its words (spelling aside) and show its spread: the first appearance,
    /// every outlet and time that repeated it, and which appearances altered it (word diff).
    WhoSaid(WhoSaidArgs),
    /// Serve the store over HTTP: a JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json)
    /// and a web UI at /.
    ///
    /// Listens on 127.0.0.1:8080 unless --addr says otherwise. Writes (upload, reprocess) need
    /// the token printed at start (or given by --token / PRESSWATCH_TOKEN) and are refused with
    /// --read-only. Stops on Ctrl-C.
    Serve(ServeArgs),
    /// List stories (articles reporting the same event), largest first.
    Stories(StoriesArgs),
    /// One story: its members, first report, the order outlets picked it up, documents by day
    /// and outlet, peaks, top quotes and entities, merges. ID: a story id or any member's id.
    Story(StoryArgs),
    /// The distinctive words of one outlet (or comma-separated group) against another, by
    /// weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008),
    /// with z-scores, over the whole store or one story; and their coverage by day.
    Compare(CompareArgs),
    /// Draw a chart to a file (SVG or PNG, by the file's extension): a story's or an entity's
    /// timeline, or the outlets that picked a story up. PNG text uses DejaVu Sans from Debian's
    /// fonts-dejavu-core (or the font file PRESSWATCH_FONT names).
    #[command(subcommand)]
    Plot(PlotCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum PlotCommand {
    /// Documents by day of a story (peak days marked), or mentions, documents and quotes by day
    /// of an entity. ID: a story id, a member's id, or an entity's id or name.
    Timeline(PlotArgs),
    /// The outlets of a story in the order they picked it up: each one's documents so far, by day.
    Outlets(PlotArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PlotArgs {
    /// A story id or a member's id (timeline: or an entity's id or name).
    pub id: String,
    /// The file to write: FILE.svg or FILE.png.
    #[arg(long, short, value_name = "FILE")]
    pub out: std::path::PathBuf,
    /// Width in pixels.
    #[arg(long, default_value_t = 960)]
    pub width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 480)]
    pub height: u32,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on (a loopback address keeps the store on this machine).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Refuse every write, open the store read-only.
    #[arg(long)]
    pub read_only: bool,
    /// The token writes need (default: a random one, printed at start).
    #[arg(long, env = "PRESSWATCH_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct StoriesArgs {
    /// Only stories with a member published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DAY")]
    pub since: Option<String>,
    /// At most N stories.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// One JSON object per story (JSON Lines).
    #[arg(long, conflicts_with = "csv")]
    pub jsonl: bool,
    /// CSV with a header row.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub(crate) struct StoryArgs {
    /// A story id, or the id of an article in it.
    pub id: String,
    /// One JSON object instead of text.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// The members as CSV with a header row.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// Outlet A (or outlets, comma-separated).
    pub outlet_a: String,
    /// Outlet B (or outlets, comma-separated).
    pub outlet_b: String,
    /// Only the articles of this story (a story id or a member's id).
    #[arg(long, value_name = "ID")]
    pub story: Option<String>,
    /// The N most distinctive words of each side.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
    /// One JSON object per row (JSON Lines): words, then coverage by day.
    #[arg(long, conflicts_with = "csv")]
    pub jsonl: bool,
    /// The words as CSV with a header row.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub(crate) struct EntitiesArgs {
    /// Plain-text files to read instead of the store (needs --jsonl): one JSON line per file,
    /// `{"id", "entities": [{"id", "name", "type", "mentions"}]}`, offsets in Unicode code
    /// points of the file's text exactly as read (document-level ids: no corpus).
    #[arg(requires = "jsonl")]
    pub paths: Vec<PathBuf>,
    /// Only entities of this type: person, organisation or place.
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_entity_type)]
    pub kind: Option<presswatch_model::EntityType>,
    /// At most N entities.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// One JSON object per entity (JSON Lines).
    #[arg(long, conflicts_with = "csv")]
    pub jsonl: bool,
    /// CSV with a header row.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub(crate) struct EntityArgs {
    /// The entity's name (any spelling or transliteration the corpus knows, or a surname) or id.
    pub name: String,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

fn parse_entity_type(s: &str) -> Result<presswatch_model::EntityType, String> {
    presswatch_model::EntityType::parse(s)
        .ok_or_else(|| format!("{s:?} is not person, organisation or place"))
}

#[derive(Debug, Args)]
pub(crate) struct WhoSaidArgs {
    /// Words of the quote (a part is enough: 80% of its words, in order, spelling aside).
    #[arg(required = true)]
    pub text: Vec<String>,
    /// One JSON object per group (JSON Lines).
    #[arg(long, conflicts_with = "csv")]
    pub jsonl: bool,
    /// CSV with a header row, one row per appearance, cells made safe for spreadsheets.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// Files, directories or `-` for standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Reject any single document larger than this many MiB.
    #[arg(long, default_value_t = 64)]
    pub max_record_mib: usize,
    /// Documents written per store transaction.
    #[arg(long, default_value_t = 512)]
    pub batch_size: usize,
    /// Seconds to wait for the writer of a named pipe given as an input before refusing it.
    #[arg(long, value_name = "SECS", default_value_t = 10.0, value_parser = parse_wait)]
    pub fifo_wait: f64,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The Spark job's output directory (its --out): articles/ and rejected/, Parquet.
    #[arg(value_name = "PARQUET_DIR")]
    pub dir: PathBuf,
    /// Documents linked and written per store transaction (as ingest's --batch-size).
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_size: u64,
}

/// A non-negative number of seconds.
fn parse_wait(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(secs) if secs.is_finite() && (0.0..=86_400.0).contains(&secs) => Ok(secs),
        _ => Err(format!("{s:?} is not a number of seconds between 0 and 86400")),
    }
}

#[derive(Debug, Args)]
pub(crate) struct ReprocessArgs {
    /// Documents re-derived and written together (bounds memory; the result is the same).
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_size: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// Output file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// CSV: write cells exactly as stored. By default a cell that a spreadsheet would run as a
    /// formula (starting with = + - @, tab or CR) gets a leading ' and control characters are
    /// escaped (docs/schema.md).
    #[arg(long)]
    pub csv_raw: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// Article id (16 hex digits), a unique prefix of at least 6, or a full SHA-256.
    pub id: String,
    /// Print the stored record as JSON instead.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CopiesArgs {
    /// Article id (16 hex digits), a unique prefix of at least 6, or a full SHA-256.
    pub id: String,
    /// Print JSON instead.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DupsArgs {
    /// Only clusters with at least this many documents.
    #[arg(long, default_value_t = 2)]
    pub min_size: usize,
    /// Show at most this many clusters.
    #[arg(long)]
    pub limit: Option<usize>,
    /// One JSON object per cluster (JSON Lines): `dup_cluster`, `size`, `members`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// The query (see above); quote it for the shell.
    #[arg(default_value = "")]
    pub query: String,
    /// Count the matches by this facet: outlet, language, month, day, copies, story, entity
    /// (repeatable).
    #[arg(long = "facet", value_name = "F", value_parser = parse_facet)]
    pub facets: Vec<presswatch_app::search::FacetField>,
    /// Only articles published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<presswatch_app::search::NaiveDate>,
    /// Only articles published on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub until: Option<presswatch_app::search::NaiveDate>,
    /// Show at most this many hits, best first.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print one JSON object: `total`, `hits` and `facets` (docs/search.md).
    #[arg(long)]
    pub json: bool,
}

fn parse_facet(s: &str) -> Result<presswatch_app::search::FacetField, String> {
    presswatch_app::search::FacetField::parse(s).ok_or_else(|| {
        let names: Vec<&str> = presswatch_app::search::FacetField::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown facet {s:?}; one of {}", names.join(", "))
    })
}

fn parse_day(s: &str) -> Result<presswatch_app::search::NaiveDate, String> {
    s.parse::<presswatch_model::Published>().map(|p| p.day()).map_err(|e| e.to_string())
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExtractFormat {
    Json,
    Text,
    Markdown,
}

#[derive(Debug, Args)]
pub(crate) struct ExtractArgs {
    /// Files (.html, .html.gz, text, ...) or directories; `-` or nothing for standard input.
    pub paths: Vec<PathBuf>,
    /// Output for single documents.
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExtractFormat,
    /// Batch mode: one JSON line per page with `id` (file name without .html/.html.gz),
    /// `source` and the article fields (including `text`).
    #[arg(long)]
    pub jsonl: bool,
    /// Seconds to wait for the writer of a named pipe given as an input before refusing it.
    #[arg(long, value_name = "SECS", default_value_t = 10.0, value_parser = parse_wait)]
    pub fifo_wait: f64,
}

#[derive(Debug, Args)]
pub(crate) struct QuotesArgs {
    /// Plain-text files to read instead of the store (needs --jsonl): one JSON line per file,
    /// `{"id", "quotes": [{"content", "speaker", "speaker_name", "cue"}]}`, offsets in Unicode
    /// code points of the file's text exactly as read.
    #[arg(requires = "jsonl")]
    pub paths: Vec<PathBuf>,
    /// One JSON object per quote (JSON Lines).
    #[arg(long, conflicts_with = "csv")]
    pub jsonl: bool,
    /// CSV with a header row, cells made safe for spreadsheets.
    #[arg(long)]
    pub csv: bool,
    /// Only quotes whose speaker's name or mention contains NAME (any case).
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Only quotes of articles published on or after DATE (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only appearances that alter their group's first appearance (words changed, cut or
    /// added, or another speaker; spelling aside), with the word diff.
    #[arg(long)]
    pub altered: bool,
}
