//! presswatch's charts as files, readable without a UI: a story's documents by day (peak days
//! marked), an entity's mentions, documents and quotes by day, and the outlets that picked a
//! story up (documents so far, per outlet, in the order they picked it up). Drawn with
//! plotters as SVG (text as `<text>` elements, scraped names escaped) or PNG (rasterized with
//! the font a Debian package ships, `fonts-dejavu-core`'s DejaVu Sans, or the one
//! `PRESSWATCH_FONT` names).
//!
//! Data in: the app's read models ([`presswatch_app::stories::StoryDetail`],
//! [`presswatch_app::entities::EntityDetail`]) become a [`Chart`] (named series of values by
//! day); [`render`] turns a chart into the bytes of a file. No store access, no file writes:
//! the CLI (`presswatch plot`) and the server (`/api/v1/stories/{id}/timeline.svg`) do the I/O.
//!
//! ```no_run
//! # fn run(detail: &presswatch_app::stories::StoryDetail) -> Result<(), presswatch_plot::PlotError> {
//! let chart = presswatch_plot::story_timeline(detail);
//! let svg = presswatch_plot::render(&chart, presswatch_plot::Format::Svg, presswatch_plot::Size::default())?;
//! # Ok(()) }
//! ```
//!
//! Font: plotters keeps its fonts in a process-wide table, so the font is loaded once, by the
//! first chart drawn (from `PRESSWATCH_FONT`, else [`DEFAULT_FONT`]); a missing font is an
//! error naming the package, never a chart without text.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use presswatch_app::entities::EntityDetail;
use presswatch_app::stories::StoryDetail;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The font used when `PRESSWATCH_FONT` names none: DejaVu Sans from Debian's
/// `fonts-dejavu-core`.
pub const DEFAULT_FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// The environment variable naming another TrueType/OpenType font file.
pub const FONT_ENV: &str = "PRESSWATCH_FONT";

/// Outlets drawn one by one in [`story_outlets`]; the rest are summed as "other outlets".
pub const MAX_OUTLETS: usize = 8;

/// The series' colours, in order (Okabe and Ito's palette, told apart by colour-blind readers).
pub const COLORS: [(u8, u8, u8); 8] = [
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (213, 94, 0),
    (120, 120, 120),
    (0, 0, 0),
];

/// Characters of a title drawn at most (a longer one is cut, with an ellipsis).
const TITLE_CHARS: usize = 90;

/// Characters of a legend name drawn at most.
const NAME_CHARS: usize = 40;

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The font could not be read.
    #[error("cannot read the font {path}: {reason} (install Debian's fonts-dejavu-core, or set {FONT_ENV} to a .ttf file)")]
    Font {
        /// The font file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Nothing dated to draw.
    #[error("nothing to plot: no dated documents")]
    NoData,
    /// The output file name says neither SVG nor PNG.
    #[error("the output must end in .svg or .png")]
    Format,
    /// plotters or the PNG encoder failed.
    #[error("cannot draw the chart: {0}")]
    Draw(String),
}

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// SVG 1.1, text as text.
    Svg,
    /// PNG, 8-bit RGB.
    Png,
}

impl Format {
    /// The format a file name's extension names (`.svg`, `.png`, any case).
    pub fn of_path(path: &Path) -> Result<Format, PlotError> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(PlotError::Format),
        }
    }

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Svg => "image/svg+xml",
            Format::Png => "image/png",
        }
    }
}

/// A chart's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl Default for Size {
    fn default() -> Self {
        Size { width: 960, height: 480 }
    }
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// One bar a day per series, side by side.
    Bars,
    /// Lines through the days, each day a dot.
    Lines,
    /// Steps: a value holds until the next day that has one (cumulative counts).
    Steps,
}

/// One named series: a value on some days.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its name, in the legend.
    pub name: String,
    /// Values by day, earliest first.
    pub points: Vec<(NaiveDate, f64)>,
}

/// A chart: a title, the y axis's name, and its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The title (a story's label, an entity's name).
    pub title: String,
    /// What the y axis counts.
    pub y_label: String,
    /// How the series are drawn.
    pub style: Style,
    /// The series, in legend order (colours follow [`COLORS`]).
    pub series: Vec<Series>,
}

