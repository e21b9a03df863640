//! cvgen turns CV profiles written in TOML into typeset PDFs, compiling
//! parameterized Typst layouts with the Typst compiler embedded as a library.
//!
//! The pipeline, one module per stage, each reading only what the stages
//! before it produced: [`cli`] resolves the command line into a plain
//! `config` -> `plan` reads each file once, checks it (`profile`, `check`)
//! and decides, once each, its layout, parameters, variants, photo and
//! output paths, planning a profile once however many applications name it;
//! a job is a source and the `Document` made of it (variant, language,
//! format) -> `batch` runs the planned jobs in parallel (`workers`) and
//! writes make's rules (`makefile`) -> `job` makes one document, its
//! `pipeline` one named step each: the `variant` transform (anonymized,
//! one-page), the layout data (`data`, `markup`) and its redaction, the
//! compile or fit in the sandboxed Typst world (`typst`), mending, export,
//! the leak check; then `job/write` writes atomically (`output`,
//! `incremental`, `claims`). `commands` holds one file per subcommand; the
//! error a command returns decides the exit code (`error::CommandError`).
//!
//! The layers, lowest first, are listed in `LAYERS` at the end of this
//! file, and a test fails when a module uses one of a layer above its own
//! (`stages_flow_one_way`). Utilities (`hash`, `calendar`, `files`, `link`)
//! sit below every stage. Typst's crates are named only under `typst`
//! (`typst_stays_behind_its_module`).

pub mod ats;
pub mod cli;

mod application;
mod batch;
mod bibliography;
mod calendar;
mod check;
mod claims;
mod commands;
mod config;
mod data;
mod diagnostic;
mod emit;
mod error;
mod files;
mod formats;
mod hash;
mod incremental;
mod interop;
mod job;
mod layout;
mod link;
mod makefile;
mod markup;
mod new;
mod output;
mod photo;
mod plan;
mod posting;
mod preview;
mod profile;
mod sent;
mod standard;
mod typst;
mod variant;
mod watch;
mod workers;

pub use commands::run;

/// The layers of the crate, lowest first: a module uses only modules of
/// the layers below its own. A new module takes its place here, or the
/// test below fails.
#[cfg(test)]
const LAYERS: &[&[&str]] = &[
    // Utilities and readers that know nothing of cvgen's stages.
    &[
        "ats",
        "calendar",
        "diagnostic",
        "files",
        "hash",
        "link",
        "preview",
        "standard",
        "workers",
    ],
    &["error", "markup", "photo", "posting"],
    // Readers of the files a profile names, into the profile's own types.
    &["bibliography"],
    // The formats: layouts, profiles, and how outputs are written.
    &["layout", "output", "profile"],
    &["application", "config", "interop"],
    &["check", "new", "typst"],
    // A document's data, and what a run keeps between runs.
    &["data", "emit", "incremental"],
    &["claims", "formats", "sent", "variant"],
    &["cli", "plan"],
    &["job", "makefile"],
    &["batch"],
    &["watch"],
    &["commands"],
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The top-level module a source file belongs to.
    fn module_of(path: &Path, src: &Path) -> String {
        let relative = path.strip_prefix(src).unwrap_or(path);
        let first = relative
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        first.unwrap_or_default().trim_end_matches(".rs").to_owned()
    }

    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// "Stages flow one way", checked: every `crate::` path in the code
    /// (not in comments) names a module of a lower layer.
    #[test]
    fn stages_flow_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let layer = |module: &str| {
            super::LAYERS
                .iter()
                .position(|layer| layer.contains(&module))
        };
        let mut paths = Vec::new();
        files(&src, &mut paths);
        let mut upward = Vec::new();
        for path in paths {
            let module = module_of(&path, &src);
            if matches!(module.as_str(), "lib" | "main") {
                continue;
            }
            let Some(own) = layer(&module) else {
                upward.push(format!("{module} is in no layer"));
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for line in text.lines() {
                let code = line.split("//").next().unwrap_or("");
                for (at, _) in code.match_indices("crate::") {
                    let used: String = code[at + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if used == module || used.is_empty() {
                        continue;
                    }
                    match layer(&used) {
                        Some(theirs) if theirs < own => {}
                        _ => upward.push(format!("{} uses crate::{used}", path.display())),
                    }
                }
            }
        }
        assert!(
            upward.is_empty(),
            "imports against the layers:\n{}",
            upward.join("\n")
        );
    }

    /// Typst's crates are named under `src/typst` only, and in the one
    /// exception its module doc names.
    #[test]
    fn typst_stays_behind_its_module() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut paths = Vec::new();
        files(&src, &mut paths);
        let mut outside = Vec::new();
        for path in paths {
            let relative = path.strip_prefix(&src).unwrap_or(&path);
            if relative.starts_with("typst") || relative == Path::new("standard.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (number, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for (at, _) in code.match_indices("typst") {
                    // `crate::typst::` and `super::typst` are cvgen's own.
                    let before = code[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                        continue;
                    }
                    let rest = &code[at + 5..];
                    let name_end = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    if rest[name_end..].starts_with("::") {
                        outside.push(format!(
                            "{}:{}: {}",
                            relative.display(),
                            number + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
        assert!(
            outside.is_empty(),
            "Typst used outside src/typst:\n{}",
            outside.join("\n")
        );
    }
}
