//! Planning one profile: read, checked, and resolved once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value as Json};

use super::resolve::{BibliographyFile, Resolver};
use super::{
    Languages, Planner, ProfileFailure, ProfilePlan, finish, formats, locale, place, refuse_boxes,
    stem_and_dir, timeline_since, variants,
};
use crate::bibliography;
use crate::check;
use crate::data::Locale;
use crate::diagnostic::{Diagnostic, Report, did_you_mean};
use crate::photo::Photo;
use crate::profile::{AnonymizeOptions, Profile, ProfileText};
use crate::standard::Standards;
use crate::variant::anonymize;

/// Reads, checks and resolves one profile: a plan for each of its
/// languages, the first first. Warnings come back beside the plans; with
/// any error (or warning, when denied) the profile fails.
pub(super) fn plan_profile(
    planner: &Planner,
    path: &Path,
    read: ProfileText,
) -> Result<(Vec<ProfilePlan>, Option<Report>), ProfileFailure> {
    let (config, coverage) = (planner.config, &planner.coverage);
    let (stem, dir) = stem_and_dir(path)?;
    let first = check::check(&read.text, planner.today, None);
    let languages = first.languages.clone();
    let (name_at, id_at) = (
        place(path, &read.text, &first.places.output_name),
        place(path, &read.text, &first.places.anonymize_id),
    );
    let needed_before = coverage.beyond_base();
    let mut diagnostics = Vec::new();
    check_languages(planner, &first, &mut diagnostics);
    // Each language is checked only once the list is sound.
    let languages = match (first.profile.is_some(), diagnostics.is_empty()) {
        (true, true) => languages,
        _ => languages[..1].to_vec(),
    };
    // The file is checked as the profile of each language: a problem in
    // one language's text is found at its place, once.
    let mut resolved = Vec::new();
    // Counted as the first language reads the file, which every
    // translated text must have.
    let completeness = first.completeness.clone();
    let mut checked = Some(first);
    for language in &languages {
        let checked = checked
            .take()
            .unwrap_or_else(|| check::check(&read.text, planner.today, Some(language)));
        let mut found = checked.diagnostics;
        let mut uncovered = coverage.check(&checked.places.texts, &mut found);
        let one = checked.profile.map(|profile| {
            let mut at = Resolver {
                places: &checked.places,
                out: &mut found,
            };
            let named = (languages.len() > 1 || profile.output.languages.is_some())
                .then_some(language.as_str());
            resolve(planner, &mut at, profile, &dir, &mut uncovered, named)
        });
        if let Some(Resolved {
            standards: Some(standards),
            ..
        }) = &one
        {
            refuse_boxes(standards, &uncovered, &mut found);
        }
        for diagnostic in found {
            let seen = diagnostics
                .iter()
                .any(|d: &Diagnostic| d.span == diagnostic.span && d.message == diagnostic.message);
            if !seen {
                diagnostics.push(diagnostic);
            }
        }
        resolved.push((one, uncovered));
    }
    let ok = finish(config, &mut diagnostics);
    let report = Report::new(path, read.text, diagnostics);
    let mut plans = Vec::new();
    for (one, uncovered) in resolved {
        // Every problem above left an error, so with none every part resolved.
        let Some(Resolved {
            profile,
            layout: Some((layout, params)),
            locale: Some(locale),
            variants_ok: true,
            photo,
            standards: Some(standards),
            bibliographies,
        }) = one.filter(|_| ok)
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
        plans.push(ProfilePlan {
            path: path.to_owned(),
            dir: dir.clone(),
            sha256: read.sha256,
            profile,
            layout,
            params,
            photo,
            bibliographies,
            anonymize,
            candidate_id,
            stem: stem.to_owned(),
            out_dir: PathBuf::new(),
            name: output_name,
            variants,
            formats,
            standards,
            outputs: Vec::new(),
            name_at: name_at.clone(),
            id_at: id_at.clone(),
            uncovered,
            locale,
            timeline_since,
            installed_fonts: coverage.beyond_base() > needed_before,
            application: None,
            languages: Languages {
                list: languages.clone(),
                completeness: completeness.clone(),
                translations: Default::default(),
            },
        });
    }
    // One person, one candidate id, whatever the language: the first
    // language's (a name written in another script would give another).
    // Each language's plan knows the others' profiles.
    if plans.len() > 1 {
        let id = plans[0].candidate_id.clone();
        for plan in &mut plans {
            plan.candidate_id.clone_from(&id);
        }
        let all: Vec<Profile> = plans.iter().map(|plan| plan.profile.clone()).collect();
        for (i, plan) in plans.iter_mut().enumerate() {
            let others = all.iter().enumerate().filter(|&(j, _)| j != i);
            plan.languages.translations = Arc::new(others.map(|(_, p)| p.clone()).collect());
        }
    }
    let warnings = (!report.diagnostics.is_empty()).then_some(report);
    Ok((plans, warnings))
}

