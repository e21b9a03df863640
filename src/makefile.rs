//! Make's view of a run (`--deps`): for each profile, a stamp file that
//! depends on everything its documents were made from (from their
//! manifests, which record every file their compiles read) and on the
//! documents themselves, written as a rule make includes.

use std::path::{Path, PathBuf};

use crate::config::WriteConfig;
use crate::error::WriteError;
use crate::incremental::{self, deps_path, stamp_path};
use crate::layout::{Layouts, Origin};
use crate::output;
use crate::plan::ProfilePlan;
use crate::typst::world::Dependency;

/// What make needs of a run with `--deps`: a rule per profile and its stamp.
pub(crate) struct MakeFiles<'a> {
    pub write: &'a WriteConfig,
    pub layouts_dir: Option<&'a Path>,
    pub layouts: &'a Layouts,
}

/// Everything a profile's documents were made from, and the documents: from
/// the manifests of its outputs, which record every file their compiles
/// read. `layouts_dir` is where a user file would stand in for a built-in
/// one (by default `./layouts`, which need not exist yet).
pub(crate) fn make_rule(
    profile: &ProfilePlan,
    layouts: &Layouts,
    layouts_dir: Option<&Path>,
) -> MakeRule {
    let mut rule = MakeRule::default();
    rule.inputs.push(profile.path.clone());
    if let Some(application) = &profile.application {
        rule.inputs.push(application.profile_path.clone());
        rule.inputs.extend(application.posting_file.clone());
    }
    // The program is part of every output: a new cvgen remakes them.
    if let Ok(exe) = std::env::current_exe() {
        rule.inputs.push(exe);
    }
    let user_dir = layouts_dir.unwrap_or(Path::new("layouts"));
    let add = |list: &mut Vec<PathBuf>, path: PathBuf| {
        if !list.contains(&path) {
            list.push(path);
        }
    };
    for (_, output) in &profile.outputs {
        let Some(manifest) = incremental::load(output) else {
            continue;
        };
        for recorded in &manifest.dependencies {
            match recorded.dependency() {
                Some(Dependency::Layout(path)) => match layouts.origin(&path) {
                    Some(Origin::User(real)) => add(&mut rule.inputs, real.clone()),
                    _ => add(&mut rule.overrides, user_dir.join(&path)),
                },
                Some(Dependency::Profile(relative) | Dependency::Bibliography(relative)) => {
                    add(&mut rule.inputs, profile.dir.join(relative))
                }
                Some(Dependency::Font(path)) => add(&mut rule.inputs, PathBuf::from(path)),
                None => {}
            }
        }
        if !manifest.output_sha256.is_empty() {
            add(&mut rule.outputs, output.clone());
        }
        for (name, _) in manifest.previews.iter().chain(&manifest.files) {
            add(&mut rule.outputs, output.with_file_name(name));
        }
    }
    rule
}

impl MakeRule {
    /// Adds another plan's inputs and outputs, each once.
    fn extend(&mut self, other: MakeRule) {
        for (list, more) in [
            (&mut self.inputs, other.inputs),
            (&mut self.overrides, other.overrides),
            (&mut self.outputs, other.outputs),
        ] {
            for path in more {
                if !list.contains(&path) {
                    list.push(path);
                }
            }
        }
    }
}

impl MakeFiles<'_> {
    /// Writes the make rule of a profile's plans (one per language), then
    /// its stamp.
    pub fn write(&self, plans: &[&ProfilePlan]) -> Result<(), WriteError> {
        let Some(profile) = plans.first() else {
            return Ok(());
        };
        let mut rule = MakeRule::default();
        for plan in plans {
            rule.extend(make_rule(plan, self.layouts, self.layouts_dir));
        }
        let out_dir = &self.write.out_dir;
        let stamp = stamp_path(out_dir, &profile.stem);
        let deps = deps_path(out_dir, &profile.stem);
        let text = rule.render(&stamp);
        if let Some(dir) = deps.parent() {
            std::fs::create_dir_all(dir).map_err(|source| WriteError {
                path: dir.to_owned(),
                source,
            })?;
        }
        if std::fs::read_to_string(&deps).map_or(true, |old| old != text) {
            output::write_atomic(&deps, text.as_bytes())?;
        }
        let made: Vec<String> = rule
            .outputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        output::write_atomic(&stamp, (made.join("\n") + "\n").as_bytes())
    }
}

