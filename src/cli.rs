//! The command line: clap definitions, resolved once into plain configuration
//! that later stages use without seeing clap.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::config::{FontSources, RenderConfig, Verbosity, WriteConfig};
use crate::error::SetupError;
use crate::output::Formats;
use crate::preview;
use crate::profile::AnonymizeOptions;
use crate::standard::Standards;
use crate::variant::Variant;
use crate::workers::Budget;

/// Exit codes, as documented in the README and `--help`.
pub const EXIT_HELP: &str =
    "Exit codes: 0 success, 1 some profile or job failed, 2 usage or configuration error.";

#[derive(Debug, Parser)]
#[command(name = "cvgen", version, about = "Turns CV profiles written in TOML into typeset PDFs", after_help = EXIT_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render profiles into PDFs.
    #[command(after_help = EXIT_HELP)]
    Render(RenderArgs),
    /// Check profiles and the layouts they name, writing nothing.
    #[command(after_help = EXIT_HELP)]
    Check(CheckArgs),
    /// List the available layouts and their parameters.
    Layouts(LayoutsArgs),
    /// Print the JSON Schema of the profile format, or of the application
    /// format (for editors).
    Schema(SchemaArgs),
    /// Start a job-search repository: a commented profile, an example job
    /// application, a Makefile, schemas, .gitignore and README.
    New(NewArgs),
    /// Render, then render again on every change to a profile, application,
    /// layout or photo, until Ctrl-C.
    #[command(after_help = EXIT_HELP)]
    Watch(WatchArgs),
    /// Turn a JSON Resume or RenderCV file into a profile.
    #[command(after_help = EXIT_HELP)]
    Import(ImportArgs),
    /// Write a profile as JSON Resume.
    #[command(after_help = EXIT_HELP)]
    Export(ExportArgs),
    /// List job applications: company, position, status, when sent, how
    /// much of the posting the CV covers, and whether the documents still
    /// match their inputs.
    #[command(after_help = EXIT_HELP)]
    Applications(ApplicationsArgs),
    /// Print a shell's completion script: `cvgen completions bash >
    /// ~/.local/share/bash-completion/completions/cvgen`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `cvgen man > cvgen.1; man ./cvgen.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, elvish, fish, powershell, zsh.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A JSON Resume document (.json) or a RenderCV file (.yaml).
    pub file: PathBuf,
    /// Where to write the profile [default: input/<file name>.toml].
    #[arg(short, long)]
    pub out: Option<PathBuf>,
    /// The file's format, if its name does not tell: json-resume, rendercv.
    #[arg(long = "from", value_name = "FORMAT")]
    pub format: Option<String>,
    /// Replace the profile if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The profile.
    pub profile: PathBuf,
    /// The format to write.
    #[arg(long, default_value = "json-resume", value_parser = ["json-resume"])]
    pub format: String,
    /// Where to write it [default: standard output]. A profile in several
    /// languages is written as one file per language, `FILE.<lang>.json`,
    /// unless --lang names one.
    #[arg(short, long)]
    pub out: Option<PathBuf>,
    /// The language to export, of those the profile lists [default: all
    /// of them into files, the first on standard output].
    #[arg(long = "lang", value_name = "CODE")]
    pub language: Option<String>,
}

