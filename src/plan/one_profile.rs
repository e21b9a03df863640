//! Planning one profile: read, checked, and resolved once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use super::resolve::Resolver;
use super::{
    Planner, ProfileFailure, ProfilePlan, finish, formats, locale, place, refuse_boxes,
    stem_and_dir, timeline_since, variants,
};
use crate::check;
use crate::data::Locale;
use crate::diagnostic::{Diagnostic, Report};
use crate::photo::Photo;
use crate::profile::{AnonymizeOptions, Profile, ProfileText};
use crate::standard::Standards;
use crate::variant::anonymize;

/// Reads, checks and resolves one profile. Warnings come back beside the
/// plan; with any error (or warning, when denied) the profile fails.
pub(super) fn plan_profile(
    planner: &Planner,
    path: &Path,
    read: ProfileText,
) -> Result<(ProfilePlan, Option<Report>), ProfileFailure> {
    let (config, coverage) = (planner.config, &planner.coverage);
    let (stem, dir) = stem_and_dir(path)?;
    let checked = check::check(&read.text, planner.today);
    let needed_before = coverage.beyond_base();
    let (name_at, id_at) = (
        place(path, &read.text, &checked.places.output_name),
        place(path, &read.text, &checked.places.anonymize_id),
    );
    let mut diagnostics = checked.diagnostics;
    let mut uncovered = coverage.check(&checked.places.texts, &mut diagnostics);
    let resolved = checked.profile.map(|profile| {
        let mut at = Resolver {
            places: &checked.places,
            out: &mut diagnostics,
        };
        resolve(planner, &mut at, profile, &dir, &mut uncovered)
    });
    if let Some(Resolved {
        standards: Some(standards),
        ..
    }) = &resolved
    {
        refuse_boxes(standards, &uncovered, &mut diagnostics);
    }
    let ok = finish(config, &mut diagnostics);
    let report = Report::new(path, read.text, diagnostics);
    // Every problem above left an error, so with none every part resolved.
    let Some(Resolved {
        profile,
        layout: Some((layout, params)),
        locale: Some(locale),
        variants_ok: true,
        photo,
        standards: Some(standards),
    }) = resolved.filter(|_| ok)
    else {
        return Err(ProfileFailure::Invalid(report));
    };
    let photo = photo.flatten();
    let variants = variants(config, profile.output.variants.as_deref(), None);
    let formats = formats(config, profile.output.formats.as_deref());
    let timeline_since = timeline_since(config, profile.output.timeline_years);
    let output_name = profile
        .output
        .name
        .clone()
        .unwrap_or_else(|| stem.to_owned());
    let anonymize = merge(&profile.anonymize, &config.anonymize);
    let candidate_id = anonymize::candidate_id(&profile, stem, config.anon_key.as_deref());
    let plan = ProfilePlan {
        path: path.to_owned(),
        dir,
        sha256: read.sha256,
        profile,
        layout,
        params,
        photo,
        anonymize,
        candidate_id,
        stem: stem.to_owned(),
        out_dir: PathBuf::new(),
        name: output_name,
        variants,
        formats,
        standards,
        outputs: Vec::new(),
        name_at,
        id_at,
        uncovered,
        locale,
        timeline_since,
        installed_fonts: coverage.beyond_base() > needed_before,
        application: None,
    };
    let warnings = (!report.diagnostics.is_empty()).then_some(report);
    Ok((plan, warnings))
}

/// What a profile names, resolved: each part `None` (or not ok) where a
/// diagnostic says why.
struct Resolved {
    profile: Profile,
    layout: Option<(String, Map<String, Json>)>,
    locale: Option<Locale>,
    variants_ok: bool,
    photo: Option<Option<Photo>>,
    standards: Option<Standards>,
}

/// Resolves the layout, its parameters and language, the variants, the
/// PDF standards and the photo of a checked profile.
fn resolve(
    planner: &Planner,
    at: &mut Resolver,
    profile: Profile,
    dir: &Path,
    uncovered: &mut BTreeSet<char>,
) -> Resolved {
    let config = planner.config;
    let layout = at.layout(&profile, config, planner.layouts);
    let locale = layout.as_ref().map(|(name, params)| {
        let (locale, words) = locale(
            name,
            params,
            planner.layouts,
            &planner.coverage,
            at.places,
            at.out,
        );
        uncovered.extend(words);
        locale
    });
    let mut variants_ok = at.variants(&profile);
    let standards = at.standards(&profile, config);
    variants_ok &= standards.is_some();
    let own = profile.output.variants.as_deref().unwrap_or_default();
    if own.iter().any(|v| v.is_letter()) {
        at.out.push(
            Diagnostic::error(
                "a cover letter belongs to a job application, not to a profile",
                at.places.variants.clone(),
            )
            .hint("write an application file that names this profile and has a [letter] (see the README)"),
        );
        variants_ok = false;
    }
    let photo = profile
        .basics
        .image
        .as_deref()
        .map(|image| at.photo(image, dir, config.budget.memory));
    Resolved {
        layout,
        locale,
        profile,
        variants_ok,
        photo,
        standards,
    }
}

/// Anonymization options: the profile's, plus what the command line adds.
fn merge(profile: &AnonymizeOptions, cli: &AnonymizeOptions) -> AnonymizeOptions {
    AnonymizeOptions {
        id: profile.id.clone().or_else(|| cli.id.clone()),
        employers: profile.employers || cli.employers,
        schools: profile.schools || cli.schools,
        years_only: profile.years_only || cli.years_only,
        redact: profile.redact.iter().chain(&cli.redact).cloned().collect(),
    }
}
