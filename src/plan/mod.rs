//! The planning stage: each profile plus the command line, resolved once
//! into a plain plan that later stages only read.
//!
//! For every profile it reads and checks the file, then decides, in one
//! place each: the layout and its parameters (the profile's `[layout]`, then
//! `--set`), the variants, the prepared photo, the anonymization options
//! and candidate id, and the path of every output. Problems become
//! diagnostics at the place in the file they are about; a profile with an
//! error gets no jobs, and the others go on.

//!
//! `resolve` resolves what a profile names (layout, parameters, variants,
//! photo); `outputs` decides and guards the files a run writes; `inputs`
//! finds the profiles.

mod application;
mod glyphs;
mod inputs;
mod outputs;
mod resolve;

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::check;
use crate::config::RenderConfig;
use crate::data::Locale;
use crate::diagnostic::{Diagnostic, Report, line_column};
use crate::error::{ProfileError, SetupError};
use crate::layout::Layouts;
use crate::layout::params::ParamType;
use crate::photo::Photo;
use crate::profile::{self, AnonymizeOptions, Profile};
use crate::standard::Standards;
use crate::typst::fonts::{Fallbacks, Fonts};
use crate::variant::{Variant, anonymize};
pub(crate) use application::ApplicationSource;
use application::plan_application;
use glyphs::Coverage;
use inputs::find_profiles;
use outputs::{refuse_claimed, refuse_collisions};
use resolve::{Resolver, check_settings};

/// Everything a run will do, in a fixed order.
pub(crate) struct Plan {
    pub profiles: Vec<ProfilePlan>,
    /// Jobs, and profiles that failed before they had any, in profile order
    /// (a shard takes every n-th of them).
    pub units: Vec<Unit>,
    /// Warnings of profiles that are rendered all the same.
    pub warnings: Vec<Report>,
    /// Warnings about the run as a whole, said once.
    pub notices: Vec<String>,
    /// The fonts the run uses: the installed ones too only if some profile
    /// needs a font beyond the embedded and `--font-path` ones (a character
    /// they lack, a family they do not have).
    pub fonts: Arc<Fonts>,
}

/// A job to run, or a profile that could not be planned.
pub(crate) enum Unit {
    Job(JobPlan),
    Failed(ProfileFailure),
}

/// Why a profile has no jobs.
#[derive(Debug)]
pub(crate) enum ProfileFailure {
    /// The file could not be read as text.
    Unreadable(ProfileError),
    /// It has errors (or warnings, when they are denied).
    Invalid(Report),
}

impl ProfileFailure {
    pub fn path(&self) -> &Path {
        match self {
            Self::Unreadable(err) => err.path(),
            Self::Invalid(report) => &report.path,
        }
    }
}

/// One profile, resolved: what every job of it reads.
#[derive(Debug)]
pub(crate) struct ProfilePlan {
    /// The file it was read from.
    pub path: PathBuf,
    /// The folder that holds it; files it names resolve here.
    pub dir: PathBuf,
    /// SHA-256 of the file's bytes, for incremental builds.
    pub sha256: [u8; 32],
    pub profile: Profile,
    pub layout: String,
    /// The layout's parameters, checked and converted: defaults, then the
    /// profile's, then the command line's.
    pub params: Map<String, Json>,
    /// The photo, decoded and re-encoded without metadata.
    pub photo: Option<Photo>,
    /// The profile's anonymization options with the command line's added.
    pub anonymize: AnonymizeOptions,
    /// Names the anonymized outputs; a pseudonym, not a secret.
    pub candidate_id: String,
    /// The profile's file name without its extension: names its make
    /// stamp and dependency file.
    pub stem: String,
    /// The folder its documents are written to: the output folder, or for
    /// an application its own folder in it.
    pub out_dir: PathBuf,
    /// What its documents are named (`<name>.pdf`, `<name>-onepage.pdf`).
    pub name: String,
    /// The documents to make.
    pub variants: Vec<Variant>,
    /// The PDF standards they claim.
    pub standards: Standards,
    /// Every file the profile's documents are written to, by variant.
    pub outputs: Vec<(Variant, PathBuf)>,
    /// Where the profile chose its output name and candidate id
    /// (`file:line:col`), for messages about clashes.
    name_at: Option<String>,
    id_at: Option<String>,
    /// Characters of the profile no font draws, already reported at
    /// their fields: a compile's own glyph check leaves them out.
    pub uncovered: BTreeSet<char>,
    /// The document's language, its words and its fallback fonts.
    pub locale: Locale,
    /// Whether its documents can reach an installed font: without, they
    /// print the same whatever the system has.
    pub installed_fonts: bool,
    /// For a job application, where it came from; its `path` is then the
    /// application's file and `dir` its profile's folder.
    pub application: Option<ApplicationSource>,
}