#[derive(Debug, Args)]
pub struct ApplicationsArgs {
    /// Job application files, or folders of them.
    #[arg(default_value = "applications")]
    pub paths: Vec<PathBuf>,
    /// The folder their documents are rendered into.
    #[arg(short, long = "out", default_value = "output")]
    pub out: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub resources: ResourceArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

impl ApplicationsArgs {
    /// The configurations of the two looks at the applications: a check
    /// (for coverage) that writes nothing, and the render that would write
    /// their documents (for whether they are current).
    pub(crate) fn configs(self) -> Result<(RenderConfig, RenderConfig), SetupError> {
        let out = self.out;
        let check = CheckArgs {
            paths: self.paths,
            layout: None,
            deny_warnings: false,
            pdf_standards: Vec::new(),
            languages: Vec::new(),
            ats: false,
            resources: self.resources,
            limits: self.limits,
        }
        .config()?;
        let render = RenderConfig {
            variants: None,
            write: Some(WriteConfig {
                out_dir: out,
                force: false,
                deps: false,
                formats: None,
                dpi: preview::DEFAULT_DPI,
                emit_typst: None,
            }),
            ..check.clone()
        };
        Ok((check, render))
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to write into (made if missing); nothing in it is
    /// overwritten.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which format: `profile` or `application`.
    #[arg(default_value = "profile", value_parser = ["profile", "application"])]
    pub format: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Profile or job application files, or folders of them (*.toml).
    #[arg(default_value = "input")]
    pub paths: Vec<PathBuf>,
    /// Layout to check against instead of the one each profile names.
    #[arg(long)]
    pub layout: Option<String>,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// PDF standards to check against, as `render --pdf-standard` takes them.
    #[arg(long = "pdf-standard", value_name = "LIST")]
    pub pdf_standards: Vec<String>,
    /// Languages to check, of those each profile lists (comma-separated)
    /// [default: all of them].
    #[arg(long = "lang", value_name = "LIST")]
    pub languages: Vec<String>,
    /// Read every variant the profile makes back as an applicant tracking
    /// system would, and list what it reads badly.
    #[arg(long)]
    pub ats: bool,
    #[command(flatten)]
    pub resources: ResourceArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

impl CheckArgs {
    /// A configuration that compiles the long form of every profile and
    /// writes nothing.
    pub(crate) fn config(self) -> Result<RenderConfig, SetupError> {
        Ok(RenderConfig {
            inputs: self.paths,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            layout: self.layout,
            settings: Vec::new(),
            layouts_dir: self.resources.layouts_dir(),
            fonts: self.resources.fonts(),
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
            variants: if self.ats {
                None
            } else {
                Some(vec![Variant::Long])
            },
            languages: crate::config::parse_languages(&self.languages)?,
            pdf_standards: if self.pdf_standards.is_empty() {
                None
            } else {
                Some(Standards::parse(&self.pdf_standards).map_err(SetupError::Standards)?)
            },
            anonymize: AnonymizeOptions::default(),
            anon_key: None,
            shard: None,
            deny_warnings: self.deny_warnings,
            budget: self.limits.budget(),
            ats: self.ats,
            write: None,
        })
    }
}

/// What `render` and `watch` both take: what to make, and how.
#[derive(Debug, Args)]
pub struct MakeArgs {
    /// Profile or job application files, or folders of them (*.toml).
    #[arg(default_value = "input")]
    pub paths: Vec<PathBuf>,
    /// Folder the PDFs are written to (created if needed).
    #[arg(short, long = "out", default_value = "output")]
    pub out: PathBuf,
    /// How many documents to compile at once [default: number of cores].
    #[arg(short, long, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Layout to use instead of the one each profile names.
    #[arg(long)]
    pub layout: Option<String>,
    /// Set a layout parameter, overriding the profile (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Variants to make: long, onepage, anon, anon-onepage, and for job applications letter, anon-letter (comma-separated)
    /// [default: each profile's [output] variants, else long,onepage,anon].
    #[arg(long = "variant", value_name = "LIST")]
    pub variants: Vec<String>,
    /// Languages to make documents in, of those each profile lists in
    /// [output] languages (comma-separated) [default: all of them].
    #[arg(long = "lang", value_name = "LIST")]
    pub languages: Vec<String>,
    /// PDF standards every document claims, checked on export: ua-1, a-2a,
    /// a-2b, ... or none (comma-separated) [default: each profile's
    /// [output] pdf_standards, else ua-1,a-2a].
    #[arg(long = "pdf-standard", value_name = "LIST")]
    pub pdf_standards: Vec<String>,
    /// What to write for each document (comma-separated): pdf, png (one
    /// preview per page, `<name>-<page>.png`), docx (Word), txt (plain text
    /// for application portals), md (Markdown) [default: each profile's
    /// [output] formats, else pdf].
    #[arg(long = "format", value_name = "LIST")]
    pub formats: Vec<String>,
    /// Resolution of PNG previews, in dots per inch.
    #[arg(long, default_value_t = preview::DEFAULT_DPI, value_parser = clap::value_parser!(u16).range(20..=600))]
    pub dpi: u16,
    /// Also write each document as a self-contained Typst project into DIR
    /// (`DIR/<output name>/`), compilable with the `typst` CLI; implies --force.
    #[arg(long, value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,
    /// In anonymized variants, replace employers with each entry's alias or
    /// a generic word.
    #[arg(long)]
    pub anon_employers: bool,
    /// In anonymized variants, replace schools with each entry's alias or a
    /// generic word.
    #[arg(long)]
    pub anon_schools: bool,
    /// In anonymized variants, reduce dates to years.
    #[arg(long)]
    pub anon_years_only: bool,
    /// A file holding the key candidate ids are derived with (HMAC), so that
    /// no one without it can recompute an id from a list of applicants
    /// [default: the CVGEN_ANON_KEY environment variable].
    #[arg(long, value_name = "FILE")]
    pub anon_key_file: Option<PathBuf>,
    /// Do not render profiles that have warnings (exit 1).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Render everything, even outputs whose inputs are unchanged.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub resources: ResourceArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub make: MakeArgs,
    /// Say what one-page fitting dropped or shortened.
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// For make: write each profile's rule and stamp into OUT/.cvgen/
    /// (`<profile>.d`, `<profile>.stamp`); see the README's Makefile.
    #[arg(long)]
    pub deps: bool,
    /// Write a JSON report of every job to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Render only the K-th of N deterministic shards of the jobs (e.g. 2/4).
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
}

/// `watch` takes what `render` does, but no report, make files or shard,
/// and says one line per render.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub make: MakeArgs,
    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct LayoutsArgs {
    #[command(flatten)]
    pub resources: ResourceArgs,
    /// Write a picture of each layout's first page into DIR
    /// (`DIR/<layout>.png`): a one-page CV, the example profile of `cvgen
    /// new` unless --profile names another.
    #[arg(long, value_name = "DIR")]
    pub gallery: Option<PathBuf>,
    /// The profile the gallery shows.
    #[arg(long, value_name = "FILE", requires = "gallery")]
    pub profile: Option<PathBuf>,
    /// Resolution of the gallery's pictures, in dots per inch.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u16).range(20..=300), requires = "gallery")]
    pub dpi: u16,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// What one document may use before it is given up.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Seconds one document may take, compiles included.
    #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Megabytes of memory the run may hold; past it the run stops.
    #[arg(long, value_name = "MB", default_value_t = 4096, value_parser = clap::value_parser!(u64).range(64..))]
    pub max_memory: u64,
}

impl LimitArgs {
    fn budget(&self) -> Budget {
        Budget {
            time: Duration::from_secs(self.timeout),
            memory: self.max_memory.saturating_mul(1_000_000),
        }
    }
}

/// Where layouts and fonts come from, beyond the built-in ones.
#[derive(Debug, Args)]
pub struct ResourceArgs {
    /// Folder of user layouts that add to or override the built-in ones
    /// [default: ./layouts if it exists].
    #[arg(long)]
    pub layouts: Option<PathBuf>,
    /// Folder of extra fonts (searched recursively; repeatable).
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
    /// Use only the built-in fonts and those of --font-path, not the
    /// system's (for output that does not depend on what is installed).
    #[arg(long)]
    pub ignore_system_fonts: bool,
}

impl ResourceArgs {
    pub fn fonts(&self) -> FontSources {
        FontSources {
            paths: self.font_paths.clone(),
            system: !self.ignore_system_fonts,
        }
    }

    /// The user layout folder: the one given, or `./layouts` when present.
    pub fn layouts_dir(&self) -> Option<PathBuf> {
        self.layouts.clone().or_else(|| {
            let local = PathBuf::from("layouts");
            local.is_dir().then_some(local)
        })
    }
}

/// What a run of `render` adds to what it makes: make's files and a shard.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct RunScope {
    pub deps: bool,
    pub shard: Option<(usize, usize)>,
}

impl RenderArgs {
    /// The run configuration of `render`.
    pub(crate) fn config(self) -> Result<RenderConfig, SetupError> {
        let scope = RunScope {
            deps: self.deps,
            shard: self.shard,
        };
        self.make.config(scope)
    }

