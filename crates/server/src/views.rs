//! The API of the corpus read as a whole: full-text search with facets, stories with their
//! timelines, outlet comparison, and charts (SVG or PNG from `presswatch_plot`, the files
//! `presswatch plot` writes). Like [`crate::api`]: each handler parses its request, calls the
//! app (`presswatch_app::search`, `presswatch_app::stories`, `presswatch_app::entities`) on the
//! blocking pool, and converts the answer. No logic of their own.

use crate::api::{page_limit, query};
use crate::dto::{ComparisonDto, SearchResultsDto, StoryItem, StoryPage};
use crate::problem::{ApiError, Problem};
use crate::state::{store, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use presswatch_app::search::{FacetField, NaiveDate, SearchRequest};
use presswatch_plot::{Format, PlotError, Size};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// These routes (relative to `/api/v1`).
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/search", get(search))
        .route("/stories", get(stories))
        .route("/stories/{id}", get(story))
        .route("/stories/{id}/chart", get(story_chart))
        .route("/entities/{name}/chart", get(entity_chart))
        .route("/compare", get(compare))
}

fn day(name: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    match value.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("{name} is a day, YYYY-MM-DD"))),
    }
}

fn checked_story_id(id: &str) -> Result<(), ApiError> {
    if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::bad_request("a story id is 16 hex digits (a story's id or a member's)"));
    }
    Ok(())
}

/// A search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchParams {
    /// The query (docs/search.md): words, "phrases", AND/OR/NOT, +/-, (groups), field:value
    /// for title, text, author, outlet, language, published, story, entity. Empty: every
    /// article (for facet counts).
    pub(crate) q: Option<String>,
    /// Facets to count, comma-separated: outlet, language, month, day, copies, story, entity.
    pub(crate) facets: Option<String>,
    /// Only articles published on or after this day (YYYY-MM-DD).
    pub(crate) since: Option<String>,
    /// Only articles published on or before this day (YYYY-MM-DD).
    pub(crate) until: Option<String>,
    /// Hits to return, best first (default 20, at most 500).
    pub(crate) limit: Option<usize>,
    /// Values of a category facet to list (default 20, at most 500; histograms list all).
    pub(crate) facet_top: Option<usize>,
}

/// Full-text search: ranked hits with the matching words marked in a snippet, and counts per
/// facet (the `month` and `day` facets are date histograms) over every match.
#[utoipa::path(get, path = "/api/v1/search", tag = "read", params(SearchParams),
    responses((status = 200, body = SearchResultsDto), (status = 400, body = Problem)))]
pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResultsDto>, ApiError> {
    let params = query(params)?;
    let mut facets = Vec::new();
    for name in params.facets.as_deref().unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let field = FacetField::parse(name).ok_or_else(|| {
            ApiError::bad_request("facets are outlet, language, month, day, copies, story, entity")
        })?;
        if !facets.contains(&field) {
            facets.push(field);
        }
    }
    let q = params.q.unwrap_or_default();
    if q.chars().count() > 1000 {
        return Err(ApiError::bad_request("a query is at most 1000 characters"));
    }
    let request = SearchRequest {
        query: q.clone(),
        since: day("since", params.since.as_deref())?,
        until: day("until", params.until.as_deref())?,
        limit: page_limit(params.limit, 20),
        facets,
        facet_top: page_limit(params.facet_top, 20),
    };
    let results = state
        .read(move |s| {
            presswatch_app::search::search(s, &request).map_err(|e| match e {
                // A query the parser refuses is the caller's to fix: say why.
                presswatch_store::StoreError::InvalidQuery { detail, .. } => {
                    ApiError::bad_request(format!("the query does not parse: {detail}"))
                }
                presswatch_store::StoreError::NoSearchIndex => ApiError::new(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "the store has no search index; run presswatch reindex",
                ),
                e => e.into(),
            })
        })
        .await?;
    Ok(Json(SearchResultsDto::new(q, results)))
}

/// Which stories to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StoriesParams {
    /// Only stories with a member published on or after this day (YYYY-MM-DD).
    pub(crate) since: Option<String>,
    /// At most this many (default 100, at most 500).
    pub(crate) top: Option<usize>,
}

/// Stories (articles reporting the same event), largest first.
#[utoipa::path(get, path = "/api/v1/stories", tag = "read", params(StoriesParams),
    responses((status = 200, body = Vec<StoryItem>), (status = 400, body = Problem)))]
pub(crate) async fn stories(
    State(state): State<Arc<AppState>>,
    params: Result<Query<StoriesParams>, QueryRejection>,
) -> Result<Json<Vec<StoryItem>>, ApiError> {
    let params = query(params)?;
    let since = day("since", params.since.as_deref())?;
    let top = page_limit(params.top, 100);
    let rows = state.read(move |s| store(presswatch_app::stories::stories(s, since, Some(top)))).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// One story: members, first report, outlets in the order they picked it up, documents by day
/// and by outlet, peaks, top quotes and entities, merges.
#[utoipa::path(get, path = "/api/v1/stories/{id}", tag = "read",
    params(("id" = String, Path, description = "a story id, or any member's id (16 hex digits)")),
    responses((status = 200, body = StoryPage), (status = 404, body = Problem), (status = 400, body = Problem)))]
pub(crate) async fn story(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<StoryPage>, ApiError> {
    checked_story_id(&id)?;
    let detail = state.read(move |s| store(presswatch_app::stories::story(s, &id))).await?;
    detail.map(|d| Json(d.into())).ok_or_else(|| ApiError::not_found("no story with this id"))
}

/// Which chart of a story.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum StoryChart {
    /// Documents by day, peak days marked.
    #[default]
    Timeline,
    /// The outlets in the order they picked it up: each one's documents so far.
    Outlets,
}