/// What a profile's stamp is made from, for its make rule.
#[derive(Debug, Default)]
pub(crate) struct MakeRule {
    /// Files that exist and were read: the profile, the program, layout
    /// files from the user's folder, files beside the profile, fonts.
    pub inputs: Vec<PathBuf>,
    /// Where a user file would replace a built-in layout file that was
    /// read: a prerequisite as soon as it exists.
    pub overrides: Vec<PathBuf>,
    /// The files made, so that deleting one makes the stamp out of date.
    pub outputs: Vec<PathBuf>,
}

impl MakeRule {
    /// The rule as make reads it: `stamp: inputs $(wildcard overrides)
    /// outputs`, then an empty rule for every input and output, so that a
    /// deleted one remakes the stamp instead of stopping make (as
    /// `gcc -MP` does). Paths are escaped as typst's and gcc's
    /// dependency writers escape them.
    pub fn render(&self, stamp: &Path) -> String {
        let mut rule = format!("{}:", escape(stamp, Side::Target));
        for path in self.inputs.iter().chain(&self.outputs) {
            rule.push_str(" \\\n  ");
            rule.push_str(&escape(path, Side::Prerequisite));
        }
        if !self.overrides.is_empty() {
            let patterns: Vec<String> = self
                .overrides
                .iter()
                .map(|p| escape(p, Side::Prerequisite))
                .collect();
            rule.push_str(&format!(" \\\n  $(wildcard {})", patterns.join(" ")));
        }
        rule.push('\n');
        for path in self.inputs.iter().chain(&self.outputs) {
            rule.push_str(&format!("\n{}:\n", escape(path, Side::Target)));
        }
        rule
    }
}

/// Which side of a rule's colon a path is on: only a target's `%` makes a
/// pattern rule, so only there is it escaped (make keeps the backslash of
/// an escaped `%` in a prerequisite).
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Target,
    Prerequisite,
}

/// A path as make reads it in a rule: `$` doubled; `#`, `:`, spaces and
/// tabs (and a target's `%`) behind a backslash, with the backslashes
/// before a space doubled, as gcc's `munge` does.
fn escape(path: &Path, side: Side) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    let mut slashes = 0;
    for c in text.chars() {
        match c {
            '\\' => slashes += 1,
            '$' => {
                out.push('$');
                slashes = 0;
            }
            ' ' | '\t' => {
                out.extend(std::iter::repeat_n('\\', slashes + 1));
                slashes = 0;
            }
            '#' | ':' => {
                out.push('\\');
                slashes = 0;
            }
            '%' if side == Side::Target => {
                out.push('\\');
                slashes = 0;
            }
            _ => slashes = 0,
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn make_rules_escape_and_list_phony_prerequisites() {
        let rule = MakeRule {
            inputs: vec![
                PathBuf::from("in/a b.toml"),
                PathBuf::from("in/c#:50%$.png"),
            ],
            overrides: vec![PathBuf::from("layouts/classic.typ")],
            outputs: vec![PathBuf::from("out/a b.pdf")],
        };
        assert_eq!(
            rule.render(Path::new("out/.cvgen/a b.stamp")),
            "out/.cvgen/a\\ b.stamp: \\\n  in/a\\ b.toml \\\n  in/c\\#\\:50%$$.png \\\n  out/a\\ b.pdf \\\n  \
             $(wildcard layouts/classic.typ)\n\nin/a\\ b.toml:\n\nin/c\\#\\:50\\%$$.png:\n\nout/a\\ b.pdf:\n"
        );
    }
}