    pub(crate) fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        }
    }
}

impl MakeArgs {
    /// Resolves the arguments into a render configuration.
    pub(crate) fn config(self, scope: RunScope) -> Result<RenderConfig, SetupError> {
        let settings = self
            .set
            .iter()
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if !key.trim().is_empty() => {
                    Ok((key.trim().to_owned(), value.to_owned()))
                }
                _ => Err(SetupError::BadSet(pair.clone())),
            })
            .collect::<Result<_, _>>()?;
        let jobs = self
            .jobs
            .map(usize::from)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        if let Some(dir) = &self.emit_typst
            && dir.exists()
            && !dir.is_dir()
        {
            return Err(SetupError::EmitDir(dir.clone()));
        }
        let formats = match self.formats.is_empty() {
            true => None,
            false => Some(Formats::parse_list(&self.formats).map_err(SetupError::Formats)?),
        };
        let anon_key = match &self.anon_key_file {
            Some(path) => Some(
                crate::files::read_limited(path, 64 * 1024)
                    .map_err(|_| SetupError::AnonKey(path.clone()))?,
            ),
            None => std::env::var("CVGEN_ANON_KEY")
                .ok()
                .filter(|key| !key.is_empty())
                .map(String::into_bytes),
        };
        Ok(RenderConfig {
            inputs: self.paths,
            jobs,
            anon_key,
            layout: self.layout,
            settings,
            layouts_dir: self.resources.layouts_dir(),
            fonts: self.resources.fonts(),
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
            variants: if self.variants.is_empty() {
                None
            } else {
                Some(Variant::parse_list(&self.variants).map_err(SetupError::Variants)?)
            },
            languages: crate::config::parse_languages(&self.languages)?,
            pdf_standards: if self.pdf_standards.is_empty() {
                None
            } else {
                Some(Standards::parse(&self.pdf_standards).map_err(SetupError::Standards)?)
            },
            anonymize: AnonymizeOptions {
                id: None,
                employers: self.anon_employers,
                schools: self.anon_schools,
                years_only: self.anon_years_only,
                redact: Vec::new(),
            },
            shard: scope.shard,
            deny_warnings: self.deny_warnings,
            budget: self.limits.budget(),
            ats: false,
            write: Some(WriteConfig {
                out_dir: self.out,
                // An emitted project is written only by a compile, so every
                // document is compiled when projects are asked for.
                force: self.force || self.emit_typst.is_some(),
                deps: scope.deps,
                formats,
                dpi: self.dpi,
                emit_typst: self.emit_typst,
            }),
        })
    }
}

