//! Planning a job application: its profile planned as usual, then cut for
//! the job, with the application's layout, parameters and variants over the
//! profile's own. The profile is planned once however many applications
//! name it, and its problems are reported in its own file, once; the
//! application says at its `profile` line that it could not be made.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::resolve::Resolver;
use super::{
    Planner, ProfileFailure, ProfilePlan, finish, formats, locale, place, refuse_boxes,
    stem_and_dir, timeline_since, variants,
};
use crate::application::{self, Application, Letter, Status};
use crate::calendar::{clock_date, date_of, epoch_seconds};
use crate::check::{self, ApplicationPlaces};
use crate::config::RenderConfig;
use crate::data::{ApplicationData, Locale};
use crate::diagnostic::{Diagnostic, Report, did_you_mean};
use crate::hash::sha256;
use crate::layout::Layouts;
use crate::posting::Terms;
use crate::profile::{self, OutputOptions, PartialDate, Profile, ProfileText};
use crate::standard::Standards;
use crate::variant::Variant;

/// The file an application was made from, beside its profile's.
#[derive(Debug, Clone)]
pub(crate) struct ApplicationSource {
    /// The profile the application builds on.
    pub profile_path: PathBuf,
    pub job: ApplicationData,
    /// Its cover letter, if it has one, and the letter's date (year,
    /// month, day): the one written, else `SOURCE_DATE_EPOCH`'s, else
    /// today's.
    pub letter: Option<(Letter, (i32, u8, u8))>,
    /// The job posting's terms (and the person's keywords), if it has any.
    pub posting: Option<Arc<Terms>>,
    /// The file the posting was read from, a dependency of its documents.
    pub posting_file: Option<PathBuf>,
    /// Where it stands, and when it was sent.
    pub status: Status,
    pub sent: Option<PartialDate>,
    /// Whether it went out: its documents are kept as they were sent.
    pub is_sent: bool,
}

/// The largest posting file read: a job ad is a few kilobytes.
const MAX_POSTING_BYTES: u64 = 256 * 1024;

/// The posting's text, inline or from the file it names beside the
/// application, and that file; a file that cannot be read is an error at
/// the `posting` line.
fn read_posting(
    app: &Application,
    dir: &Path,
    at: Option<std::ops::Range<usize>>,
    out: &mut Vec<Diagnostic>,
) -> Option<(String, Option<PathBuf>)> {
    let value = app.posting.as_deref()?;
    let trimmed = value.trim();
    let names_a_file = !trimmed.contains('\n')
        && [".txt", ".md", ".text"]
            .iter()
            .any(|ext| trimmed.to_lowercase().ends_with(ext));
    if !names_a_file {
        return Some((value.to_owned(), None));
    }
    let path = resolve(dir, Path::new(trimmed));
    let problem = match crate::files::read_limited(&path, MAX_POSTING_BYTES) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => return Some((text, Some(path))),
            Err(_) => format!("the posting `{trimmed}` is not UTF-8 text"),
        },
        Err(crate::files::ReadError::NotAFile) => {
            format!("the posting `{trimmed}` is not a regular file")
        }
        Err(crate::files::ReadError::TooLarge { size }) => format!(
            "the posting `{trimmed}` is {} KB; a posting may be {} KB",
            size / 1024,
            MAX_POSTING_BYTES / 1024
        ),
        Err(crate::files::ReadError::Io(err)) if err.kind() == std::io::ErrorKind::NotFound => {
            format!("the posting `{trimmed}` does not exist")
        }
        Err(crate::files::ReadError::Io(err)) => format!(
            "the posting `{trimmed}` cannot be read: {}",
            crate::error::plain_io(&err)
        ),
    };
    out.push(
        Diagnostic::error(problem, at)
            .hint("name a .txt or .md file relative to this application, or paste the text: posting = \"\"\"...\"\"\""),
    );
    None
}