/// One document to make.
#[derive(Debug, Clone)]
pub(crate) struct JobPlan {
    /// Index into [`Plan::profiles`].
    pub profile: usize,
    pub variant: Variant,
    pub output: PathBuf,
}

/// Plans every profile the configuration names.
/// `base` are the embedded and `--font-path` fonts; the installed ones are
/// scanned only if a profile needs them.
pub(crate) fn plan(
    config: &RenderConfig,
    layouts: &Layouts,
    base: Arc<Fonts>,
) -> Result<Plan, SetupError> {
    let paths = find_profiles(&config.inputs)?;
    check_settings(config, layouts)?;
    let out_dir = config
        .write
        .as_ref()
        .map_or_else(PathBuf::new, |write| write.out_dir.clone());
    let today = this_month();
    let installed = config.fonts.system.then_some(&config.fonts);
    let coverage = Coverage::new(base.clone(), installed);
    let mut plan = Plan {
        profiles: Vec::new(),
        units: Vec::new(),
        warnings: Vec::new(),
        notices: Vec::new(),
        fonts: base,
    };
    for path in paths {
        let planned = if is_application(&path) {
            plan_application(&path, config, layouts, &coverage, today, &out_dir)
        } else {
            plan_profile(&path, config, layouts, &coverage, today).map(|(mut profile, warnings)| {
                profile.out_dir.clone_from(&out_dir);
                (profile, warnings.into_iter().collect())
            })
        };
        match planned {
            Ok((mut profile, warnings)) => {
                profile.outputs = profile
                    .variants
                    .iter()
                    .copied()
                    .map(|v| {
                        let file = v.file_name(&profile.name, &profile.candidate_id);
                        (v, profile.out_dir.join(file))
                    })
                    .collect();
                for (variant, output) in &profile.outputs {
                    plan.units.push(Unit::Job(JobPlan {
                        profile: plan.profiles.len(),
                        variant: *variant,
                        output: output.clone(),
                    }));
                }
                plan.profiles.push(profile);
                plan.warnings.extend(warnings);
            }
            Err(failure) => plan.units.push(Unit::Failed(failure)),
        }
    }
    plan.fonts = coverage.fonts()?;
    // Fallback families are those the run's fonts have: known only now.
    for profile in &mut plan.profiles {
        let language = layouts.language_of(&profile.params);
        profile.locale.fonts = Fallbacks::new(plan.fonts.book(), &language.fonts);
    }
    refuse_collisions(&plan.profiles, config, &out_dir)?;
    if config.write.is_some() {
        refuse_claimed(&plan.profiles, &out_dir)?;
    }
    let derived_ids = plan.profiles.iter().any(|profile| {
        profile.profile.anonymize.id.is_none()
            && profile
                .outputs
                .iter()
                .any(|(variant, _)| variant.is_anonymous())
    });
    if derived_ids && config.anon_key.is_none() {
        plan.notices.push(
            "candidate ids are derived without a key: anyone with the list of applicants can \
             recompute them and re-identify the anonymized CVs; set CVGEN_ANON_KEY or \
             --anon-key-file to a secret the organisation keeps"
                .to_owned(),
        );
    }
    if let Some((k, n)) = config.shard {
        plan.units = std::mem::take(&mut plan.units)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % n == k - 1)
            .map(|(_, unit)| unit)
            .collect();
    }
    Ok(plan)
}

/// The variants a profile asks for, already checked by [`plan_profile`].
fn profile_variants(profile: &Profile) -> Vec<Variant> {
    profile
        .output
        .variants
        .as_deref()
        .map_or_else(|| Variant::DEFAULT.to_vec(), Variant::unique)
}

