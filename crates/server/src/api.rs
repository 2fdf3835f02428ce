//! The JSON API under `/api/v1`: one handler per endpoint, each parsing its request, calling the
//! app's read model or service (`presswatch_app`, the same calls as the CLI) on the blocking
//! pool, and converting the answer ([`crate::dto`]). No logic of their own.
//!
//! Extension points: a capability adds its handlers in a module like this one (search, stories,
//! comparison and charts are in [`crate::views`]), its routes in a `routes()` merged in
//! `router`, and its paths in [`ApiDoc`]; the UI gets a view for it in `assets/app.js`'s route
//! table.

use crate::dto::{
    checked_id, item_of, ClusterDto, CopyDto, DocumentDetail, DocumentItem, DocumentList, EntityItem,
    EntityPage, IngestSummary, Provenance, QuoteItem, RejectionDto, ReprocessSummary, SourceDto, StatsDto,
};
use crate::problem::{ApiError, Problem};
use crate::state::{store, AppState};
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use presswatch_app::read::{DocumentQuery, QuoteFilter};
use presswatch_model::{EntityType, Published};
use presswatch_store::StoreError;
use serde::Deserialize;
use std::sync::Arc;
use utoipa::{IntoParams, OpenApi, ToSchema};

/// Largest page of a listing.
const MAX_PAGE: usize = 500;

/// The OpenAPI 3 document, generated from the handlers and their types.
#[derive(OpenApi)]
#[openapi(
    info(title = "presswatch API", description = "presswatch's store over HTTP: documents, provenance, quotes, entities, search, stories, outlet comparison, charts, export, ingest."),
    paths(
        documents, document, provenance, dups, stats, export, upload, reprocess, quotes, entities, entity,
        crate::views::search, crate::views::stories, crate::views::story, crate::views::story_chart,
        crate::views::entity_chart, crate::views::compare
    ),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    tags((name = "read", description = "Reading the store"), (name = "write", description = "Changing the store: needs the bearer token; refused by a read-only server"))
)]
pub struct ApiDoc;

/// Declares the bearer token writes need.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "token",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The API's routes (relative to `/api/v1`).
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/documents", get(documents).post(upload))
        .route("/documents/{id}", get(document))
        .route("/documents/{id}/provenance", get(provenance))
        .route("/dups", get(dups))
        .route("/stats", get(stats))
        .route("/export", get(export))
        .route("/reprocess", post(reprocess))
        .route("/quotes", get(quotes))
        .route("/entities", get(entities))
        .route("/entities/{name}", get(entity))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A query string the handler could not parse, as a problem.
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t).map_err(|e| ApiError::bad_request(e.body_text()))
}

pub(crate) fn page_limit(limit: Option<usize>, default: usize) -> usize {
    limit.unwrap_or(default).clamp(1, MAX_PAGE)
}

/// Which documents to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DocumentsParams {
    /// Only documents whose title, outlet, source, id or text contain this (any case).
    pub(crate) q: Option<String>,
    /// Matching documents to skip.
    pub(crate) offset: Option<u64>,
    /// Page size (default 50, at most 500).
    pub(crate) limit: Option<usize>,
}

/// List stored documents, first seen first.
#[utoipa::path(get, path = "/api/v1/documents", tag = "read", params(DocumentsParams),
    responses((status = 200, body = DocumentList), (status = 400, body = Problem)))]
async fn documents(
    State(state): State<Arc<AppState>>,
    params: Result<Query<DocumentsParams>, QueryRejection>,
) -> Result<Json<DocumentList>, ApiError> {
    let params = query(params)?;
    let offset = params.offset.unwrap_or(0);
    let q = DocumentQuery { offset, limit: page_limit(params.limit, 50), text: params.q };
    let page = state.read(move |s| store(presswatch_app::read::documents(s, &q))).await?;
    let next_offset = page.more.then(|| offset + page.items.len() as u64);
    Ok(Json(DocumentList { items: page.items.into_iter().map(Into::into).collect(), offset, next_offset }))
}

/// One document: metadata, blocks, images, removed parts with reasons, quotes, entities, links.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "read",
    params(("id" = String, Path, description = "16-hex id, sha256, or a unique sha256 prefix")),
    responses((status = 200, body = DocumentDetail), (status = 404, body = Problem), (status = 400, body = Problem)))]
async fn document(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<DocumentDetail>, ApiError> {
    checked_id(&id)?;
    let view = state.read(move |s| store(presswatch_app::read::article(s, &id))).await?;
    view.map(|v| Json(v.into())).ok_or_else(|| ApiError::not_found("no document with this id"))
}

/// A document's sources with the aligned passages side by side (changed words marked), and the
/// documents that copy it.
#[utoipa::path(get, path = "/api/v1/documents/{id}/provenance", tag = "read",
    params(("id" = String, Path, description = "16-hex id, sha256, or a unique sha256 prefix")),
    responses((status = 200, body = Provenance), (status = 404, body = Problem), (status = 400, body = Problem)))]