/// Checks and plans one application: a plan whose `path` is the
/// application's and whose outputs go to `<out>/<application>/`. Its
/// warnings go to the planner's, beside its profile's.
pub(super) fn plan_application(
    planner: &mut Planner,
    path: &Path,
    read: ProfileText,
) -> Result<Option<ProfilePlan>, ProfileFailure> {
    let (_, dir) = stem_and_dir(path)?;
    let checked = check::check_application(&read.text);
    let mut diagnostics = checked.diagnostics;
    let fail =
        |diagnostics| ProfileFailure::Invalid(Report::new(path, read.text.clone(), diagnostics));
    let Some(app) = checked
        .application
        .filter(|_| !diagnostics.iter().any(Diagnostic::is_error))
    else {
        return Err(fail(diagnostics));
    };
    let places = checked.places;
    let base = match profile_of(planner, &dir, &app, &places) {
        Ok(base) => base,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return Err(fail(diagnostics));
        }
    };
    let posting = read_posting(&app, &dir, places.posting.clone(), &mut diagnostics);
    let tailored = application::tailor(&base.profile, &app.tailor);
    check_tags(&base.profile, &places, &tailored, &mut diagnostics);
    let coverage = &planner.coverage;
    let needed_before = coverage.beyond_base();
    let mut uncovered = coverage.check(&places.layout.texts, &mut diagnostics);
    let pseudo = Profile {
        layout: merged_layout(&app, &base, planner.layouts),
        output: app.output.clone(),
        ..Profile::default()
    };
    let config = planner.config;
    let mut at = Resolver {
        places: &places.layout,
        out: &mut diagnostics,
    };
    let layout = at.layout(&pseudo, config, planner.layouts);
    let variants_ok = at.variants(&pseudo);
    let standards = match (&config.pdf_standards, &app.output.pdf_standards) {
        (None, None) => Some(base.standards.clone()),
        _ => at.standards(&pseudo, config),
    };
    let layouts = planner.layouts;
    let locale = layout.as_ref().map(|(name, params)| {
        let (locale, words) = locale(name, params, layouts, coverage, &places.layout, at.out);
        uncovered.extend(words);
        locale
    });
    check_letters(planner, &app, &places, layout.as_ref(), &mut diagnostics);
    if let Some(standards) = &standards {
        refuse_boxes(standards, &uncovered, &mut diagnostics);
    }
    let failed = !finish(config, &mut diagnostics);
    let report = Report::new(path, read.text.clone(), diagnostics);
    let (Some((layout, params)), Some(locale), true, false, Some(standards)) =
        (layout, locale, variants_ok, failed, standards)
    else {
        return Err(ProfileFailure::Invalid(report));
    };
    uncovered.extend(base.uncovered.iter().copied());
    let resolved = Resolved {
        layout,
        params,
        locale,
        standards,
        uncovered,
        installed_fonts: base.installed_fonts || coverage.beyond_base() > needed_before,
        name_at: place(path, &read.text, &places.layout.output_name),
    };
    let mut plan = tailored_plan(planner, path, &read, &app, base, tailored.profile, resolved);
    if let Some(source) = &mut plan.application {
        if let Some((text, file)) = posting {
            let terms = Terms::read_for(&text, &app.keywords, &plan.locale.lang.code, &app.company);
            source.posting = Some(Arc::new(terms));
            source.posting_file = file;
        } else if !app.keywords.is_empty() {
            source.posting = Some(Arc::new(Terms::read(
                "",
                &app.keywords,
                &plan.locale.lang.code,
            )));
        }
        // A posting file is an input of the documents (fitting follows it).
        if let Some(file) = &source.posting_file
            && let Ok(bytes) = std::fs::read(file)
        {
            plan.sha256 = sha256(&[plan.sha256, sha256(&bytes)].concat());
        }
    }
    // `cvgen check` compares the posting with the one page too.
    if planner.config.write.is_none()
        && plan.posting().is_some()
        && !plan.variants.contains(&Variant::OnePage)
    {
        plan.variants.push(Variant::OnePage);
    }
    if !report.diagnostics.is_empty() {
        planner.warnings.push(report);
    }
    Ok(Some(plan))
}

/// What the application resolved over its profile.
struct Resolved {
    layout: String,
    params: serde_json::Map<String, serde_json::Value>,
    locale: Locale,
    standards: Standards,
    uncovered: BTreeSet<char>,
    installed_fonts: bool,
    name_at: Option<String>,
}

