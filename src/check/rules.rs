//! The checks types cannot express: links and addresses, dates in order
//! and not in the future, empty and repeated parts, bullet depth.

use std::ops::Range;

use toml::de::DeTable;

use super::tree::{Key, span};
use crate::diagnostic::Diagnostic;
use crate::profile::{
    Basics, Bullet, DateBound, MAX_BULLET_DEPTH, PartialDate, Profile, Section, SectionKind,
};

/// Names that become file names: `[output] name` and `[anonymize] id`.
pub(super) fn check_names(profile: &Profile, tree: &DeTable, out: &mut Vec<Diagnostic>) {
    if let Some(name) = &profile.output.name
        && !is_file_name(name)
    {
        out.push(
            Diagnostic::error(
                format!("`{name}` cannot name output files"),
                span(tree, &[Key::Name("output"), Key::Name("name")]),
            )
            .hint("use letters, digits, `-`, `_` and `.`, not starting with `.` (e.g. \"ada-lovelace\")"),
        );
    }
    if let Some(id) = &profile.anonymize.id
        && (id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    {
        out.push(
            Diagnostic::error(
                format!("`{id}` is not a candidate id"),
                span(tree, &[Key::Name("anonymize"), Key::Name("id")]),
            )
            .hint("an id names files (`candidate-<id>.pdf`): use ASCII letters, digits and `-`"),
        );
    }
}

/// Whether a name is safe as a file name on every system: no folders, no
/// hidden files, nothing a shell or make reads specially.
fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

pub(super) fn check_basics(
    basics: &Basics,
    tree: &DeTable,
    today: (i32, u8),
    out: &mut Vec<Diagnostic>,
) {
    let at = |key: &str| span(tree, &[Key::Name("basics"), Key::Name(key)]);
    if let Some(url) = &basics.url {
        check_url(url, at("url"), out);
    }
    for (i, profile) in basics.profiles.iter().enumerate() {
        if let Some(url) = &profile.url {
            check_url(
                url,
                span(
                    tree,
                    &[
                        Key::Name("basics"),
                        Key::Name("profiles"),
                        Key::Index(i),
                        Key::Name("url"),
                    ],
                ),
                out,
            );
        }
    }
    if let Some(email) = &basics.email
        && !crate::link::is_email(email)
    {
        out.push(
            Diagnostic::error(format!("`{email}` is not an email address"), at("email"))
                .hint("write it as name@example.org"),
        );
    }
    if let Some(birth) = basics.birth_date {
        check_future(&birth, today, at("birth_date"), out);
    }
}

pub(super) fn check_sections(
    profile: &Profile,
    tree: &DeTable,
    source: &str,
    today: (i32, u8),
    out: &mut Vec<Diagnostic>,
) {
    for (s, section) in profile.sections.iter().enumerate() {
        let at = |path: &[Key]| {
            let mut full = vec![Key::Name("section"), Key::Index(s)];
            full.extend_from_slice(path);
            span(tree, &full)
        };
        let title = section.heading();
        let label = if title.is_empty() {
            format!("section {}", s + 1)
        } else {
            format!("section `{title}`")
        };
        if section.body.as_deref().is_none_or(|b| b.trim().is_empty())
            && section.items.is_empty()
            && section.entries.is_empty()
            && section.bibliography.is_none()
        {
            out.push(
                Diagnostic::warning(format!("{label} is empty"), at(&[Key::Name("kind")]))
                    .hint("it prints a heading with nothing under it; add content or remove it"),
            );
        }
        check_bibliography_keys(section, &label, at, out);
        let depth = bullet_depth(section);
        if depth > MAX_BULLET_DEPTH {
            out.push(Diagnostic::error(
                format!("{label} nests bullets {depth} levels deep; at most {MAX_BULLET_DEPTH} are supported"),
                at(&[Key::Name("kind")]),
            ));
        }
        check_links(
            section.body.as_deref(),
            at(&[Key::Name("body")]),
            source,
            out,
        );
        let mut seen: Vec<String> = Vec::new();
        for (e, entry) in section.entries.iter().enumerate() {
            let at_entry = |key: &str| at(&[Key::Name("entries"), Key::Index(e), Key::Name(key)]);
            let fingerprint = serde_json::to_string(entry).unwrap_or_default();
            if seen.contains(&fingerprint) {
                out.push(
                    Diagnostic::warning(
                        format!("entry {} of {label} repeats an earlier entry", e + 1),
                        at(&[Key::Name("entries"), Key::Index(e)]),
                    )
                    .hint("remove one of the two"),
                );
            }
            seen.push(fingerprint);
            if let Some(url) = &entry.url {
                check_url(url, at_entry("url"), out);
            }
            if let (Some(start), Some(DateBound::Date(end))) = (entry.start_date, entry.end_date)
                && end < start
            {
                out.push(
                    Diagnostic::warning(
                        format!("end date {end} is before start date {start}"),
                        at_entry("end_date"),
                    )
                    .hint("swap them, or fix the year"),
                );
            }
            for (key, date) in [
                ("start_date", entry.start_date),
                ("date", entry.date),
                ("release_date", entry.release_date),
            ] {
                if let Some(date) = date {
                    check_future(&date, today, at_entry(key), out);
                }
            }
            if let Some(DateBound::Date(end)) = entry.end_date {
                check_future(&end, today, at_entry("end_date"), out);
            }
            check_links(entry.summary.as_deref(), at_entry("summary"), source, out);
            for bullet in &entry.highlights {
                check_bullet_links(bullet, at_entry("highlights"), source, out);
            }
        }
        for bullet in &section.items {
            check_bullet_links(bullet, at(&[Key::Name("items")]), source, out);
        }
    }
}

fn bullet_depth(section: &Section) -> usize {
    fn depth(bullets: &[Bullet]) -> usize {
        bullets
            .iter()
            .map(|b| 1 + depth(b.items()))
            .max()
            .unwrap_or(0)
    }
    section
        .entries
        .iter()
        .flat_map(|e| std::iter::once(&e.highlights).chain(e.parts.iter().map(|p| &p.highlights)))
        .map(|h| depth(h))
        .chain(std::iter::once(depth(&section.items)))
        .max()
        .unwrap_or(0)
}

fn check_future(
    date: &PartialDate,
    today: (i32, u8),
    at: Option<Range<usize>>,
    out: &mut Vec<Diagnostic>,
) {
    if (date.year, date.month.unwrap_or(1)) > today {
        out.push(
            Diagnostic::warning(format!("date {date} is in the future"), at)
                .hint("for something still going on, write end_date = \"present\""),
        );
    }
}

/// Whether a URL field holds a usable web or mail link.
fn check_url(url: &str, at: Option<Range<usize>>, out: &mut Vec<Diagnostic>) {
    if !crate::link::is_allowed(url) {
        out.push(
            Diagnostic::error(format!("`{url}` is not a valid URL"), at)
                .hint("write it with its scheme, e.g. https://example.org"),
        );
    }
}

/// Markdown links in text whose target is not an allowed link (see
/// `link`): an error pointing at the target itself where it can be found.
pub(super) fn check_links(
    text: Option<&str>,
    at: Option<Range<usize>>,
    source: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(text) = text else { return };
    for (target, words) in crate::markup::link_targets(text) {
        if crate::link::is_allowed(&target) {
            continue;
        }
        let place = at.clone().map(|at| {
            match source.get(at.clone()).and_then(|value| value.find(&target)) {
                Some(offset) if !target.is_empty() => {
                    at.start + offset..at.start + offset + target.len()
                }
                _ => at,
            }
        });
        out.push(
            Diagnostic::error(
                format!("the link `{target}` (on “{words}”) is not a web, mail or phone link"),
                place,
            )
            .hint("links are https://…, http://…, mailto:name@example.org or tel:+1…"),
        );
    }
}

fn check_bullet_links(
    bullet: &Bullet,
    at: Option<Range<usize>>,
    source: &str,
    out: &mut Vec<Diagnostic>,
) {
    check_links(Some(bullet.text()), at.clone(), source, out);
    for item in bullet.items() {
        check_bullet_links(item, at.clone(), source, out);
    }
}

/// A bibliography belongs to a publications section, and its options to a
/// section that has one.
fn check_bibliography_keys(
    section: &Section,
    label: &str,
    at: impl Fn(&[Key]) -> Option<Range<usize>>,
    out: &mut Vec<Diagnostic>,
) {
    if section.bibliography.is_some() && section.kind != SectionKind::Publications {
        out.push(
            Diagnostic::error(
                format!("{label} is not a publications section; only those read a bibliography"),
                at(&[Key::Name("bibliography")]),
            )
            .hint("write kind = \"publications\""),
        );
    }
    if section.bibliography.is_none() {
        let options = [
            ("style", section.style.is_some()),
            ("keys", !section.keys.is_empty()),
            ("kinds", !section.kinds.is_empty()),
            ("order", section.order.is_some()),
        ];
        for (key, _) in options.iter().filter(|(_, set)| *set) {
            out.push(
                Diagnostic::error(
                    format!("`{key}` chooses entries of a bibliography, and {label} names none"),
                    at(&[Key::Name(key)]),
                )
                .hint("name the file: bibliography = \"papers.bib\""),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_plain_file_names() {
        assert!(is_file_name("ada-lovelace_2.cv"));
        assert!(is_file_name("zoë"));
        for bad in [
            "", ".hidden", "a/b", "a\\b", "a b", "c#", "50%", "a:b", "x$y",
        ] {
            assert!(!is_file_name(bad), "{bad:?}");
        }
    }
}