async fn provenance(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Provenance>, ApiError> {
    checked_id(&id)?;
    let found = state
        .read(move |s| {
            let Some(view) = presswatch_app::read::copies(s, &id)? else { return Ok(None) };
            let sources = store(presswatch_app::read::alignment(s, &view.article))?;
            let copies = view
                .copies
                .iter()
                .map(|(id, link)| {
                    let mut link = crate::dto::LinkDto::from(link);
                    link.id = id.to_string();
                    Ok(CopyDto { link, document: item_of(s, *id)? })
                })
                .collect::<Result<Vec<_>, StoreError>>();
            Ok(Some(Provenance {
                document: DocumentItem::from(&view.article.article),
                dup_cluster: view.article.dup_cluster.map(|c| c.to_string()),
                sources: sources.into_iter().map(SourceDto::from).collect(),
                copies: store(copies)?,
            }))
        })
        .await?;
    found.map(Json).ok_or_else(|| ApiError::not_found("no document with this id"))
}

/// Which clusters to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DupsParams {
    /// Only clusters of at least this many documents (default 2).
    pub(crate) min_size: Option<usize>,
    /// At most this many clusters (default 50, at most 500).
    pub(crate) limit: Option<usize>,
}

/// Clusters of copies, largest first.
#[utoipa::path(get, path = "/api/v1/dups", tag = "read", params(DupsParams),
    responses((status = 200, body = Vec<ClusterDto>), (status = 400, body = Problem)))]
async fn dups(
    State(state): State<Arc<AppState>>,
    params: Result<Query<DupsParams>, QueryRejection>,
) -> Result<Json<Vec<ClusterDto>>, ApiError> {
    let params = query(params)?;
    let (min, limit) = (params.min_size.unwrap_or(2), page_limit(params.limit, 50));
    let clusters = state
        .read(move |s| {
            let clusters = store(presswatch_app::read::dups(s))?;
            let shown = clusters.into_iter().filter(|c| c.members.len() >= min).take(limit);
            let out = shown
                .map(|c| {
                    let members = c.members.iter().filter_map(|id| item_of(s, *id).transpose());
                    Ok(ClusterDto {
                        id: c.id.to_string(),
                        size: c.members.len(),
                        members: members.collect::<Result<_, StoreError>>()?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>();
            store(out)
        })
        .await?;
    Ok(Json(clusters))
}

/// Counts by format, language and outlet.
#[utoipa::path(get, path = "/api/v1/stats", tag = "read", responses((status = 200, body = StatsDto)))]
async fn stats(State(state): State<Arc<AppState>>) -> Result<Json<StatsDto>, ApiError> {
    let stats = state.read(|s| store(presswatch_app::read::stats(s))).await?;
    Ok(Json(stats.into()))
}

/// Export format.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ExportFormat {
    /// JSON Lines: one export record per line (docs/schema.md).
    #[default]
    Jsonl,
    /// CSV with a header row, cells made safe for spreadsheets.
    Csv,
}

/// Export options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportParams {
    /// jsonl (default) or csv.
    pub(crate) format: Option<ExportFormat>,
}

/// Every article, streamed as it is read (never held whole): JSON Lines or CSV.
#[utoipa::path(get, path = "/api/v1/export", tag = "read", params(ExportParams),
    responses((status = 200, description = "the export, streamed", content_type = "application/x-ndjson"),
        (status = 400, body = Problem)))]
async fn export(
    State(state): State<Arc<AppState>>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    let format = query(params)?.format.unwrap_or_default();
    Ok(crate::export::stream(state.reader(), format))
}

/// Upload parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct UploadParams {
    /// The file's name (its source in the store): a plain name, no directories.
    pub(crate) name: String,
}

/// Ingest one uploaded file (any format `presswatch ingest` reads, compressed or not). The
/// body is the file's bytes.
#[utoipa::path(post, path = "/api/v1/documents", tag = "write", params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("token" = [])),
    responses((status = 200, body = IngestSummary), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 413, body = Problem)))]
async fn upload(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    params: Result<Query<UploadParams>, QueryRejection>,
    body: Body,
) -> Result<Json<IngestSummary>, ApiError> {
    crate::security::authorize(&state, &headers)?;
    let name = crate::security::upload_name(&query(params)?.name)?;
    let bytes = axum::body::to_bytes(body, state.max_upload_bytes).await.map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            format!("an upload is at most {} bytes", state.max_upload_bytes),
        )
    })?;
    let _write = state.write_lock.lock().await;
    let st = Arc::clone(&state);
    let summary = tokio::task::spawn_blocking(move || crate::write::ingest(&st, name, bytes))
        .await
        .map_err(|e| ApiError::internal(&e))??;
    Ok(Json(summary))
}

