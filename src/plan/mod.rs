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
mod one_profile;
mod outputs;
mod resolve;

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::calendar::{clock_date, date_of, epoch_seconds};
use crate::check;
use crate::config::RenderConfig;
use crate::data::Locale;
use crate::diagnostic::{Diagnostic, Report, line_column};
use crate::error::{ProfileError, SetupError};
use crate::layout::Layouts;
use crate::layout::params::ParamType;
use crate::output::Formats;
use crate::photo::Photo;
use crate::profile::{self, AnonymizeOptions, OutputFormat, Profile, ProfileText};
use crate::standard::Standards;
use crate::typst::fonts::{Fallbacks, Fonts};
use crate::variant::Variant;
pub(crate) use application::ApplicationSource;
use application::plan_application;
use glyphs::Coverage;
pub(crate) use inputs::find_profiles;
use one_profile::plan_profile;
use outputs::{refuse_claimed, refuse_collisions};
use resolve::check_settings;

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
#[derive(Debug, Clone)]
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
    /// The bibliography files its sections read, by path in its folder,
    /// with their hashes: what its documents depend on beyond the profile.
    pub bibliographies: Vec<(String, [u8; 32])>,
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
    /// What is written for each: PDF, previews, Word, text, Markdown.
    pub formats: Formats,
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
    /// Since when (year, month) positions and degrees are the one page's
    /// timeline: `[output] timeline_years` back from this month.
    pub timeline_since: (i32, u8),
    /// Whether its documents can reach an installed font: without, they
    /// print the same whatever the system has.
    pub installed_fonts: bool,
    /// For a job application, where it came from; its `path` is then the
    /// application's file and `dir` its profile's folder.
    pub application: Option<ApplicationSource>,
    /// The languages of the profile this plan is one language of.
    pub languages: Languages,
}

/// The languages a profile is made in; each has a plan of its own.
#[derive(Debug, Clone, Default)]
pub(crate) struct Languages {
    /// Every language the profile is made in, its first first.
    pub list: Vec<String>,
    /// How many of its texts are translated, per language.
    pub completeness: check::Completeness,
    /// The profile in each of its other languages (anonymized variants
    /// search each language's personal data).
    pub translations: Arc<Vec<Profile>>,
}

impl Languages {
    /// Whether file names say the language: a profile made in several.
    pub fn in_file_names(&self) -> bool {
        self.list.len() > 1
    }
}

impl ProfilePlan {
    /// The document's language: the language file's code.
    pub fn language(&self) -> &str {
        &self.locale.lang.code
    }

    /// For an application with a job posting, the posting's terms.
    pub fn posting(&self) -> Option<&crate::posting::Terms> {
        self.application.as_ref().and_then(|a| a.posting.as_deref())
    }
}

/// One document to make: a source (a profile or an application), what
/// is made of it, and the file it is written to.
#[derive(Debug, Clone)]
pub(crate) struct JobPlan {
    /// Index into [`Plan::profiles`].
    pub profile: usize,
    pub document: Document,
    pub output: PathBuf,
}

/// What a job makes of its source: a variant, in a language, as a kind of
/// file. A run makes each source's variants in its one language, as PDF;
/// the axes are here so that more languages and formats are more values,
/// not more places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document {
    pub variant: Variant,
    /// The language file's code (`en`, `zh-TW`).
    pub language: String,
    pub format: DocumentFormat,
}

/// The kind of file a job writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocumentFormat {
    /// A PDF (and, if asked, its pages as PNG previews).
    Pdf,
}

impl DocumentFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
        }
    }
}

/// Messages name a document by its variant: a run has one language and
/// one format per source.
impl std::fmt::Display for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.variant.fmt(f)
    }
}

