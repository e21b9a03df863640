//! Plain text for application portals and Markdown for a personal site:
//! the outline written as lines. Paragraphs are never wrapped (a portal's
//! field reflows them), bullets are `-`, headings stand on their own lines,
//! an entry's dates on its first line; nothing of the page (numbers, the
//! running name) is there to get in the way.

use super::outline::{Block, Role, flat};
use crate::markup::Run;

/// Plain text.
pub fn txt(blocks: &[Block]) -> String {
    write(blocks, |block| {
        let text = flat(&block.runs.iter().map(plain_run).collect::<String>())
            .trim()
            .to_owned();
        match block.role {
            Role::Bullet(level) => format!("{}- {text}", "  ".repeat(level)),
            _ => text,
        }
    })
}

/// Markdown (CommonMark): headings, lists, emphasis and links; the
/// profile's text escaped, so that it reads as written.
pub fn md(blocks: &[Block]) -> String {
    write(blocks, |block| {
        let text = match block.role {
            // Headings carry no inline emphasis of their own.
            Role::Title | Role::Heading | Role::EntryHead => escape(
                flat(
                    &block
                        .runs
                        .iter()
                        .map(|r| r.text.as_str())
                        .collect::<String>(),
                )
                .trim(),
            ),
            _ => block
                .runs
                .iter()
                .map(md_run)
                .collect::<String>()
                .trim()
                .to_owned(),
        };
        match block.role {
            Role::Title => format!("# {text}"),
            Role::Heading => format!("## {text}"),
            Role::EntryHead => format!("### {text}"),
            Role::Bullet(level) => format!("{}- {text}", "  ".repeat(level)),
            // A line of an address ends with a hard break but the last.
            Role::Address => format!("{text}\\"),
            _ => text,
        }
    })
    .replace("\\\n\n", "\n\n")
}

/// Joins blocks into lines: a blank line between paragraphs, none inside a
/// list, between an entry's two head lines or inside an address.
fn write(blocks: &[Block], line: impl Fn(&Block) -> String) -> String {
    let mut out = String::new();
    let mut previous: Option<Role> = None;
    for block in blocks {
        let together = matches!(
            (previous, block.role),
            (Some(Role::Bullet(_)), Role::Bullet(_))
                | (Some(Role::EntryHead), Role::EntryWhere)
                | (Some(Role::Address), Role::Address)
        );
        if previous.is_some() {
            out.push_str(if together { "\n" } else { "\n\n" });
        }
        out.push_str(&line(block));
        previous = Some(block.role);
    }
    out.push('\n');
    // A trailing hard break has nothing to break.
    if out.ends_with("\\\n") {
        out.truncate(out.len() - 2);
        out.push('\n');
    }
    out
}

/// A run in plain text: a link whose text is not its target says where it
/// goes, in brackets.
fn plain_run(run: &Run) -> String {
    match &run.link {
        Some(target) if !same_target(&run.text, target) => format!("{} ({target})", run.text),
        _ => run.text.clone(),
    }
}

fn same_target(text: &str, target: &str) -> bool {
    let bare = |t: &str| {
        let t = t.trim();
        let t = t
            .strip_prefix("mailto:")
            .or_else(|| t.strip_prefix("tel:"))
            .or_else(|| t.strip_prefix("https://"))
            .or_else(|| t.strip_prefix("http://"))
            .unwrap_or(t);
        t.trim_end_matches('/').to_lowercase()
    };
    bare(text) == bare(target) || bare(text).replace(' ', "") == bare(target)
}

fn md_run(run: &Run) -> String {
    let text = flat(&run.text);
    // Emphasis markers must touch the text: spaces go outside them.
    let core = text.trim();
    if core.is_empty() {
        return text;
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let tail = &text[text.trim_end().len()..];
    let mut body = match run.code {
        true => code_span(core),
        false => escape(core),
    };
    if run.emph {
        body = format!("*{body}*");
    }
    if run.strong {
        body = format!("**{body}**");
    }
    if let Some(target) = &run.link {
        body = format!("[{body}](<{}>)", target.replace(['<', '>', '\n'], ""));
    }
    format!("{lead}{body}{tail}")
}

fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Profile text as Markdown that reads as written: every character
/// Markdown could take for syntax is escaped, and a line that would start a
/// list, a heading or a quote does not.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. ", "- ", "+ " or "=" at the start would be a list or a heading.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let after = out[digits..].chars().next();
    if (digits > 0 && matches!(after, Some('.' | ')')))
        || (digits == 0 && matches!(after, Some('-' | '+' | '=')))
    {
        out.insert(digits, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::outline::run;

    fn block(role: Role, text: &str) -> Block {
        Block {
            role,
            runs: vec![run(text)],
        }
    }

    #[test]
    fn text_is_unwrapped_and_bullets_are_dashes() {
        let blocks = [
            block(Role::Heading, "Experience"),
            block(Role::EntryHead, "Engineer | 2020 – Present"),
            block(Role::EntryWhere, "Acme"),
            block(Role::Bullet(0), "Built\nthings,   well"),
            block(Role::Bullet(1), "nested"),
        ];
        assert_eq!(
            txt(&blocks),
            "Experience\n\nEngineer | 2020 – Present\nAcme\n\n- Built things, well\n  - nested\n"
        );
    }

    #[test]
    fn markdown_escapes_what_would_be_syntax() {
        assert_eq!(escape("1. *not* a [list]"), "1\\. \\*not\\* a \\[list\\]");
        assert_eq!(escape("- dash"), "\\- dash");
        assert_eq!(escape("C# & <b>"), "C\\# \\& \\<b\\>");
        let blocks = [
            block(Role::Title, "Ada # Example"),
            Block {
                role: Role::Body,
                runs: vec![
                    Run {
                        strong: true,
                        ..run("Bold ")
                    },
                    Run {
                        link: Some("https://example.org/a_b".into()),
                        ..run("site")
                    },
                ],
            },
        ];
        assert_eq!(
            md(&blocks),
            "# Ada \\# Example\n\n**Bold** [site](<https://example.org/a_b>)\n"
        );
    }
}