/// The plan of an application: its profile's, tailored and resolved for
/// the job, writing into a folder of its own.
fn tailored_plan(
    planner: &Planner,
    path: &Path,
    read: &ProfileText,
    app: &Application,
    base: ProfilePlan,
    tailored: Profile,
    resolved: Resolved,
) -> ProfilePlan {
    // A name stem_and_dir accepted: UTF-8, not hidden.
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    ProfilePlan {
        path: path.to_owned(),
        sha256: sha256(&[read.sha256, base.sha256].concat()),
        layout: resolved.layout,
        params: resolved.params,
        // In a folder of their own: no profile's stem names a folder, so a
        // profile `application-x.toml` cannot meet application `x.toml`.
        stem: format!("applications/{stem}"),
        out_dir: planner.out_dir.join(stem),
        name: app
            .output
            .name
            .clone()
            .or_else(|| base.profile.output.name.clone())
            .unwrap_or_else(|| base.stem.clone()),
        outputs: Vec::new(),
        name_at: resolved.name_at,
        uncovered: resolved.uncovered,
        locale: resolved.locale,
        timeline_since: match app.output.timeline_years {
            Some(years) => timeline_since(planner.config, Some(years)),
            None => base.timeline_since,
        },
        installed_fonts: resolved.installed_fonts,
        variants: variants(
            planner.config,
            app.output.variants.as_deref(),
            Some((&base.profile, app.letter.is_some())),
        ),
        formats: formats(
            planner.config,
            app.output
                .formats
                .as_deref()
                .or(base.profile.output.formats.as_deref()),
        ),
        standards: resolved.standards,
        application: Some(ApplicationSource {
            profile_path: base.path.clone(),
            job: ApplicationData {
                company: app.company.clone(),
                position: app.position.clone(),
            },
            letter: app.letter.clone().map(|letter| {
                let date = letter_date(&letter, planner.config);
                (letter, date)
            }),
            posting: None,
            posting_file: None,
            status: app.status(),
            sent: app.sent,
            is_sent: app.is_sent(),
        }),
        profile: Profile {
            output: OutputOptions {
                variants: app
                    .output
                    .variants
                    .clone()
                    .or(base.profile.output.variants.clone()),
                name: app.output.name.clone(),
                pdf_standards: None,
                timeline_years: app
                    .output
                    .timeline_years
                    .or(base.profile.output.timeline_years),
                formats: app
                    .output
                    .formats
                    .clone()
                    .or(base.profile.output.formats.clone()),
                languages: None,
            },
            ..tailored
        },
        ..base
    }
}

/// The plan of the profile an application names, or the error to show at
/// its `profile` line. A profile with problems of its own is reported
/// under its own file, once.
fn profile_of(
    planner: &mut Planner,
    dir: &Path,
    app: &Application,
    places: &ApplicationPlaces,
) -> Result<ProfilePlan, Diagnostic> {
    let profile_path = resolve(dir, &app.profile);
    let named = app.profile.display();
    let at = places.profile.clone();
    let problem = if app.profile.extension().is_none_or(|e| e != "toml") {
        Some(format!("the profile `{named}` is not a .toml file"))
    } else {
        match std::fs::metadata(&profile_path) {
            Ok(meta) if meta.is_file() => None,
            Ok(_) => Some(format!(
                "the profile `{named}` is not a regular file (a folder, pipe or device)"
            )),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Some(format!("the profile `{named}` does not exist"))
            }
            Err(err) => Some(format!(
                "the profile `{named}` cannot be read: {}",
                crate::error::plain_io(&err)
            )),
        }
    };
    if let Some(problem) = problem {
        return Err(Diagnostic::error(problem, at)
            .hint("name the profile relative to this file: profile = \"../input/you.toml\""));
    }
    let known = planner.known(&profile_path).cloned();
    if let Some(Some(plans)) = known {
        return in_language(plans, app, places);
    }
    // A file that is not a profile at all (a `.toml` of something else) is
    // reported without its lines: they may be anyone's secrets.
    let read = profile::read(&profile_path);
    if let Some(problem) = read
        .as_ref()
        .ok()
        .and_then(|read| not_a_profile(&read.text))
    {
        return Err(Diagnostic::error(
            format!("`{named}` is not a cvgen profile ({problem}); its contents are not shown"),
            at,
        )
        .hint("an application names a profile: a file with [basics] and [[section]] tables"));
    }
    let planned = match known {
        Some(_) => None,
        None => planner.profile(&profile_path, read),
    };
    let plans = planned.ok_or_else(|| {
        Diagnostic::error(
            format!("the profile `{named}` has errors, reported under its own file"),
            at,
        )
        .hint("fix the profile; the application is made with it")
    })?;
    in_language(plans, app, places)
}

