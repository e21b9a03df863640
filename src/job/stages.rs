//! Where a job's time goes, stage by stage, for the report and the
//! benchmark's breakdown.

use std::time::{Duration, Instant};

/// A step of making a document whose time is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Up-to-date check: the inputs' key and the recorded dependencies.
    Check,
    /// The profile as the variant shows it, its layout data, and redaction.
    Prepare,
    /// The first compile of the layout data.
    Compile,
    /// One-page fitting after the first compile: planning cuts and probes.
    Fit,
    /// Mending glyph clusters and the title.
    Mend,
    /// PDF export.
    Export,
    /// The independent leak search of an anonymized document.
    Verify,
    /// Writing the content as Word, text and Markdown, and checking an
    /// anonymized document's files for personal data.
    Convert,
    /// Reading the PDF back as a tracking system would (`check --ats`).
    ReadBack,
    /// Writing the project, previews, the PDF and its manifest.
    Write,
}

impl Stage {
    pub const ALL: [Stage; 10] = [
        Stage::Check,
        Stage::Prepare,
        Stage::Compile,
        Stage::Fit,
        Stage::Mend,
        Stage::Export,
        Stage::Verify,
        Stage::Convert,
        Stage::ReadBack,
        Stage::Write,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Check => "check",
            Stage::Prepare => "prepare",
            Stage::Compile => "compile",
            Stage::Fit => "fit",
            Stage::Mend => "mend",
            Stage::Export => "export",
            Stage::Verify => "verify",
            Stage::Convert => "convert",
            Stage::ReadBack => "read_back",
            Stage::Write => "write",
        }
    }
}

/// Time spent per stage.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Stages([Duration; Stage::ALL.len()]);

impl Stages {
    /// Runs `step`, counting its time to `stage`.
    pub fn time<T>(&mut self, stage: Stage, step: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = step();
        self.add(stage, started.elapsed());
        result
    }

    pub fn add(&mut self, stage: Stage, took: Duration) {
        self.0[stage as usize] += took;
    }

    /// Adds another job's times to these.
    pub fn merge(&mut self, other: &Stages) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine += theirs;
        }
    }

    /// Each stage with its time, in the order of [`Stage::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (Stage, Duration)> + '_ {
        Stage::ALL
            .iter()
            .map(|&stage| (stage, self.0[stage as usize]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_adds_to_its_stage_only() {
        let mut stages = Stages::default();
        stages.add(Stage::Fit, Duration::from_millis(3));
        let value = stages.time(Stage::Fit, || {
            std::thread::sleep(Duration::from_millis(2));
            7
        });
        assert_eq!(value, 7);
        let times: Vec<(Stage, Duration)> = stages.iter().collect();
        assert_eq!(times.len(), Stage::ALL.len());
        for (stage, took) in times {
            match stage {
                Stage::Fit => assert!(took >= Duration::from_millis(5), "{took:?}"),
                _ => assert_eq!(took, Duration::ZERO, "{}", stage.name()),
            }
        }
    }
}
