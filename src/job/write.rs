//! Writing a made document: unless its output is up to date, make it,
//! then write the Typst project, claim the output, write previews and the
//! PDF atomically, and record what it was made from (saved with the run's
//! other records when its jobs are done).

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::Context;
use super::pipeline::{Made, make};
use super::stages::Stage;
use crate::config::WriteConfig;
use crate::emit;
use crate::error::JobError;
use crate::hash::{hex, sha256};
use crate::incremental::{self, Manifest, Recorded, file_name};
use crate::output;
use crate::plan::{JobPlan, ProfilePlan};
use crate::preview;
use crate::typst::world::{Dependency, Environment, read_profile_file};
use crate::typst::{document, fonts};

/// Makes and writes a document unless its output is up to date (`None`).
/// Returns what was made and the file to name for it.
pub(super) fn write_document(
    ctx: &Context,
    write: &WriteConfig,
    profile: &ProfilePlan,
    job: &JobPlan,
) -> Result<Option<(Made, PathBuf)>, JobError> {
    let started = Instant::now();
    if !write.force && is_current(ctx, write, profile, job) {
        return Ok(None);
    }
    let checked = started.elapsed();
    let mut made = make(ctx, profile, job.document.variant)?;
    made.stages.add(Stage::Check, checked);
    let started = Instant::now();
    // The project first: if it cannot be written, the job fails with
    // nothing of it written.
    if let Some(dir) = &write.emit_typst {
        let project = emit::Project {
            data: &made.data,
            photo: made
                .photo
                .as_deref()
                .zip(profile.profile.basics.image.as_deref()),
            dependencies: &made.dependencies,
            layouts: ctx.layouts,
            profile_dir: &profile.dir,
        };
        project
            .write(&emit::project_dir(dir, &job.output))
            .map_err(JobError::Emit)?;
    }
    crate::claims::claim(&write.out_dir, &job.output, &profile.path).map_err(|owner| {
        JobError::Claimed {
            file: job.output.clone(),
            owner,
        }
    })?;
    let formats = profile.formats;
    let mut files = Vec::new();
    for (format, bytes) in &made.files {
        let path = job.output.with_extension(format.extension());
        crate::claims::claim(&write.out_dir, &path, &profile.path).map_err(|owner| {
            JobError::Claimed {
                file: path.clone(),
                owner,
            }
        })?;
        files.push((path, bytes));
    }
    let previews = match formats.png {
        true => write_previews(&made, write.dpi, &job.output)?,
        false => Vec::new(),
    };
    for (path, bytes) in &files {
        output::write_atomic(path, bytes)?;
    }
    if formats.pdf {
        output::write_atomic(&job.output, &made.pdf)?;
    }
    let manifest = Manifest {
        key: key(ctx, write, profile, job),
        output_sha256: if formats.pdf {
            hex(&sha256(&made.pdf))
        } else {
            String::new()
        },
        previews: previews
            .iter()
            .map(|(path, hash)| (file_name(path), hex(hash)))
            .collect(),
        files: files
            .iter()
            .map(|(path, bytes)| (file_name(path), hex(&sha256(bytes))))
            .collect(),
        dependencies: made
            .dependencies
            .iter()
            .map(|(d, h)| Recorded::new(d, h))
            .collect(),
        coverage: made
            .coverage
            .as_ref()
            .and_then(|c| serde_json::to_value(c).ok()),
    };
    if let Some(previous) = incremental::load(&job.output) {
        let kept: Vec<String> = manifest.files.iter().map(|(n, _)| n.clone()).collect();
        incremental::remove_dropped_files(&previous, &job.output, &kept);
    }
    ctx.records.add(&profile.path, job.output.clone(), manifest);
    made.stages.add(Stage::Write, started.elapsed());
    let shown = match (formats.pdf, previews.first(), files.first()) {
        (true, _, _) | (false, None, None) => job.output.clone(),
        (false, Some((first, _)), _) => first.clone(),
        (false, None, Some((first, _))) => first.clone(),
    };
    Ok(Some((made, shown)))
}

/// Writes a PNG of each page beside the PDF's path and removes the pages
/// a longer version left; returns each written page and its hash.
fn write_previews(
    made: &Made,
    dpi: u16,
    output: &Path,
) -> Result<Vec<(PathBuf, [u8; 32])>, JobError> {
    let pages = document::png_pages(&made.document, dpi)
        .map_err(|(page, message)| JobError::Preview { page, message })?;
    let mut previews = Vec::new();
    for (index, png) in pages.iter().enumerate() {
        let path = preview::page_path(output, index + 1);
        output::write_atomic(&path, png)?;
        previews.push((path, sha256(png)));
    }
    for stale in preview::stale_pages(output, pages.len()) {
        // A leftover page of a longer version misleads; if it cannot be
        // removed, the next run tries again.
        let _ = std::fs::remove_file(stale);
    }
    Ok(previews)
}

/// Whether a document's files are up to date: made from exactly what the
/// job would make them from now.
pub(crate) fn is_current(
    ctx: &Context,
    write: &WriteConfig,
    profile: &ProfilePlan,
    job: &JobPlan,
) -> bool {
    let key = key(ctx, write, profile, job);
    incremental::load(&job.output).is_some_and(|manifest| {
        incremental::is_fresh(&manifest, &key, &job.output, |d| {
            current_hash(ctx.env, profile, d)
        })
    })
}

/// Everything known before compiling that decides the output.
fn key(ctx: &Context, write: &WriteConfig, profile: &ProfilePlan, job: &JobPlan) -> String {
    let options = &profile.anonymize;
    let inputs = serde_json::json!({
        // This build, not only its version: a cvgen rebuilt from other
        // sources makes its documents again (see build.rs).
        "cvgen": concat!(env!("CARGO_PKG_VERSION"), "+", env!("CVGEN_SOURCES")),
        "profile": hex(&profile.sha256),
        "variant": job.document.variant.name(),
        "layout": profile.layout,
        "params": profile.params,
        "anonymize": [&options.id, options.employers, options.schools, options.years_only],
        // A letter not dated in its application is dated the day it is
        // made: another day, another letter.
        "letter_date": profile
            .application
            .as_ref()
            .and_then(|a| a.letter.as_ref())
            .filter(|_| job.document.variant.is_letter())
            .map(|(_, date)| date),
        "pdf_standards": profile.standards.names(),
        // A one-page fit keeps the roles of the window, which moves with
        // the month.
        "timeline": job.document.variant.is_one_page().then_some(profile.timeline_since),
        "fonts": hex(if profile.installed_fonts {
            &ctx.env.fonts().fingerprint
        } else {
            &ctx.env.fonts().base_fingerprint
        }),
        "date": ctx.config.source_date_epoch,
        "formats": [profile.formats.names(), write.dpi],
    });
    hex(&sha256(inputs.to_string().as_bytes()))
}

/// The hash of a recorded dependency as it is now, `None` if it is gone.
fn current_hash(
    env: &Environment,
    profile: &ProfilePlan,
    dependency: &Dependency,
) -> Option<[u8; 32]> {
    match dependency {
        Dependency::Layout(path) => env.layout_hash(path),
        Dependency::Profile(relative) | Dependency::Bibliography(relative) => {
            read_profile_file(&profile.dir, relative)
                .ok()
                .map(|bytes| sha256(&bytes))
        }
        Dependency::Font(path) => Some(fonts::stamp(Path::new(path))),
    }
}