/// A story's documents by day, and its peak days as a second series.
pub fn story_timeline(d: &StoryDetail) -> Chart {
    let day = |&(x, n): &(NaiveDate, u64)| (x, n as f64);
    let peaks: Vec<(NaiveDate, f64)> = d.peaks.iter().map(day).collect();
    let other: Vec<(NaiveDate, f64)> =
        d.by_day.iter().filter(|(x, _)| !d.peaks.iter().any(|(p, _)| p == x)).map(day).collect();
    Chart {
        title: format!("{} — documents by day", d.story.label),
        y_label: "documents".into(),
        style: Style::Bars,
        series: vec![
            Series { name: "documents".into(), points: other },
            Series { name: "peak days".into(), points: peaks },
        ],
    }
}

/// An entity's mentions, documents and quotes by day (undated ones left out).
pub fn entity_timeline(d: &EntityDetail) -> Chart {
    let dated = |f: &dyn Fn(&presswatch_app::entities::DayCount) -> u64| -> Vec<(NaiveDate, f64)> {
        d.by_day.iter().filter_map(|c| c.day.map(|x| (x, f(c) as f64))).collect()
    };
    let mut quotes: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for q in &d.quotes {
        if let Some(p) = q.published {
            *quotes.entry(p.day()).or_default() += 1.0;
        }
    }
    let mut series = vec![
        Series { name: "mentions".into(), points: dated(&|c| c.mentions) },
        Series { name: "documents".into(), points: dated(&|c| c.docs) },
    ];
    if !quotes.is_empty() {
        series.push(Series { name: "quotes".into(), points: quotes.into_iter().collect() });
    }
    Chart {
        title: format!("{} — mentions by day", d.entity.name),
        y_label: "count".into(),
        style: Style::Lines,
        series,
    }
}

/// The outlets of a story in the order they picked it up: for each, its documents so far by
/// day; the first [`MAX_OUTLETS`] by pick-up order one by one, the rest summed.
pub fn story_outlets(d: &StoryDetail) -> Chart {
    let mut per: Vec<(String, BTreeMap<NaiveDate, u64>)> = Vec::new();
    let unknown = "(unknown)";
    let order: Vec<&str> = d.outlets.iter().map(String::as_str).chain(std::iter::once(unknown)).collect();
    for (x, outlet, n) in &d.outlet_days {
        let rank = order.iter().position(|o| o == outlet).unwrap_or(order.len());
        let name = if rank < MAX_OUTLETS { outlet.clone() } else { "other outlets".to_string() };
        let slot = match per.iter().position(|(o, _)| *o == name) {
            Some(i) => i,
            None => {
                per.push((name, BTreeMap::new()));
                per.len() - 1
            }
        };
        *per[slot].1.entry(*x).or_default() += n;
    }
    let rank_of = |name: &str| order.iter().position(|o| *o == name).unwrap_or(usize::MAX);
    per.sort_by_key(|(o, _)| rank_of(o));
    let series = per
        .into_iter()
        .map(|(name, days)| {
            let mut total = 0u64;
            let points = days
                .into_iter()
                .map(|(x, n)| {
                    total += n;
                    (x, total as f64)
                })
                .collect();
            Series { name, points }
        })
        .collect();
    Chart {
        title: format!("{} — outlets picking it up", d.story.label),
        y_label: "documents so far".into(),
        style: Style::Steps,
        series,
    }
}

/// Draws `chart` as a file of `format`.
pub fn render(chart: &Chart, format: Format, size: Size) -> Result<Vec<u8>, PlotError> {
    font()?;
    let (w, h) = (size.width.max(200), size.height.max(150));
    match format {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                draw(&root, chart)?;
                root.present().map_err(draw_error)?;
            }
            Ok(svg.into_bytes())
        }
        Format::Png => {
            let mut rgb = vec![0u8; w as usize * h as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
                draw(&root, chart)?;
                root.present().map_err(draw_error)?;
            }
            let mut out = Vec::new();
            let mut encoder = png::Encoder::new(&mut out, w, h);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(draw_error)?;
            writer.write_image_data(&rgb).map_err(draw_error)?;
            writer.finish().map_err(draw_error)?;
            Ok(out)
        }
    }
}

fn draw_error(e: impl std::fmt::Display) -> PlotError {
    PlotError::Draw(e.to_string())
}