/// A file's name without its extension (which names its outputs and make
/// stamp) and the folder that holds it (where the names it writes resolve).
fn stem_and_dir(path: &Path) -> Result<(&str, PathBuf), ProfileFailure> {
    let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
        return Err(ProfileFailure::Unreadable(ProfileError::BadFileName {
            path: path.to_owned(),
        }));
    };
    // Outputs are named after the stem: `..toml` would write `..pdf`
    // beside the profile's own and `../` above the output folder, and
    // `.cvgen.toml` into cvgen's own folder.
    if stem.is_empty() || stem.starts_with('.') {
        return Err(ProfileFailure::Unreadable(ProfileError::HiddenFileName {
            path: path.to_owned(),
        }));
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    Ok((stem, dir))
}

/// `file:line:col` of a span of a file, for messages that name a place in
/// another file's terms (a clash of outputs).
fn place(path: &Path, text: &str, span: &Option<Range<usize>>) -> Option<String> {
    span.as_ref().map(|span| {
        let (line, column) = line_column(text, span.start);
        format!("{}:{line}:{column}", path.display())
    })
}

/// Whether a file is a job application rather than a profile (it names
/// its profile at the top). An unreadable file counts as a profile, whose
/// planning says what is wrong with it.
fn is_application(path: &Path) -> bool {
    profile::read(path).is_ok_and(|read| check::is_application(&read.text))
}

/// Reads, checks and resolves one profile. Warnings come back beside the
/// plan; with any error (or warning, when denied) the profile fails.
fn plan_profile(
    path: &Path,
    config: &RenderConfig,
    layouts: &Layouts,
    coverage: &Coverage,
    today: (i32, u8),
) -> Result<(ProfilePlan, Option<Report>), ProfileFailure> {
    let read = profile::read(path).map_err(ProfileFailure::Unreadable)?;
    let (stem, dir) = stem_and_dir(path)?;
    let checked = check::check(&read.text, today);
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
        let layout = at.layout(&profile, config, layouts);
        let locale = layout.as_ref().map(|(name, params)| {
            let (locale, words) = locale(name, params, layouts, coverage, &checked.places, at.out);
            uncovered.extend(words);
            locale
        });
        let mut variants_ok = at.variants(&profile);
        let standards = at.standards(&profile, config);
        variants_ok &= standards.is_some();
        if profile_variants(&profile).iter().any(|v| v.is_letter()) {
            at.out.push(
                Diagnostic::error(
                    "a cover letter belongs to a job application, not to a profile",
                    checked.places.variants.clone(),
                )
                .hint("write an application file that names this profile and has a [letter] (see the README)"),
            );
            variants_ok = false;
        }
        let photo = profile
            .basics
            .image
            .as_deref()
            .map(|image| at.photo(image, &dir, config.budget.memory));
        (profile, layout.zip(locale), variants_ok, photo, standards)
    });
    if let Some((_, _, _, _, Some(standards))) = &resolved {
        refuse_boxes(standards, &uncovered, &mut diagnostics);
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let denied = config.deny_warnings && errors == 0 && !diagnostics.is_empty();
    if denied {
        diagnostics.push(Diagnostic::error("warnings are denied", None));
    }
    let report = Report::new(path, read.text, diagnostics);
    // Every problem above left an error, so with none every part resolved.
    let Some((profile, Some(((layout, params), locale)), true, photo, Some(standards))) =
        resolved.filter(|_| errors == 0 && !denied)
    else {
        return Err(ProfileFailure::Invalid(report));
    };
    let photo = photo.flatten();
    // A plain profile makes no letter: the command line's letter variants
    // are for applications (a profile's own list naming them is an error,
    // reported above).
    let variants: Vec<Variant> = match &config.variants {
        Some(variants) => variants
            .iter()
            .copied()
            .filter(|v| !v.is_letter())
            .collect(),
        None => profile_variants(&profile),
    };
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
        standards,
        outputs: Vec::new(),
        name_at,
        id_at,
        uncovered,
        locale,
        installed_fonts: coverage.beyond_base() > needed_before,
        application: None,
    };
    let warnings = (!report.diagnostics.is_empty()).then_some(report);
    Ok((plan, warnings))
}