/// The languages a profile lists must be ones cvgen has words for (built
/// in, or a file in the user's layouts folder); an empty list is none.
fn check_languages(planner: &Planner, checked: &check::Checked, out: &mut Vec<Diagnostic>) {
    let Some(at) = checked.languages_at.clone() else {
        return;
    };
    let known: Vec<&str> = planner
        .layouts
        .languages()
        .map(|language| language.code.as_str())
        .collect();
    let listed = checked
        .profile
        .as_ref()
        .and_then(|profile| profile.output.languages.as_ref());
    if listed.is_some_and(Vec::is_empty) {
        out.push(
            Diagnostic::error("`languages` is empty", Some(at.clone()))
                .hint("name the languages the profile is written in: languages = [\"en\", \"de\"]"),
        );
    }
    for code in checked
        .languages
        .iter()
        .filter(|c| !known.contains(&c.as_str()))
    {
        let mut d = Diagnostic::error(format!("unknown language `{code}`"), Some(at.clone()));
        if let Some(close) = did_you_mean(code, known.iter().copied()) {
            d = d.hint(format!("did you mean `{close}`?"));
        }
        out.push(d.hint(format!(
            "languages with words: {} (add one as lang/<code>.toml in your layouts folder)",
            known.join(", ")
        )));
    }
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
    /// The bibliography files read, by path in the profile's folder, with
    /// their hashes.
    bibliographies: Vec<(String, [u8; 32])>,
}

/// Resolves the layout, its parameters and language, the variants, the
/// PDF standards and the photo of a checked profile.
fn resolve(
    planner: &Planner,
    at: &mut Resolver,
    mut profile: Profile,
    dir: &Path,
    uncovered: &mut BTreeSet<char>,
    language: Option<&str>,
) -> Resolved {
    let config = planner.config;
    let mut layout = at.layout(&profile, config, planner.layouts);
    // A profile that lists its languages is made in each: the document's
    // language is that one, whatever `lang` says.
    if let (Some((name, params)), Some(language)) = (&mut layout, language)
        && let Ok(info) = planner.layouts.get(name)
        && info.params.iter().any(|p| p.name == "lang")
    {
        params.insert("lang".into(), Json::String(language.to_owned()));
    }
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
    let bibliographies = locale.as_ref().map_or_else(Vec::new, |locale| {
        publications(&mut profile, at, dir, locale, config)
    });
    Resolved {
        layout,
        locale,
        profile,
        variants_ok,
        photo,
        standards,
        bibliographies,
    }
}

/// Formats the sections' bibliographies in the document's language: the
/// person is known by every spelling of their name the profile gives.
/// Returns the files read, with their hashes.
fn publications(
    profile: &mut Profile,
    at: &mut Resolver,
    dir: &Path,
    locale: &Locale,
    config: &crate::config::RenderConfig,
) -> Vec<(String, [u8; 32])> {
    let basics = &profile.basics;
    let names: Vec<&str> = basics
        .name
        .iter()
        .chain(&basics.other_names)
        .map(String::as_str)
        .collect();
    let years_only = profile.anonymize.years_only || config.anonymize.years_only;
    // Each file is read and parsed once, and a broken one reported once,
    // however many sections select from it.
    let mut files: Vec<(&Path, Option<BibliographyFile>)> = Vec::new();
    let mut formatted = Vec::new();
    for (index, section) in profile.sections.iter().enumerate() {
        let Some(name) = section.bibliography.as_deref() else {
            continue;
        };
        let read = match files.iter().position(|(known, _)| *known == name) {
            Some(known) => known,
            None => {
                files.push((name, at.bibliography_file(index, name, dir)));
                files.len() - 1
            }
        };
        let Some(file) = &files[read].1 else {
            continue;
        };
        let request = bibliography::Request {
            style: section
                .style
                .as_deref()
                .unwrap_or(bibliography::DEFAULT_STYLE),
            keys: &section.keys,
            kinds: &section.kinds,
            order: section.order.unwrap_or_default(),
            names: &names,
            lang: &locale.lang.code,
            candidate: &locale.words.candidate,
            years_only,
        };
        if let Some(publications) = at.publications(index, section, file, &request) {
            formatted.push((index, publications));
        }
    }
    let mut read: Vec<(String, [u8; 32])> = Vec::new();
    for file in files.into_iter().filter_map(|(_, file)| file) {
        if !read.iter().any(|(known, _)| *known == file.relative) {
            read.push((file.relative, file.hash));
        }
    }
    for (index, publications) in formatted {
        profile.sections[index].publications = Some(Arc::new(publications));
    }
    read
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
