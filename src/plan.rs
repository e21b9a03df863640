//! The planning stage: each profile plus the command line, resolved once
//! into a plain plan that later stages only read.
//!
//! For every profile it reads and checks the file, then decides, in one
//! place each: the layout and its parameters (the profile's `[layout]`, then
//! `--set`), the variants, the prepared photo, the anonymization options
//! and candidate id, and the path of every output. Problems become
//! diagnostics at the place in the file they are about; a profile with an
//! error gets no jobs, and the others go on.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use crate::check::{self, ParamPlace, Places};
use crate::config::RenderConfig;
use crate::diagnostic::{Diagnostic, Report, did_you_mean, line_column};
use crate::error::{ConfigError, LayoutError, ProfileError};
use crate::files::{ReadError, read_limited};
use crate::layout::params::{self, SetError, SetValue};
use crate::layout::{DEFAULT_LAYOUT, LayoutInfo, Layouts};
use crate::photo::Photo;
use crate::profile::{self, AnonymizeOptions, Profile};
use crate::variant::{Variant, anonymize};

/// Everything a run will do, in a fixed order.
pub(crate) struct Plan {
    pub profiles: Vec<ProfilePlan>,
    /// Jobs, and profiles that failed before they had any, in profile order
    /// (a shard takes every n-th of them).
    pub units: Vec<Unit>,
    /// Warnings of profiles that are rendered all the same.
    pub warnings: Vec<Report>,
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
    /// Every file the profile's documents are written to, by variant.
    pub outputs: Vec<(Variant, PathBuf)>,
    /// Where the profile chose its output name and candidate id
    /// (`file:line:col`), for messages about clashes.
    name_at: Option<String>,
    id_at: Option<String>,
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
pub(crate) fn plan(config: &RenderConfig, layouts: &Layouts) -> Result<Plan, ConfigError> {
    let paths = find_profiles(&config.inputs)?;
    check_settings(config, layouts)?;
    let out_dir = config
        .write
        .as_ref()
        .map_or_else(PathBuf::new, |write| write.out_dir.clone());
    let today = this_month();
    let mut plan = Plan {
        profiles: Vec::new(),
        units: Vec::new(),
        warnings: Vec::new(),
    };
    for path in paths {
        match plan_profile(&path, config, layouts, today) {
            Ok((mut profile, warnings)) => {
                let variants = match &config.variants {
                    Some(variants) => variants.clone(),
                    None => profile_variants(&profile.profile),
                };
                let name = profile
                    .profile
                    .output
                    .name
                    .clone()
                    .unwrap_or_else(|| profile.stem.clone());
                profile.outputs = variants
                    .into_iter()
                    .map(|v| (v, out_dir.join(v.file_name(&name, &profile.candidate_id))))
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
    refuse_collisions(&plan.profiles, config, &out_dir)?;
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

/// Refuses, once for the whole run, a `--layout` that does not exist and a
/// `--set` that cannot apply to any profile: one whose name no layout
/// declares, or, with `--layout`, one its layout refuses. What depends on a
/// profile's own layout is checked per profile.
fn check_settings(config: &RenderConfig, layouts: &Layouts) -> Result<(), ConfigError> {
    let forced = config
        .layout
        .as_deref()
        .map(|name| layouts.get(name))
        .transpose()?;
    for (key, value) in &config.settings {
        match forced {
            Some(info) => {
                if let Err(err) = params::set(&info.params, key, SetValue::Text(value)) {
                    return Err(command_line_param(info, key, err).into());
                }
            }
            None => {
                let declaring: Vec<&LayoutInfo> = layouts
                    .infos()
                    .filter(|info| info.params.iter().any(|p| &p.name == key))
                    .collect();
                if declaring.is_empty() {
                    let mut all: Vec<&str> = layouts
                        .infos()
                        .flat_map(|info| info.params.iter().map(|p| p.name.as_str()))
                        .collect();
                    all.sort_unstable();
                    all.dedup();
                    return Err(ConfigError::UnknownSetting {
                        name: key.clone(),
                        suggestion: did_you_mean(key, all.iter().copied()).map(str::to_owned),
                        available: all.join(", "),
                    });
                }
                // A value every layout with the parameter refuses is wrong
                // for every profile: say so once.
                let refusals: Vec<SetError> = declaring
                    .iter()
                    .filter_map(|info| params::set(&info.params, key, SetValue::Text(value)).err())
                    .collect();
                if refusals.len() == declaring.len()
                    && let Some(err) = refusals.into_iter().next()
                {
                    return Err(command_line_param(declaring[0], key, err).into());
                }
            }
        }
    }
    Ok(())
}

/// The variants a profile asks for, already checked by [`plan_profile`].
fn profile_variants(profile: &Profile) -> Vec<Variant> {
    profile
        .output
        .variants
        .as_deref()
        .and_then(|names| Variant::parse_list(names).ok())
        .unwrap_or_else(|| Variant::DEFAULT.to_vec())
}

/// Refuses a plan in which two jobs would write one file: one would
/// silently replace the other. Every file a run writes is derived from an
/// output's path or a profile's stem, so comparing those covers them all.
fn refuse_collisions(
    profiles: &[ProfilePlan],
    config: &RenderConfig,
    out_dir: &Path,
) -> Result<(), ConfigError> {
    let deps = config.write.as_ref().is_some_and(|write| write.deps);
    let mut seen: HashMap<PathBuf, (usize, Variant)> = HashMap::new();
    for (index, profile) in profiles.iter().enumerate() {
        for &(variant, ref output) in &profile.outputs {
            let Some(&(first, first_variant)) = seen.get(output) else {
                seen.insert(output.clone(), (index, variant));
                continue;
            };
            let (a, b) = (&profiles[first], profile);
            let hint = if variant.is_anonymous() && first_variant.is_anonymous() {
                format!(
                    "both have the candidate id `{}` (from the same name, email and phone, or \
                     the same [anonymize] id); give one its own: [anonymize] id = \"...\"",
                    b.candidate_id
                )
            } else {
                "render them into different folders (-o), or name one's outputs: \
                 [output] name = \"...\""
                    .to_owned()
            };
            return Err(ConfigError::Collision {
                file: output.clone(),
                first: a.describe(first_variant),
                second: b.describe(variant),
                hint,
            });
        }
    }
    if deps {
        let mut stems: HashMap<&str, &ProfilePlan> = HashMap::new();
        for profile in profiles {
            if let Some(first) = stems.insert(&profile.stem, profile) {
                return Err(ConfigError::Collision {
                    file: crate::incremental::stamp_path(out_dir, &profile.stem),
                    first: first.path.display().to_string(),
                    second: profile.path.display().to_string(),
                    hint: "make needs one stamp per profile file name; render profiles \
                           with the same file name into different folders (-o)"
                        .to_owned(),
                });
            }
        }
    }
    Ok(())
}

impl ProfilePlan {
    /// The profile and, where the profile chose it, the place that named
    /// the variant's file.
    fn describe(&self, variant: Variant) -> String {
        let at = if variant.is_anonymous() {
            &self.id_at
        } else {
            &self.name_at
        };
        match at {
            Some(at) => format!("{} ({variant}, named at {at})", self.path.display()),
            None => format!("{} ({variant})", self.path.display()),
        }
    }
}

/// Reads, checks and resolves one profile. Warnings come back beside the
/// plan; with any error (or warning, when denied) the profile fails.
fn plan_profile(
    path: &Path,
    config: &RenderConfig,
    layouts: &Layouts,
    today: (i32, u8),
) -> Result<(ProfilePlan, Option<Report>), ProfileFailure> {
    let read = profile::read(path).map_err(ProfileFailure::Unreadable)?;
    let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
        return Err(ProfileFailure::Unreadable(ProfileError::BadFileName {
            path: path.to_owned(),
        }));
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let checked = check::check(&read.text, today);
    let place = |span: &Option<Range<usize>>| {
        span.as_ref().map(|span| {
            let (line, column) = line_column(&read.text, span.start);
            format!("{}:{line}:{column}", path.display())
        })
    };
    let (name_at, id_at) = (
        place(&checked.places.output_name),
        place(&checked.places.anonymize_id),
    );
    let mut diagnostics = checked.diagnostics;
    let resolved = checked.profile.map(|profile| {
        let mut at = Resolver {
            places: &checked.places,
            out: &mut diagnostics,
        };
        let layout = at.layout(&profile, config, layouts);
        let variants_ok = at.variants(&profile);
        let photo = profile
            .basics
            .image
            .as_deref()
            .map(|image| at.photo(image, &dir));
        (profile, layout, variants_ok, photo)
    });
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let denied = config.deny_warnings && errors == 0 && !diagnostics.is_empty();
    if denied {
        diagnostics.push(Diagnostic::error("warnings are denied", None));
    }
    let report = Report::new(path, read.text, diagnostics);
    // Every problem above left an error, so with none every part resolved.
    let Some((profile, Some((layout, params)), true, photo)) =
        resolved.filter(|_| errors == 0 && !denied)
    else {
        return Err(ProfileFailure::Invalid(report));
    };
    let photo = photo.flatten();
    let anonymize = merge(&profile.anonymize, &config.anonymize);
    let candidate_id = anonymize::candidate_id(&profile, stem);
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
        outputs: Vec::new(),
        name_at,
        id_at,
    };
    let warnings = (!report.diagnostics.is_empty()).then_some(report);
    Ok((plan, warnings))
}

/// Anonymization options: the profile's, plus what the command line adds.
fn merge(profile: &AnonymizeOptions, cli: &AnonymizeOptions) -> AnonymizeOptions {
    AnonymizeOptions {
        id: profile.id.clone().or_else(|| cli.id.clone()),
        employers: profile.employers || cli.employers,
        schools: profile.schools || cli.schools,
        years_only: profile.years_only || cli.years_only,
    }
}

/// Resolves what a profile names, reporting problems at their places.
struct Resolver<'a> {
    places: &'a Places,
    out: &'a mut Vec<Diagnostic>,
}

impl Resolver<'_> {
    /// The layout and its parameters: defaults, then the profile's
    /// `[layout]` values, then `--set`, each checked against its
    /// declaration.
    fn layout(
        &mut self,
        profile: &Profile,
        config: &RenderConfig,
        layouts: &Layouts,
    ) -> Option<(String, Map<String, Json>)> {
        let named = match profile.layout.get("name") {
            None => None,
            Some(toml::Value::String(name)) => Some(name.as_str()),
            Some(_) => {
                self.out.push(Diagnostic::error(
                    "layout `name` must be a string",
                    self.places.layout_name.clone(),
                ));
                return None;
            }
        };
        let name = config.layout.as_deref().or(named).unwrap_or(DEFAULT_LAYOUT);
        let Ok(info) = layouts.get(name) else {
            let available: Vec<&str> = layouts.infos().map(|i| i.name.as_str()).collect();
            let mut d = Diagnostic::error(
                format!("unknown layout `{name}`"),
                self.places.layout_name.clone(),
            );
            if let Some(close) = did_you_mean(name, available.iter().copied()) {
                d = d.hint(format!("did you mean `{close}`?"));
            }
            self.out
                .push(d.hint(format!("available layouts: {}", available.join(", "))));
            return None;
        };
        let mut values = params::defaults(&info.params);
        let mut ok = true;
        for (key, value) in profile.layout.iter().filter(|(k, _)| k.as_str() != "name") {
            let place = self
                .places
                .layout_params
                .get(key)
                .cloned()
                .unwrap_or_default();
            match params::set(&info.params, key, SetValue::Toml(value)) {
                Ok((_, json)) => {
                    values.insert(key.clone(), json);
                }
                Err(err) => {
                    ok = false;
                    self.profile_param(info, key, err, place);
                }
            }
        }
        for (key, value) in &config.settings {
            match params::set(&info.params, key, SetValue::Text(value)) {
                Ok((_, json)) => {
                    values.insert(key.clone(), json);
                }
                Err(err) => {
                    ok = false;
                    let message = command_line_param(info, key, err).to_string();
                    self.out.push(Diagnostic::error(message, None));
                }
            }
        }
        ok.then(|| (name.to_owned(), values))
    }

    fn profile_param(&mut self, info: &LayoutInfo, key: &str, err: SetError, place: ParamPlace) {
        let diagnostic = match err {
            SetError::Unknown => {
                let names: Vec<&str> = info.params.iter().map(|p| p.name.as_str()).collect();
                let mut d = Diagnostic::error(
                    format!("layout `{}` has no parameter `{key}`", info.name),
                    place.key,
                );
                if let Some(close) = did_you_mean(key, names.iter().copied()) {
                    d = d.hint(format!("did you mean `{close}`?"));
                }
                d.hint(format!("its parameters: {}", names.join(", ")))
            }
            SetError::Bad { message } => {
                let described = info
                    .params
                    .iter()
                    .find(|p| p.name == key)
                    .map(|p| p.ty.describe())
                    .unwrap_or_default();
                Diagnostic::error(
                    format!("bad value for layout parameter `{key}`: {message}"),
                    place.value,
                )
                .hint(format!("`{key}` takes {described}"))
            }
        };
        self.out.push(diagnostic);
    }

    /// Whether the profile's `[output] variants` name known variants.
    fn variants(&mut self, profile: &Profile) -> bool {
        let Some(names) = &profile.output.variants else {
            return true;
        };
        match Variant::parse_list(names) {
            Ok(_) => true,
            Err(message) => {
                self.out
                    .push(Diagnostic::error(message, self.places.variants.clone()));
                false
            }
        }
    }

    /// The photo: an image file inside the profile's folder that decodes
    /// within limits, prepared for layouts. Messages name the path as
    /// written, never the absolute one.
    fn photo(&mut self, image: &Path, dir: &Path) -> Option<Photo> {
        let at = self.places.image.clone();
        let shown = image.display();
        let root = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
        let problem = match dir.join(image).canonicalize() {
            Err(_) => format!("the photo `{shown}` does not exist"),
            Ok(real) if !real.starts_with(&root) => {
                format!("the photo `{shown}` is outside the profile's folder")
            }
            Ok(real) if real.is_dir() => format!("the photo `{shown}` is a folder"),
            Ok(real) => match read_limited(&real, crate::photo::MAX_FILE_BYTES) {
                Err(ReadError::NotAFile) => {
                    format!("the photo `{shown}` is not a regular file")
                }
                Err(ReadError::TooLarge { size }) => format!(
                    "the photo `{shown}` is {:.1} MB; photos are limited to {} MB",
                    size as f64 / 1e6,
                    crate::photo::MAX_FILE_BYTES / 1_000_000
                ),
                Err(ReadError::Io(err)) => format!(
                    "cannot read the photo `{shown}`: {}",
                    crate::error::plain_io(&err)
                ),
                Ok(bytes) => match crate::photo::prepare(&bytes) {
                    Ok(photo) => return Some(photo),
                    Err(problem) => {
                        self.out.push(Diagnostic::error(
                            format!("the photo `{shown}` {problem}"),
                            at,
                        ));
                        return None;
                    }
                },
            },
        };
        self.out.push(
            Diagnostic::error(problem, at)
                .hint("photos are files in the profile's folder, named relative to it"),
        );
        None
    }
}

/// A `--set` that the layout refuses, as the command line reads it.
fn command_line_param(info: &LayoutInfo, key: &str, err: SetError) -> LayoutError {
    match err {
        SetError::Unknown => LayoutError::UnknownParam {
            origin: "--set".into(),
            layout: info.name.clone(),
            name: key.to_owned(),
            available: info
                .params
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        },
        SetError::Bad { message } => LayoutError::BadValue {
            origin: "--set".into(),
            name: key.to_owned(),
            message,
        },
    }
}

/// This month, from the clock: only warnings ("in the future") use it.
fn this_month() -> (i32, u8) {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i64);
    let (year, month, _) = crate::typst::world::civil_from_days(days);
    (year as i32, month)
}

/// Expands the inputs into profile files: files as given, folders to their
/// `*.toml` files in name order. A file named twice (`a.toml ./a.toml`, or
/// a file and its folder) is one profile.
pub(crate) fn find_profiles(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ConfigError> {
    let mut found: Vec<PathBuf> = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let read = |source| ConfigError::ReadDir {
                path: input.clone(),
                source,
            };
            let mut files: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(read)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|e| e == "toml") && path.is_file())
                .collect();
            if files.is_empty() {
                return Err(ConfigError::NoProfiles(input.clone()));
            }
            files.sort();
            found.extend(files);
        } else if input.exists() || Path::new(input).is_symlink() {
            found.push(input.clone());
        } else {
            return Err(ConfigError::MissingInput(input.clone()));
        }
    }
    let mut seen = HashSet::new();
    found.retain(|path| seen.insert(path.canonicalize().unwrap_or_else(|_| path.clone())));
    Ok(found)
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
            font_paths: Vec::new(),
            source_date_epoch: None,
            variants: None,
            anonymize: AnonymizeOptions::default(),
            shard: None,
            deny_warnings: false,
            budget: crate::workers::Budget {
                time: std::time::Duration::from_secs(60),
                memory: u64::MAX,
            },
            write: None,
        }
    }

    fn planned(text: &str) -> Result<(ProfilePlan, Option<Report>), ProfileFailure> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, text).unwrap();
        let layouts = Layouts::load(None).unwrap();
        plan_profile(&path, &config(), &layouts, (2026, 11))
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