/// Re-derive every article from its stored raw bytes (all or nothing).
#[utoipa::path(post, path = "/api/v1/reprocess", tag = "write", security(("token" = [])),
    responses((status = 200, body = ReprocessSummary), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn reprocess(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<ReprocessSummary>, ApiError> {
    crate::security::authorize(&state, &headers)?;
    let _write = state.write_lock.lock().await;
    let st = Arc::clone(&state);
    let summary = tokio::task::spawn_blocking(move || crate::write::reprocess(&st))
        .await
        .map_err(|e| ApiError::internal(&e))??;
    Ok(Json(summary))
}

/// Which quotes to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct QuotesParams {
    /// Only quotes whose speaker's name or mention contains this (any case).
    pub(crate) speaker: Option<String>,
    /// Only quotes of articles published on or after this day (YYYY-MM-DD).
    pub(crate) since: Option<String>,
    /// Only appearances that alter their group's first appearance (words or speaker).
    pub(crate) altered: Option<bool>,
    /// At most this many (default 100, at most 500).
    pub(crate) limit: Option<usize>,
}

/// Quotes with their speakers, articles first seen first.
#[utoipa::path(get, path = "/api/v1/quotes", tag = "read", params(QuotesParams),
    responses((status = 200, body = Vec<QuoteItem>), (status = 400, body = Problem)))]
async fn quotes(
    State(state): State<Arc<AppState>>,
    params: Result<Query<QuotesParams>, QueryRejection>,
) -> Result<Json<Vec<QuoteItem>>, ApiError> {
    let params = query(params)?;
    let since = match params.since.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse::<Published>().map_err(|e| ApiError::bad_request(format!("since: {e}")))?),
        None => None,
    };
    let filter = QuoteFilter {
        speaker: params.speaker.filter(|s| !s.is_empty()),
        since,
        altered: params.altered.unwrap_or(false),
    };
    let limit = page_limit(params.limit, 100);
    let out = state
        .read(move |s| {
            let mut out = Vec::new();
            let walked = presswatch_app::read::quotes(s, &filter, &mut |q| {
                if out.len() >= limit {
                    return Err(StoreError::Callback("page full".into()));
                }
                out.push(QuoteItem::from(q));
                Ok(())
            });
            match walked {
                Err(StoreError::Callback(_)) | Ok(_) => Ok(out),
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    Ok(Json(out))
}

/// Which entities to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EntitiesParams {
    /// person, organisation or place.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub(crate) kind: Option<String>,
    /// At most this many (default 100, at most 500).
    pub(crate) top: Option<usize>,
}

/// The corpus's canonical entities, most documents first.
#[utoipa::path(get, path = "/api/v1/entities", tag = "read", params(EntitiesParams),
    responses((status = 200, body = Vec<EntityItem>), (status = 400, body = Problem)))]
async fn entities(
    State(state): State<Arc<AppState>>,
    params: Result<Query<EntitiesParams>, QueryRejection>,
) -> Result<Json<Vec<EntityItem>>, ApiError> {
    let params = query(params)?;
    let kind = match params.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(
            EntityType::parse(k)
                .ok_or_else(|| ApiError::bad_request("type is person, organisation or place"))?,
        ),
    };
    let top = page_limit(params.top, 100);
    let rows = state.read(move |s| store(presswatch_app::entities::entities(s, kind, Some(top)))).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// One entity: its canonical name, the names used for it, mentions by day, its quotes.
#[utoipa::path(get, path = "/api/v1/entities/{name}", tag = "read",
    params(("name" = String, Path, description = "an entity id, or a name (any spelling the corpus knows)")),
    responses((status = 200, body = EntityPage), (status = 404, body = Problem), (status = 400, body = Problem)))]
async fn entity(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
) -> Result<Json<EntityPage>, ApiError> {
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(ApiError::bad_request("an entity name is 1 to 200 characters"));
    }
    let detail = state.read(move |s| store(presswatch_app::entities::entity(s, &name))).await?;
    detail.map(|d| Json(d.into())).ok_or_else(|| ApiError::not_found("no entity by this name"))
}

/// Turns a rejected upload record into its DTO.
pub(crate) fn rejection(source: &str, reason: &str) -> RejectionDto {
    RejectionDto { source: source.to_string(), reason: reason.to_string() }
}

/// Converts the app's ingest summary.
pub(crate) fn ingest_summary(
    s: presswatch_app::ingest::Summary,
    rejections: Vec<RejectionDto>,
) -> IngestSummary {
    IngestSummary {
        added: s.added,
        already_present: s.already_present,
        restored: s.restored,
        rejected: s.rejected,
        rejections,
        bytes: s.bytes,
    }
}

/// Converts the app's reprocess summary.
pub(crate) fn reprocess_summary(s: presswatch_app::reprocess::Summary) -> ReprocessSummary {
    ReprocessSummary { updated: s.updated, failed: s.failed }
}