/// The profile's plan in the application's language: the one it names,
/// else the profile's first.
fn in_language(
    plans: Vec<ProfilePlan>,
    app: &Application,
    places: &ApplicationPlaces,
) -> Result<ProfilePlan, Diagnostic> {
    let Some(wanted) = &app.language else {
        return plans.into_iter().next().ok_or_else(|| {
            Diagnostic::error("the profile has no language", places.profile.clone())
        });
    };
    let languages: Vec<String> = plans.iter().map(|p| p.language().to_owned()).collect();
    plans
        .into_iter()
        .find(|plan| plan.language() == wanted)
        .ok_or_else(|| {
            let mut d = Diagnostic::error(
                format!(
                    "the profile is not written in `{wanted}`; its languages: {}",
                    languages.join(", ")
                ),
                places.language.clone(),
            );
            if let Some(close) = did_you_mean(wanted, languages.iter().map(String::as_str)) {
                d = d.hint(format!("did you mean `{close}`?"));
            }
            d.hint("list the language in the profile's [output] languages, with its translations")
        })
}

/// The application's layout over the profile's: the profile's parameters
/// that the layout chosen here also has, then the application's.
fn merged_layout(app: &Application, base: &ProfilePlan, layouts: &Layouts) -> toml::Table {
    let target = match app.layout.get("name") {
        Some(toml::Value::String(name)) => name.clone(),
        _ => base.layout.clone(),
    };
    let mut merged = toml::Table::new();
    merged.insert("name".into(), toml::Value::String(target.clone()));
    if let Ok(info) = layouts.get(&target) {
        for (key, value) in base.profile.layout.iter() {
            if info.params.iter().any(|p| &p.name == key) {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    // The profile's plan in the application's language: its documents'.
    if let Ok(info) = layouts.get(&target)
        && info.params.iter().any(|p| p.name == "lang")
    {
        merged.insert(
            "lang".into(),
            toml::Value::String(base.language().to_owned()),
        );
    }
    for (key, value) in app.layout.iter().filter(|(k, _)| k.as_str() != "name") {
        merged.insert(key.clone(), value.clone());
    }
    merged
}

/// A letter that render would make (the application's, and the command
/// line's, whatever this run makes: `cvgen check` makes only the long
/// version) needs a `[letter]` and a layout that sets letters.
fn check_letters(
    planner: &Planner,
    app: &Application,
    places: &ApplicationPlaces,
    layout: Option<&(String, serde_json::Map<String, serde_json::Value>)>,
    out: &mut Vec<Diagnostic>,
) {
    let letters = |list: Option<&[Variant]>| list.is_some_and(|l| l.iter().any(|v| v.is_letter()));
    let own_letters = match &app.output.variants {
        Some(own) => letters(Some(own)),
        None => app.letter.is_some(),
    };
    if !own_letters && !letters(planner.config.variants.as_deref()) {
        return;
    }
    if app.letter.is_none() {
        out.push(
            Diagnostic::error(
                "a cover letter is asked for, but the application has no [letter]",
                places.layout.variants.clone(),
            )
            .hint("add [letter] with at least body = \"...\", or leave out `letter` and `anon-letter`"),
        );
    }
    if let Some((name, _)) = layout
        && planner.layouts.get(name).is_ok_and(|info| !info.letters)
    {
        out.push(
            Diagnostic::error(
                format!("layout `{name}` does not set cover letters"),
                places.layout.layout_name.clone(),
            )
            .hint("the built-in layouts do; a user layout says so with a `// @letters` line and prints `cv.letter` (see layouts/README.md)"),
        );
    }
}

/// A letter's date: the one it gives, else `SOURCE_DATE_EPOCH`'s, else
/// today's (a letter is dated the day it is written; give `date` to keep
/// one fixed).
fn letter_date(letter: &Letter, config: &RenderConfig) -> (i32, u8, u8) {
    if let Some(date) = &letter.date {
        return (date.year, date.month.unwrap_or(1), date.day.unwrap_or(1));
    }
    match epoch_seconds(config.source_date_epoch.as_deref()) {
        Some(seconds) => date_of(seconds),
        None => clock_date(),
    }
}

/// The profile an application names, relative to the application's
/// folder, as the file system resolves it (through symlinked folders, as
/// make and `cat` do): named with `folder/..` pairs taken out where that
/// is the same file, as messages and make rules read best.
fn resolve(dir: &Path, profile: &Path) -> PathBuf {
    let joined = dir.join(profile);
    let short = lexical(&joined);
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if short == joined || same(&short, &joined) {
        short
    } else {
        joined
    }
}

/// Why a file is no cvgen profile, if it is none: TOML that does not
/// parse, or tables a profile does not have. Says where, never what.
fn not_a_profile(text: &str) -> Option<String> {
    const TABLES: &[&str] = &["basics", "layout", "section", "output", "anonymize"];
    match text.parse::<toml::Table>() {
        Err(err) => {
            let at = err.span().map(|span| {
                let (line, column) = crate::diagnostic::line_column(text, span.start);
                format!(" at line {line}, column {column}")
            });
            Some(format!("it is not TOML{}", at.unwrap_or_default()))
        }
        Ok(table) if table.contains_key("profile") => {
            Some("it is an application; name the profile it names".to_owned())
        }
        Ok(table) if table.keys().any(|key| !TABLES.contains(&key.as_str())) => {
            Some("it has tables and keys a profile does not have".to_owned())
        }
        Ok(_) => None,
    }
}

/// The path with `folder/..` pairs taken out, without asking the file
/// system (`applications/../input/a.toml` is `input/a.toml`).
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for component in path.components() {
        match (component, out.last()) {
            (Component::ParentDir, Some(Component::Normal(_))) => {
                out.pop();
            }
            (Component::CurDir, Some(_)) => {}
            _ => out.push(component),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// Tags the profile never uses (a typo, most likely), section names it does
/// not have, and sections the filter left empty.
fn check_tags(
    profile: &Profile,
    places: &ApplicationPlaces,
    tailored: &application::Tailored,
    out: &mut Vec<Diagnostic>,
) {
    let known = application::profile_tags(profile);
    for (tag, at) in &places.tags {
        if known.contains(tag) {
            continue;
        }
        let mut d = Diagnostic::error(
            format!("the profile has nothing tagged `{tag}`"),
            Some(at.clone()),
        );
        if let Some(close) = did_you_mean(tag, known.iter().map(String::as_str)) {
            d = d.hint(format!("did you mean `{close}`?"));
        }
        let listed: Vec<&str> = known.iter().map(String::as_str).collect();
        out.push(d.hint(if listed.is_empty() {
            "the profile tags nothing: add tags = [\"...\"] to its sections, entries or bullets"
                .to_owned()
        } else {
            format!("its tags: {}", listed.join(", "))
        }));
    }
    for name in &tailored.unknown_sections {
        let at = places
            .sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, at)| at.clone());
        let headings: Vec<&str> = profile.sections.iter().map(|s| s.heading()).collect();
        let mut d = Diagnostic::error(format!("the profile has no section `{name}`"), at);
        if let Some(close) = did_you_mean(name, headings.iter().copied()) {
            d = d.hint(format!("did you mean `{close}`?"));
        }
        out.push(d.hint("name a section by its title or its kind (work, education, ...)"));
    }
    for heading in &tailored.emptied {
        out.push(
            Diagnostic::warning(
                format!("the tag filter leaves nothing of section `{heading}`; it is left out"),
                places.tailor.clone(),
            )
            .hint("tag some of its content with a tag this application keeps, or leave it out on purpose"),
        );
    }
    // A CV of a header alone is no CV: say so rather than write one.
    if !profile.sections.is_empty() && tailored.profile.sections.is_empty() {
        out.push(
            Diagnostic::error(
                "the tailoring leaves no section of the CV: only its header would print",
                places.tailor.clone(),
            )
            .hint("keep tags the profile uses, or exclude less"),
        );
    }
}
