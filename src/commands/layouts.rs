//! `cvgen layouts`.

use std::path::Path;

use super::printer::Printer;
use super::{Done, print_out};
use crate::batch::{self, Event};
use crate::cli::{CheckArgs, LayoutsArgs};
use crate::config::{RenderConfig, WriteConfig};
use crate::error::{CommandError, SetupError};
use crate::layout::Layouts;
use crate::output::Formats;
use crate::variant::Variant;

/// `cvgen layouts`: every layout with its parameters, types and defaults;
/// with `--gallery`, a picture of each.
pub(super) fn layouts(args: LayoutsArgs) -> Done {
    let layouts =
        Layouts::load(args.resources.layouts_dir().as_deref()).map_err(SetupError::from)?;
    if let Some(dir) = args.gallery.clone() {
        return gallery(args, &layouts, &dir);
    }
    let mut text = String::new();
    for info in layouts.infos() {
        text.push_str(&format!("{}\n", info.name));
        if !info.description.is_empty() {
            text.push_str(&format!("  {}\n", info.description));
        }
        for param in &info.params {
            text.push_str(&format!(
                "  {:<14} {} [default: {}]\n",
                param.name,
                param.ty.describe(),
                param.default
            ));
            if !param.description.is_empty() {
                text.push_str(&format!("  {:<14} {}\n", "", param.description));
            }
        }
    }
    text.push_str(
        "\nlanguages (`lang = \"..\"` in [layout]; add one as lang/<code>.toml in your layouts folder)\n",
    );
    for language in layouts.languages() {
        let direction = if language.is_right_to_left() {
            " (right to left)"
        } else {
            ""
        };
        text.push_str(&format!(
            "  {:<6} {}{direction}\n",
            language.code, language.name
        ));
    }
    print_out(&text);
    Ok(())
}

/// A picture of the first page of a one-page CV in every layout, built in
/// and the user's: `DIR/<layout>.png`.
fn gallery(args: LayoutsArgs, layouts: &Layouts, dir: &Path) -> Done {
    let work = tempfile::tempdir().map_err(|err| CommandError::Failed(Some(err.to_string())))?;
    let profile = match &args.profile {
        Some(profile) => profile.clone(),
        None => {
            let example = work.path().join("example.toml");
            std::fs::write(&example, crate::new::example_profile())
                .map_err(|err| CommandError::Failed(Some(err.to_string())))?;
            example
        }
    };
    let stem = profile
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::create_dir_all(dir).map_err(|source| SetupError::OutputDir {
        path: dir.to_owned(),
        source,
    })?;
    // A check's configuration of the profile (resources, limits), made to
    // write each layout's one page as a picture.
    let base = CheckArgs {
        paths: vec![profile],
        layout: None,
        deny_warnings: false,
        pdf_standards: Vec::new(),
        languages: Vec::new(),
        ats: false,
        resources: args.resources,
        limits: args.limits,
    }
    .config()?;
    let printer = Printer::new();
    for info in layouts.infos() {
        let out = work.path().join(&info.name);
        let config = RenderConfig {
            layout: Some(info.name.clone()),
            variants: Some(vec![Variant::OnePage]),
            write: Some(WriteConfig {
                out_dir: out.clone(),
                force: true,
                deps: false,
                formats: Some(Formats {
                    pdf: false,
                    png: true,
                    docx: false,
                    txt: false,
                    md: false,
                }),
                dpi: args.dpi,
                emit_typst: None,
            }),
            ..base.clone()
        };
        let summary = batch::run(&config, |event| {
            if let Event::Finished(failed) = event
                && failed.is_failure()
            {
                printer.job_failure(failed);
            }
        })?;
        // A profile in several languages: its first language's page.
        let made = std::fs::read_dir(&out)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.starts_with(&format!("{stem}-onepage")) && n.ends_with("-1.png")
                })
            })
            .min();
        let (0, Some(page)) = (summary.failures(), made) else {
            return Err(CommandError::Failed(Some(format!(
                "the gallery's picture of `{}` could not be made",
                info.name
            ))));
        };
        let target = dir.join(format!("{}.png", info.name));
        let bytes =
            std::fs::read(&page).map_err(|err| CommandError::Failed(Some(err.to_string())))?;
        crate::output::write_atomic(&target, &bytes)
            .map_err(|err| CommandError::Failed(Some(err.to_string())))?;
        printer.line(&format!("wrote {}", target.display()));
    }
    Ok(())
}