/// Registers the font with plotters once per process (its font table is process-wide).
fn font() -> Result<(), PlotError> {
    static LOADED: OnceLock<Result<(), (PathBuf, String)>> = OnceLock::new();
    let loaded = LOADED.get_or_init(|| {
        let path =
            std::env::var_os(FONT_ENV).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(DEFAULT_FONT));
        let bytes = std::fs::read(&path).map_err(|e| (path.clone(), e.to_string()))?;
        // plotters keeps a `&'static` font: read once, kept for the process's life.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        plotters::style::register_font("sans-serif", FontStyle::Normal, bytes)
            .map_err(|_| (path.clone(), "not a TrueType or OpenType font".to_string()))
    });
    loaded.clone().map_err(|(path, reason)| PlotError::Font { path, reason })
}

fn cut(s: &str, max: usize) -> String {
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn epoch_day(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (d - epoch).num_days() as f64
}

fn day_label(x: f64) -> String {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    epoch
        .checked_add_signed(chrono::Duration::days(x.round() as i64))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The series' colour.
pub fn color(i: usize) -> RGBColor {
    let (r, g, b) = COLORS[i % COLORS.len()];
    RGBColor(r, g, b)
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &Chart) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let days: Vec<f64> = chart.series.iter().flat_map(|s| s.points.iter().map(|p| epoch_day(p.0))).collect();
    let (Some(first), Some(last)) =
        (days.iter().copied().reduce(f64::min), days.iter().copied().reduce(f64::max))
    else {
        return Err(PlotError::NoData);
    };
    let top = chart.series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(1.0f64, f64::max);
    let y_max = (top * 1.15).ceil().max(top + 1.0);
    let span = (last - first) as usize + 1;
    root.fill(&WHITE).map_err(draw_error)?;
    let mut ctx = ChartBuilder::on(root)
        .caption(cut(&chart.title, TITLE_CHARS), ("sans-serif", 20).into_font())
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d((first - 1.0)..(last + 1.0), 0.0..y_max)
        .map_err(draw_error)?;
    ctx.configure_mesh()
        .x_labels(span.clamp(2, 8))
        .x_label_formatter(&|x| day_label(*x))
        .y_labels(6)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .y_desc(chart.y_label.as_str())
        .label_style(("sans-serif", 13))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(draw_error)?;
    let n = chart.series.len().max(1) as f64;
    let bar = 0.8 / n;
    for (i, s) in chart.series.iter().enumerate() {
        let c = color(i);
        let style = c.filled();
        let name = cut(&s.name, NAME_CHARS);
        let points: Vec<(f64, f64)> = s.points.iter().map(|(x, y)| (epoch_day(*x), *y)).collect();
        let drawn = match chart.style {
            Style::Bars => {
                let x0 = -0.4 + bar * i as f64;
                ctx.draw_series(
                    points.iter().map(|&(x, y)| Rectangle::new([(x + x0, 0.0), (x + x0 + bar, y)], style)),
                )
            }
            Style::Lines => {
                ctx.draw_series(points.iter().map(|&p| Circle::new(p, 4, style))).map_err(draw_error)?;
                ctx.draw_series(LineSeries::new(points.iter().copied(), c.stroke_width(2)))
            }
            Style::Steps => {
                let mut steps = Vec::with_capacity(points.len() * 2 + 1);
                for (k, &(x, y)) in points.iter().enumerate() {
                    if k > 0 {
                        steps.push((x, points[k - 1].1));
                    }
                    steps.push((x, y));
                }
                if let Some(&(_, y)) = points.last() {
                    steps.push((last + 1.0, y));
                }
                ctx.draw_series(points.iter().map(|&p| Circle::new(p, 4, style))).map_err(draw_error)?;
                ctx.draw_series(LineSeries::new(steps, c.stroke_width(2)))
            }
        };
        drawn
            .map_err(draw_error)?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
    }
    ctx.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 13))
        .draw()
        .map_err(draw_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names() {
        assert_eq!(Format::of_path(Path::new("a/b.SVG")).unwrap(), Format::Svg);
        assert_eq!(Format::of_path(Path::new("b.png")).unwrap(), Format::Png);
        assert!(Format::of_path(Path::new("b.jpg")).is_err());
        assert!(Format::of_path(Path::new("b")).is_err());
    }

    #[test]
    fn day_labels_round_trip() {
        let d = NaiveDate::from_ymd_opt(2021, 12, 13).unwrap();
        assert_eq!(day_label(epoch_day(d)), "2021-12-13");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("a\nb", 4), "a b");
    }
}
