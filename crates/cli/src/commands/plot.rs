//! `presswatch plot timeline|outlets ID --out FILE.svg|.png` (`presswatch_plot`).

use crate::cli::PlotCommand;
use anyhow::{Context, Result};
use presswatch_plot::{Format, Size};
use presswatch_store::StoreRead;
use std::process::ExitCode;

pub(super) fn run(store: &dyn StoreRead, command: &PlotCommand) -> Result<ExitCode> {
    let (PlotCommand::Timeline(args) | PlotCommand::Outlets(args)) = command;
    let format = Format::of_path(&args.out)?;
    let chart = match command {
        PlotCommand::Timeline(_) => match presswatch_app::stories::story(store, &args.id)? {
            Some(story) => Some(presswatch_plot::story_timeline(&story)),
            None => presswatch_app::entities::entity(store, &args.id)?
                .map(|e| presswatch_plot::entity_timeline(&e)),
        },
        PlotCommand::Outlets(_) => {
            presswatch_app::stories::story(store, &args.id)?.map(|s| presswatch_plot::story_outlets(&s))
        }
    };
    let Some(chart) = chart else {
        let what = if matches!(command, PlotCommand::Timeline(_)) { "story or entity" } else { "story" };
        let message = format!("presswatch: no {what} {:?}", args.id);
        eprintln!("{}", presswatch_text::escape_controls(&message, false));
        return Ok(ExitCode::from(1));
    };
    let bytes = presswatch_plot::render(&chart, format, Size { width: args.width, height: args.height })?;
    std::fs::write(&args.out, bytes).with_context(|| format!("cannot write {}", args.out.display()))?;
    Ok(ExitCode::SUCCESS)
}