/// The image format.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ChartFormat {
    /// SVG (text as text).
    #[default]
    Svg,
    /// PNG.
    Png,
}

/// How to draw a chart.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ChartParams {
    /// timeline (default) or outlets (stories only).
    pub(crate) kind: Option<StoryChart>,
    /// svg (default) or png.
    pub(crate) format: Option<ChartFormat>,
    /// Width in pixels (200 to 2400, default 960).
    pub(crate) width: Option<u32>,
    /// Height in pixels (150 to 1600, default 480).
    pub(crate) height: Option<u32>,
}

impl ChartParams {
    fn size(&self) -> Size {
        let d = Size::default();
        Size {
            width: self.width.unwrap_or(d.width).clamp(200, 2400),
            height: self.height.unwrap_or(d.height).clamp(150, 1600),
        }
    }

    fn format(&self) -> Format {
        match self.format.unwrap_or_default() {
            ChartFormat::Svg => Format::Svg,
            ChartFormat::Png => Format::Png,
        }
    }
}

/// A chart's bytes as a response of its media type.
fn image(bytes: Vec<u8>, format: Format) -> Response {
    let mut response = bytes.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    response
}

fn plot_error(e: PlotError) -> ApiError {
    match e {
        PlotError::NoData => ApiError::not_found("nothing to plot: no dated documents"),
        e => ApiError::internal(&e),
    }
}

/// A story's chart (what `presswatch plot timeline|outlets` writes): documents by day, or the
/// outlets in the order they picked it up.
#[utoipa::path(get, path = "/api/v1/stories/{id}/chart", tag = "read",
    params(("id" = String, Path, description = "a story id, or any member's id"), ChartParams),
    responses((status = 200, description = "the chart: SVG, or PNG with format=png", content_type = "image/svg+xml"),
        (status = 404, body = Problem), (status = 400, body = Problem)))]
pub(crate) async fn story_chart(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Result<Query<ChartParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    checked_story_id(&id)?;
    let params = query(params)?;
    let (format, size, kind) = (params.format(), params.size(), params.kind.unwrap_or_default());
    let bytes = state
        .read(move |s| {
            let Some(detail) = store(presswatch_app::stories::story(s, &id))? else {
                return Err(ApiError::not_found("no story with this id"));
            };
            let chart = match kind {
                StoryChart::Timeline => presswatch_plot::story_timeline(&detail),
                StoryChart::Outlets => presswatch_plot::story_outlets(&detail),
            };
            presswatch_plot::render(&chart, format, size).map_err(plot_error)
        })
        .await?;
    Ok(image(bytes, format))
}

/// An entity's chart: mentions, documents and quotes by day (what `presswatch plot timeline
/// NAME` writes).
#[utoipa::path(get, path = "/api/v1/entities/{name}/chart", tag = "read",
    params(("name" = String, Path, description = "an entity id, or a name"), ChartParams),
    responses((status = 200, description = "the chart: SVG, or PNG with format=png", content_type = "image/svg+xml"),
        (status = 404, body = Problem), (status = 400, body = Problem)))]
pub(crate) async fn entity_chart(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    params: Result<Query<ChartParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(ApiError::bad_request("an entity name is 1 to 200 characters"));
    }
    let params = query(params)?;
    let (format, size) = (params.format(), params.size());
    let bytes = state
        .read(move |s| {
            let Some(detail) = store(presswatch_app::entities::entity(s, &name))? else {
                return Err(ApiError::not_found("no entity by this name"));
            };
            presswatch_plot::render(&presswatch_plot::entity_timeline(&detail), format, size)
                .map_err(plot_error)
        })
        .await?;
    Ok(image(bytes, format))
}

/// Which outlets to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CompareParams {
    /// Side A: an outlet, or outlets comma-separated.
    pub(crate) a: String,
    /// Side B.
    pub(crate) b: String,
    /// Only the articles of this story (a story id or a member's id); default: the whole store.
    pub(crate) story: Option<String>,
    /// The most distinctive words of each side (default 20, at most 500).
    pub(crate) top: Option<usize>,
}

/// The distinctive words of one outlet (or group) against another, by weighted log-odds with
/// an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008), with z-scores; and their
/// coverage by day. Over one story, or the whole store.
#[utoipa::path(get, path = "/api/v1/compare", tag = "read", params(CompareParams),
    responses((status = 200, body = ComparisonDto), (status = 404, body = Problem), (status = 400, body = Problem)))]
pub(crate) async fn compare(
    State(state): State<Arc<AppState>>,
    params: Result<Query<CompareParams>, QueryRejection>,
) -> Result<Json<ComparisonDto>, ApiError> {
    let params = query(params)?;
    let (a, b) = (params.a.trim().to_string(), params.b.trim().to_string());
    if a.is_empty() || b.is_empty() || a.len() > 1000 || b.len() > 1000 {
        return Err(ApiError::bad_request("a and b each name an outlet, or outlets comma-separated"));
    }
    let story = params.story.filter(|s| !s.is_empty());
    if let Some(id) = &story {
        checked_story_id(id)?;
    }
    let top = page_limit(params.top, 20);
    let (qa, qb, qs) = (a.clone(), b.clone(), story.clone());
    let found =
        state.read(move |s| store(presswatch_app::stories::compare(s, &qa, &qb, qs.as_deref(), top))).await?;
    let c = found.ok_or_else(|| ApiError::not_found("no story with this id"))?;
    Ok(Json(ComparisonDto::new(c, a, b, story)))
}
