//! `cvgen completions` and `cvgen man`, generated from the command-line
//! definitions.

use std::io::Write;

use clap::CommandFactory;

use super::{Done, print_out};
use crate::cli::Cli;
use crate::error::CommandError;

/// `cvgen completions SHELL`: the shell's completion script, generated
/// from the command-line definitions, so it cannot drift from them.
pub(super) fn completions(shell: clap_complete::Shell) -> Done {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cvgen", &mut out);
    print_out(&String::from_utf8_lossy(&out));
    Ok(())
}

/// `cvgen man`: the manual page, from the same definitions, with a section
/// per command.
pub(super) fn man() -> Done {
    let command = Cli::command();
    let mut out = Vec::new();
    let rendered = clap_mangen::Man::new(command.clone())
        .render(&mut out)
        .and_then(|()| {
            // Each command's options under its own heading.
            for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
                let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
                writeln!(out, ".SH \"CVGEN {}\"", sub.get_name().to_uppercase())?;
                writeln!(out, "{}", about.replace('\\', "\\\\"))?;
                if sub.get_arguments().any(|a| !a.is_hide_set()) {
                    clap_mangen::Man::new(sub.clone()).render_options_section(&mut out)?;
                }
            }
            Ok(())
        });
    if let Err(err) = rendered {
        return Err(CommandError::Failed(Some(format!(
            "cannot write the manual page: {err}"
        ))));
    }
    print_out(&String::from_utf8_lossy(&out));
    Ok(())
}
