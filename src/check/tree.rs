//! The parsed file as a tree with places: looking values up by path, and
//! the size limits checked before anything is built from it.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;

/// The most items a list may hold, and the longest text a field may hold:
/// far beyond any CV, low enough that a mistake cannot make a run crawl.
pub(crate) const MAX_ITEMS: usize = 1000;
pub(crate) const MAX_TEXT_BYTES: usize = 50_000;
/// How deep tables and arrays may nest (a profile needs about eight).
pub(crate) const MAX_DEPTH: usize = 16;

/// Rejects sizes no CV has, before anything is built from them.
pub(super) fn check_limits(value: &Spanned<DeValue>, depth: usize, out: &mut Vec<Diagnostic>) {
    if depth > MAX_DEPTH {
        out.push(Diagnostic::error(
            format!("nested more than {MAX_DEPTH} levels deep"),
            Some(value.span()),
        ));
        return;
    }
    match value.get_ref() {
        DeValue::String(text) if text.len() > MAX_TEXT_BYTES => out.push(
            Diagnostic::error(
                format!(
                    "this text is {} KB; a field holds at most {} KB",
                    text.len() / 1024,
                    MAX_TEXT_BYTES / 1024
                ),
                Some(value.span().start..value.span().start + 1),
            )
            .hint("split it into paragraphs, entries or bullets"),
        ),
        DeValue::Array(items) if items.len() > MAX_ITEMS => out.push(Diagnostic::error(
            format!(
                "this list has {} items; at most {MAX_ITEMS} are supported",
                items.len()
            ),
            Some(value.span().start..value.span().start + 1),
        )),
        DeValue::Array(items) => items
            .iter()
            .for_each(|item| check_limits(item, depth + 1, out)),
        DeValue::Table(table) => table
            .values()
            .for_each(|item| check_limits(item, depth + 1, out)),
        _ => {}
    }
}

/// Every text value below `value`, with its place.
pub(super) fn texts(value: &Spanned<DeValue>) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value.get_ref() {
            DeValue::String(text) => out.push((value.span(), text.to_string())),
            DeValue::Array(items) => stack.extend(items.iter().rev()),
            DeValue::Table(table) => stack.extend(table.values().rev()),
            _ => {}
        }
    }
    out
}

/// A step of a path into the tree.
#[derive(Clone, Copy)]
pub(super) enum Key<'a> {
    Name(&'a str),
    Index(usize),
}

pub(super) fn lookup<'t, 'i>(
    value: &'t Spanned<DeValue<'i>>,
    path: &[Key],
) -> Option<&'t Spanned<DeValue<'i>>> {
    let Some((first, rest)) = path.split_first() else {
        return Some(value);
    };
    let next = match (value.get_ref(), first) {
        (DeValue::Table(table), Key::Name(name)) => table
            .iter()
            .find(|(k, _)| k.get_ref() == name)
            .map(|(_, v)| v)?,
        (DeValue::Array(items), Key::Index(i)) => items.get(*i)?,
        _ => return None,
    };
    lookup(next, rest)
}

/// The value at `path` from the root table.
pub(super) fn lookup_root<'t, 'i>(
    tree: &'t DeTable<'i>,
    path: &[Key],
) -> Option<&'t Spanned<DeValue<'i>>> {
    let (Key::Name(first), rest) = path.split_first()? else {
        return None;
    };
    let value = tree
        .iter()
        .find(|(k, _)| k.get_ref() == first)
        .map(|(_, v)| v)?;
    lookup(value, rest)
}

/// The span of the value at `path` from the root table.
pub(super) fn span(tree: &DeTable, path: &[Key]) -> Option<Range<usize>> {
    lookup_root(tree, path).map(|v| v.span())
}

/// The span of the key at `path` (for unknown parameters).
pub(super) fn key_span(tree: &DeTable, table: &str, key: &str) -> Option<Range<usize>> {
    let value = tree
        .iter()
        .find(|(k, _)| k.get_ref() == table)
        .map(|(_, v)| v)?;
    let DeValue::Table(inner) = value.get_ref() else {
        return None;
    };
    inner
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(k, _)| k.span())
}
