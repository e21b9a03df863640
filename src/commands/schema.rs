//! `cvgen schema`.

use super::{Done, print_out};

/// `cvgen schema [profile|application]`: the JSON Schema of a format,
/// generated from the Rust types so that it cannot drift from them.
pub(super) fn schema(format: &str) -> Done {
    let schema = match format {
        "application" => crate::application::schema_json(),
        _ => crate::profile::schema_json(),
    };
    print_out(&format!("{schema}\n"));
    Ok(())
}
