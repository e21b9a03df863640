//! The files a run writes: every one derived from an output's path or a
//! profile's stem, and no two jobs writing the same one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ProfilePlan;
use crate::config::RenderConfig;
use crate::error::SetupError;
use crate::variant::Variant;

/// Refuses a plan in which two jobs would write one file: one would
/// silently replace the other. Every file a run writes is derived from an
/// output's path or a profile's stem, so comparing those covers them all.
pub(super) fn refuse_collisions(
    profiles: &[ProfilePlan],
    config: &RenderConfig,
    out_dir: &Path,
) -> Result<(), SetupError> {
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
            return Err(SetupError::Collision {
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
            if let Some(first) = stems.insert(&profile.stem, profile)
                && first.path != profile.path
            {
                return Err(SetupError::Collision {
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

/// Refuses a run that would write a file another profile claimed in an
/// earlier run or another process (see [`crate::claims`]): make runs one
/// process per profile, and two profiles of one person (the same
/// candidate id) or with the same `[output] name` would each replace the
/// other's file on every run without ever seeing each other. Nothing is
/// written here; a job claims its file when it writes it.
pub(super) fn refuse_claimed(profiles: &[ProfilePlan], out_dir: &Path) -> Result<(), SetupError> {
    for profile in profiles {
        for (variant, output) in &profile.outputs {
            if let Some(owner) = crate::claims::other_owner(out_dir, output, &profile.path) {
                return Err(SetupError::Collision {
                    file: output.clone(),
                    first: owner.display().to_string(),
                    second: profile.describe(*variant),
                    hint: "the first wrote it in another run (make runs one process per \
                           profile); give one its own [anonymize] id = \"...\" or [output] \
                           name, or render it into another folder (-o)"
                        .to_owned(),
                });
            }
        }
    }
    Ok(())
}
