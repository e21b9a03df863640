//! What each subcommand prints and the exit code it returns. The work itself
//! happens in the pipeline modules; this is presentation.

use std::process::ExitCode;

use crate::cli::{LayoutsArgs, RenderArgs};
use crate::error::ConfigError;
use crate::layout::Layouts;
use crate::render::{self, Outcome};

/// Exit code when some profile or job failed.
pub const EXIT_FAILED: u8 = 1;

/// `cvgen render`: one line per document on stderr, failures in full, and a
/// summary at the end.
pub fn render(args: RenderArgs) -> Result<ExitCode, ConfigError> {
    let verbose = args.verbose;
    let config = args.config()?;
    let summary = render::render(&config, |outcome| print_outcome(outcome, verbose))?;
    let failed = summary.failures();
    eprintln!(
        "rendered {} document(s), {} failed",
        summary.written(),
        failed
    );
    if failed > 0 {
        for outcome in &summary.outcomes {
            if let Outcome::Failed {
                profile, variant, ..
            } = outcome
            {
                let variant = variant
                    .map(|v| format!(" ({})", v.name()))
                    .unwrap_or_default();
                eprintln!("  failed: {}{variant}", profile.display());
            }
        }
        return Ok(ExitCode::from(EXIT_FAILED));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_outcome(outcome: &Outcome, verbose: bool) {
    match outcome {
        Outcome::Written {
            output,
            pages,
            millis,
            warnings,
            compiles,
            dropped,
            ..
        } => {
            for warning in warnings {
                eprintln!("{warning}");
            }
            let plural = if *pages == 1 { "" } else { "s" };
            let fitted = if *compiles > 1 {
                format!(", fitted in {compiles} compiles")
            } else {
                String::new()
            };
            eprintln!(
                "wrote {} ({pages} page{plural}, {millis} ms{fitted})",
                output.display()
            );
            if verbose {
                for change in dropped {
                    eprintln!("  {change}");
                }
            } else if !dropped.is_empty() {
                eprintln!(
                    "  {} change(s) to fit one page; --verbose lists them",
                    dropped.len()
                );
            }
        }
        Outcome::Failed {
            profile,
            variant: Some(variant),
            message,
        } => {
            eprintln!("error: {} ({variant}): {message}", profile.display())
        }
        Outcome::Failed {
            variant: None,
            message,
            ..
        } => eprintln!("error: {message}"),
    }
}

/// `cvgen layouts`: every layout with its parameters, types and defaults.
pub fn layouts(args: LayoutsArgs) -> Result<ExitCode, ConfigError> {
    let layouts = Layouts::load(args.resources.layouts_dir().as_deref())?;
    for info in layouts.infos() {
        println!("{}", info.name);
        if !info.description.is_empty() {
            println!("  {}", info.description);
        }
        for param in &info.params {
            println!(
                "  {:<14} {} [default: {}]",
                param.name,
                param.ty.describe(),
                param.default
            );
            if !param.description.is_empty() {
                println!("  {:<14} {}", "", param.description);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