/// A document claiming a PDF standard cannot print a character as an empty
/// box (PDF/A forbids the missing glyph): the warnings about such
/// characters, at their fields, become a reason to fail.
pub(super) fn refuse_boxes(
    standards: &Standards,
    uncovered: &BTreeSet<char>,
    out: &mut Vec<Diagnostic>,
) {
    let names: Vec<String> = standards.names().iter().map(|n| n.to_string()).collect();
    out.extend(glyphs::fonts_summary(uncovered, &names));
}

/// The document's language under a resolved layout, and the characters of its fixed words no font draws (warned about at
/// the `lang` parameter). Font families the parameters name are noted, for
/// the choice of scanning the system's fonts.
pub(super) fn locale(
    layout: &str,
    params: &Map<String, Json>,
    layouts: &Layouts,
    coverage: &Coverage,
    places: &check::Places,
    out: &mut Vec<Diagnostic>,
) -> (Locale, BTreeSet<char>) {
    if let Ok(info) = layouts.get(layout) {
        for param in info.params.iter().filter(|p| p.ty == ParamType::Font) {
            if let Some(family) = params.get(&param.name).and_then(Json::as_str) {
                coverage.family(family);
            }
        }
    }
    let language = layouts.language_of(params);
    let lang_at = places.layout_params.get("lang");
    let missing = coverage.check_words(language, lang_at.and_then(|p| p.value.clone()), out);
    // Its fallback fonts are chosen once the run's fonts are known (`plan`).
    (Locale::new(language, Fallbacks::default()), missing)
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

/// This month, from the clock: only warnings ("in the future") use it.
pub(crate) fn this_month() -> (i32, u8) {
    let (year, month, _) = crate::calendar::clock_date();
    (year, month)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RenderConfig;

    fn config() -> RenderConfig {
        RenderConfig {
            inputs: Vec::new(),
            jobs: 1,
            layout: None,
            settings: vec![("paper".into(), "us-letter".into())],
            layouts_dir: None,
            fonts: Default::default(),
            source_date_epoch: None,
            variants: None,
            pdf_standards: None,
            anonymize: AnonymizeOptions::default(),
            anon_key: None,
            shard: None,
            deny_warnings: false,
            budget: crate::workers::Budget {
                time: std::time::Duration::from_secs(60),
                memory: u64::MAX,
            },
            ats: false,
            write: None,
        }
    }

    fn planned(text: &str) -> Result<(ProfilePlan, Option<Report>), ProfileFailure> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, text).unwrap();
        let layouts = Layouts::load(None).unwrap();
        let fonts = crate::typst::fonts::Fonts::load(&Default::default()).unwrap();
        let coverage = Coverage::new(std::sync::Arc::new(fonts), None);
        plan_profile(&path, &config(), &layouts, &coverage, (2026, 11))
    }

    #[test]
    fn parameters_resolve_once_profile_then_command_line() {
        let (plan, warnings) = planned(
            "[basics]\nname = \"P\"\n[layout]\nname = \"modern\"\npaper = \"a4\"\nspacing = 0.9\n",
        )
        .unwrap();
        assert!(warnings.is_none());
        assert_eq!(plan.layout, "modern");
        assert_eq!(plan.params["paper"], "us-letter", "--set comes last");
        assert_eq!(plan.params["spacing"], 0.9);
        assert_eq!(plan.params["lang"], "en", "defaults fill the rest");
    }

    #[test]
    fn layout_problems_point_at_their_values() {
        let text = "[basics]\nname = \"P\"\nurl = \"not a url\"\n[layout]\naccent = \"blue\"\npapr = \"a4\"\n";
        let Err(ProfileFailure::Invalid(report)) = planned(text) else {
            panic!("the profile has errors")
        };
        let found: Vec<(&str, &str)> = report
            .diagnostics
            .iter()
            .map(|d| (d.message.as_str(), &text[d.span.clone().unwrap()]))
            .collect();
        assert_eq!(
            found,
            [
                ("`not a url` is not a valid URL", "\"not a url\""),
                (
                    "bad value for layout parameter `accent`: expected colour (#rgb or #rrggbb), found `blue`",
                    "\"blue\""
                ),
                ("layout `classic` has no parameter `papr`", "papr"),
            ]
        );
    }
}
