//! `cvgen layouts`.

use super::{Done, print_out};
use crate::cli::LayoutsArgs;
use crate::error::SetupError;
use crate::layout::Layouts;

/// `cvgen layouts`: every layout with its parameters, types and defaults.
pub(super) fn layouts(args: LayoutsArgs) -> Done {
    let layouts =
        Layouts::load(args.resources.layouts_dir().as_deref()).map_err(SetupError::from)?;
    let mut text = String::new();
    for info in layouts.infos() {
        text.push_str(&format!("{}\n", info.name));
        if !info.description.is_empty() {
            text.push_str(&format!("  {}\n", info.description));
        }
        for param in &info.params {
            text.push_str(&format!(
                "  {:<14} {} [default: {}]\n",
                param.name,
                param.ty.describe(),
                param.default
            ));
            if !param.description.is_empty() {
                text.push_str(&format!("  {:<14} {}\n", "", param.description));
            }
        }
    }
    text.push_str(
        "\nlanguages (`lang = \"..\"` in [layout]; add one as lang/<code>.toml in your layouts folder)\n",
    );
    for language in layouts.languages() {
        let direction = if language.is_right_to_left() {
            " (right to left)"
        } else {
            ""
        };
        text.push_str(&format!(
            "  {:<6} {}{direction}\n",
            language.code, language.name
        ));
    }
    print_out(&text);
    Ok(())
}