/// What planning every file of a run shares, and the profiles planned so
/// far: an application and the run itself share one plan of a profile.
pub(super) struct Planner<'a> {
    pub config: &'a RenderConfig,
    pub layouts: &'a Layouts,
    pub coverage: Coverage<'a>,
    /// This month, for warnings about dates "in the future".
    pub today: (i32, u8),
    /// Where the run writes (empty in a run that writes nothing).
    pub out_dir: PathBuf,
    /// Every profile planned so far, by its file as the file system
    /// resolves it: a plan per language, or `None` for one that failed.
    planned: HashMap<PathBuf, Option<Vec<ProfilePlan>>>,
    /// What the run reports about the profiles as it plans them.
    pub warnings: Vec<Report>,
    pub failures: Vec<ProfileFailure>,
}

impl<'a> Planner<'a> {
    /// A planner for a run; `base` are the embedded and `--font-path`
    /// fonts.
    fn new(config: &'a RenderConfig, layouts: &'a Layouts, base: Arc<Fonts>) -> Self {
        let installed = config.fonts.system.then_some(&config.fonts);
        Planner {
            config,
            layouts,
            coverage: Coverage::new(base, installed),
            today: this_month(),
            out_dir: config
                .write
                .as_ref()
                .map_or_else(PathBuf::new, |write| write.out_dir.clone()),
            planned: HashMap::new(),
            warnings: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// The key a profile is known by: its file as the file system resolves
    /// it, so that `input/a.toml` and `applications/../input/a.toml` meet.
    fn key(path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
    }

    /// What became of the profile at `path`, if it was planned: its plans,
    /// or `None` if it failed.
    fn known(&self, path: &Path) -> Option<&Option<Vec<ProfilePlan>>> {
        self.planned.get(&Self::key(path))
    }

    /// The plans of the profile at `path` (one per language), planned the
    /// first time they are asked for; its warnings, or why it failed, are
    /// kept to be reported once (`None` then, and every later time).
    fn profile(
        &mut self,
        path: &Path,
        read: Result<ProfileText, ProfileError>,
    ) -> Option<Vec<ProfilePlan>> {
        if let Some(known) = self.known(path) {
            return known.clone();
        }
        let planned = read
            .map_err(ProfileFailure::Unreadable)
            .and_then(|read| plan_profile(self, path, read));
        let planned = match planned {
            Ok((plan, warnings)) => {
                self.warnings.extend(warnings);
                Some(plan)
            }
            Err(failure) => {
                self.failures.push(failure);
                None
            }
        };
        self.planned.insert(Self::key(path), planned.clone());
        planned
    }
}

/// Plans every profile the configuration names, each once. `base` are the
/// embedded and `--font-path` fonts; the installed ones are scanned only if
/// a profile needs them.
pub(crate) fn plan(
    config: &RenderConfig,
    layouts: &Layouts,
    base: Arc<Fonts>,
) -> Result<Plan, SetupError> {
    let paths = find_profiles(&config.inputs)?;
    check_settings(config, layouts)?;
    let mut planner = Planner::new(config, layouts, base);
    let mut profiles = Vec::new();
    let mut units = Vec::new();
    // Sources --lang leaves without a document, said once each.
    let mut skipped = Vec::new();
    for path in paths {
        // Each file is read once, and what it is found from its text.
        let planned = match profile::read(&path) {
            Ok(read) if check::is_application(&read.text) => {
                plan_application(&mut planner, &path, read).map(|plan| plan.map(|p| vec![p]))
            }
            read => Ok(planner.profile(&path, read).map(|mut plans| {
                for profile in &mut plans {
                    profile.path.clone_from(&path);
                    profile.out_dir.clone_from(&planner.out_dir);
                }
                plans
            })),
        };
        // What failed while planning this file (the file, or the profile
        // an application names) is reported in its place.
        units.extend(planner.failures.drain(..).map(Unit::Failed));
        let chosen = |plan: &ProfilePlan| {
            config
                .languages
                .as_ref()
                .is_none_or(|only| only.iter().any(|code| code == plan.language()))
        };
        match planned {
            Ok(Some(plans)) => {
                if let (Some(only), false) = (&config.languages, plans.iter().any(chosen)) {
                    let theirs: Vec<&str> = plans.iter().map(ProfilePlan::language).collect();
                    skipped.push(format!(
                        "{}: nothing is made in {} (--lang); it is written in {}",
                        path.display(),
                        only.join(", "),
                        theirs.join(", ")
                    ));
                }
                for mut profile in plans.into_iter().filter(chosen) {
                    profile.outputs = outputs(&profile);
                    units.extend(profile.outputs.iter().map(|(variant, output)| {
                        Unit::Job(JobPlan {
                            profile: profiles.len(),
                            document: Document {
                                variant: *variant,
                                language: profile.locale.lang.code.clone(),
                                format: DocumentFormat::Pdf,
                            },
                            output: output.clone(),
                        })
                    }));
                    profiles.push(profile);
                }
            }
            Ok(None) => {}
            Err(failure) => units.push(Unit::Failed(failure)),
        }
    }
    let fonts = planner.coverage.fonts()?;
    // Fallback families are those the run's fonts have: known only now.
    for profile in &mut profiles {
        let language = layouts.language_of(&profile.params);
        profile.locale.fonts = Fallbacks::new(fonts.book(), &language.fonts);
    }
    let out_dir = &planner.out_dir;
    refuse_collisions(&profiles, config, out_dir)?;
    if config.write.is_some() {
        refuse_claimed(&profiles, out_dir)?;
    }
    if let Some((k, n)) = config.shard {
        units = units
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % n == k - 1)
            .map(|(_, unit)| unit)
            .collect();
    }
    Ok(Plan {
        notices: notices(config, &profiles)
            .into_iter()
            .chain(skipped)
            .collect(),
        profiles,
        units,
        warnings: planner.warnings,
        fonts,
    })
}

/// The file each of a profile's documents is written to.
fn outputs(profile: &ProfilePlan) -> Vec<(Variant, PathBuf)> {
    let language = profile
        .languages
        .in_file_names()
        .then(|| profile.language());
    let file = |v: Variant| {
        profile
            .out_dir
            .join(v.file_name(&profile.name, &profile.candidate_id, language))
    };
    profile.variants.iter().map(|&v| (v, file(v))).collect()
}

/// Warnings about the run as a whole.
fn notices(config: &RenderConfig, profiles: &[ProfilePlan]) -> Vec<String> {
    let derived_ids = profiles.iter().any(|profile| {
        profile.profile.anonymize.id.is_none()
            && profile
                .outputs
                .iter()
                .any(|(variant, _)| variant.is_anonymous())
    });
    if derived_ids && config.anon_key.is_none() {
        return vec![
            "candidate ids are derived without a key: anyone with the list of applicants can \
             recompute them and re-identify the anonymized CVs; set CVGEN_ANON_KEY or \
             --anon-key-file to a secret the organisation keeps"
                .to_owned(),
        ];
    }
    Vec::new()
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

/// Since when (year, month) positions and degrees are the one page's
/// timeline: `years` (default 10) back from this month, or from
/// `SOURCE_DATE_EPOCH`'s. The month is part of a one-page output's key.
pub(super) fn timeline_since(config: &RenderConfig, years: Option<u8>) -> (i32, u8) {
    let (year, month, _) = match epoch_seconds(config.source_date_epoch.as_deref()) {
        Some(seconds) => date_of(seconds),
        None => clock_date(),
    };
    let years = i32::from(years.unwrap_or(crate::profile::TIMELINE_YEARS));
    (year - years, month)
}

/// Whether a file with these diagnostics may be made: it has no error,
/// and no warning when warnings are denied (which then adds the error).
pub(super) fn finish(config: &RenderConfig, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let errors = diagnostics.iter().any(Diagnostic::is_error);
    let denied = config.deny_warnings && !errors && !diagnostics.is_empty();
    if denied {
        diagnostics.push(Diagnostic::error("warnings are denied", None));
    }
    !errors && !denied
}

/// What a file's documents are written as, decided here only: the
/// command line's formats, else the file's own `[output] formats`, else a
/// PDF.
pub(super) fn formats(config: &RenderConfig, own: Option<&[OutputFormat]>) -> Formats {
    if let Some(formats) = config.write.as_ref().and_then(|w| w.formats) {
        return formats;
    }
    let Some(own) = own.filter(|own| !own.is_empty()) else {
        return Formats::default();
    };
    let has = |f: OutputFormat| own.contains(&f);
    Formats {
        pdf: has(OutputFormat::Pdf),
        png: has(OutputFormat::Png),
        docx: has(OutputFormat::Docx),
        txt: has(OutputFormat::Txt),
        md: has(OutputFormat::Md),
    }
}

/// The variants a file makes, decided here only: the command line's, else
/// the file's own `[output] variants`, else the defaults. A plain profile
/// makes no letter (the command line's letters are for applications); an
/// application that inherits its profile's list adds its letter, and the
/// letter's anonymized twin beside an anonymized CV.
pub(super) fn variants(
    config: &RenderConfig,
    own: Option<&[Variant]>,
    application: Option<(&Profile, bool)>,
) -> Vec<Variant> {
    let listed =
        |list: Option<&[Variant]>| list.map_or_else(|| Variant::DEFAULT.to_vec(), Variant::unique);
    let Some((profile, has_letter)) = application else {
        return match &config.variants {
            Some(variants) => variants
                .iter()
                .copied()
                .filter(|v| !v.is_letter())
                .collect(),
            None => listed(own),
        };
    };
    if let Some(variants) = config.variants.clone().or(own.map(Variant::unique)) {
        return variants;
    }
    let mut variants = listed(profile.output.variants.as_deref());
    if has_letter {
        variants.push(Variant::Letter);
        if variants.iter().any(|v| v.is_anonymous()) {
            variants.push(Variant::AnonLetter);
        }
    }
    variants
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
            languages: None,
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
        planned_all(text).map(|(mut plans, warnings)| (plans.remove(0), warnings))
    }

    fn planned_all(text: &str) -> Result<(Vec<ProfilePlan>, Option<Report>), ProfileFailure> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, text).unwrap();
        let layouts = Layouts::load(None).unwrap();
        let fonts = crate::typst::fonts::Fonts::load(&Default::default()).unwrap();
        let config = config();
        let mut planner = Planner::new(&config, &layouts, Arc::new(fonts));
        planner.today = (2026, 11);
        let read = profile::read(&path).unwrap();
        plan_profile(&planner, &path, read)
    }

    #[test]
    fn the_timeline_window_counts_back_from_the_run_s_month() {
        let mut config = config();
        config.source_date_epoch = Some("1793491200".into()); // 2026-11-01
        assert_eq!(timeline_since(&config, None), (2016, 11));
        assert_eq!(timeline_since(&config, Some(3)), (2023, 11));
        // Without SOURCE_DATE_EPOCH, the clock's month: a window that
        // reaches back from this year, not from a fixed date.
        config.source_date_epoch = None;
        let (year, _) = timeline_since(&config, Some(0));
        assert!(year >= 2026, "{year}");
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
    fn a_profile_in_two_languages_has_a_plan_in_each() {
        let text = "[basics]\nname = \"P\"\nlabel = { en = \"Engineer\", de = \"Ingenieurin\" }\n\
                    [output]\nlanguages = [\"en\", \"de\"]\n";
        let (plans, warnings) = planned_all(text).unwrap();
        assert!(warnings.is_none());
        let langs: Vec<(&str, Option<&str>)> = plans
            .iter()
            .map(|p| (p.language(), p.profile.basics.label.as_deref()))
            .collect();
        assert_eq!(
            langs,
            [("en", Some("Engineer")), ("de", Some("Ingenieurin"))]
        );
        assert_eq!(plans[1].params["lang"], "de");
        assert_eq!(plans[1].locale.words.titles["work"], "Berufserfahrung");
        assert!(plans.iter().all(|p| p.languages.in_file_names()));
        assert_eq!(
            plans[1].languages.translations[0].basics.label.as_deref(),
            Some("Engineer")
        );
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