/// Parses `K/N` with 1 <= K <= N.
fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let shape = || format!("`{text}` is not a shard: write K/N with 1 <= K <= N, e.g. 2/4");
    let (k, n) = text.split_once('/').ok_or_else(shape)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| shape())?,
        n.trim().parse().map_err(|_| shape())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(shape());
    }
    Ok((k, n))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    /// The configuration a command line resolves to, or its error.
    fn config(args: &[&str]) -> Result<RenderConfig, String> {
        let cli = Cli::try_parse_from(std::iter::once("cvgen").chain(args.iter().copied()))
            .map_err(|err| err.kind().to_string())?;
        match cli.command {
            Command::Render(args) => args.config(),
            Command::Watch(args) => args.make.config(RunScope::default()),
            Command::Check(args) => args.config(),
            _ => unreachable!("only commands that render are resolved here"),
        }
        .map_err(|err| err.to_string())
    }

    #[test]
    fn command_lines_resolve_into_one_configuration() {
        type Check = fn(&RenderConfig) -> bool;
        let write = |c: &RenderConfig| c.write.clone().expect("a run that writes");
        let cases: &[(&[&str], Check)] = &[
            (&["render"], |c| {
                c.inputs == [PathBuf::from("input")] && c.variants.is_none() && c.shard.is_none()
            }),
            (&["render", "--variant", "onepage,anon"], |c| {
                c.variants == Some(vec![Variant::OnePage, Variant::Anon])
            }),
            (&["render", "--shard", "2/4", "--deps"], |c| {
                c.shard == Some((2, 4)) && c.write.as_ref().is_some_and(|w| w.deps)
            }),
            (&["render", "--emit-typst", "projects"], |c| {
                c.write.as_ref().is_some_and(|w| w.force)
            }),
            (
                &["render", "--set", "paper=a4", "--set", "accent= #123"],
                |c| {
                    c.settings
                        == [
                            ("paper".into(), "a4".into()),
                            ("accent".into(), " #123".into()),
                        ]
                },
            ),
            (&["render", "--anon-years-only", "--format", "png"], |c| {
                c.anonymize.years_only
                    && c.write
                        .as_ref()
                        .is_some_and(|w| w.formats.is_some_and(|f| f.png))
            }),
            (&["watch", "-q", "cv.toml"], |c| {
                c.inputs == [PathBuf::from("cv.toml")] && c.shard.is_none()
            }),
            (&["check"], |c| {
                c.write.is_none() && c.variants == Some(vec![Variant::Long])
            }),
            (&["check", "--ats"], |c| c.ats && c.variants.is_none()),
        ];
        for (args, holds) in cases {
            let config = config(args).unwrap_or_else(|err| panic!("{args:?}: {err}"));
            assert!(holds(&config), "{args:?}");
        }
        assert!(!write(&config(&["render"]).unwrap()).force);
    }

    #[test]
    fn bad_command_lines_say_what_is_wrong() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["render", "--set", "paper"],
                "must have the form key=value",
            ),
            (&["render", "--variant", "short"], "short"),
            (&["render", "--pdf-standard", "a-9"], "unknown PDF standard"),
            (&["render", "--format", "tiff"], "--format"),
            (&["render", "--shard", "5/4"], "invalid value"),
            (&["watch", "--report", "r.json"], "unexpected argument"),
            (&["watch", "--deps"], "unexpected argument"),
        ];
        for (args, said) in cases {
            let err = config(args).map(|_| ()).unwrap_err();
            assert!(err.contains(said), "{args:?}: {err}");
        }
    }
}
