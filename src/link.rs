//! What a link may be: `http` and `https` web addresses, `mailto:` one plain
//! email address, `tel:` a phone number. Nothing else ever becomes a live
//! link in a PDF (`javascript:`, `file:`, `data:` ... are refused where they
//! are written, and dropped if they get further).

/// Whether a link target is one cvgen puts in a PDF.
pub fn is_allowed(url: &str) -> bool {
    if let Some(address) = url.strip_prefix("mailto:") {
        return is_email(address);
    }
    if let Some(number) = url.strip_prefix("tel:") {
        return is_phone(number);
    }
    is_web(url)
}

/// An `http` or `https` address with a plausible host.
pub fn is_web(url: &str) -> bool {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("");
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && (host.contains('.') || host == "localhost")
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        && !host.starts_with('.')
        && !host.ends_with('.')
}

/// A plain email address: one `@`, a local part of letters, digits and
/// `.+-_'`, a domain of letters, digits, `-` and dots. No `?`, `&`, `%`,
/// `,` or second `@`, which a `mailto:` link would read as headers or more
/// recipients (`pat@example.org?cc=someone@else.org`).
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = |c: char| c.is_alphanumeric() || matches!(c, '.' | '+' | '-' | '_' | '\'');
    let domain_ok = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-');
    !local.is_empty()
        && local.chars().all(local_ok)
        && domain.contains('.')
        && domain.chars().all(domain_ok)
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && !domain.contains("..")
}

/// A phone number as `tel:` takes it: an optional `+`, then digits and the
/// usual separators, at least three digits.
pub fn is_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let rest = text.strip_prefix('+').unwrap_or(text);
    digits >= 3
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mail_and_phone_links_only() {
        for good in [
            "https://rdallman.com/x?y#z",
            "http://localhost:8080/",
            "mailto:a@b.org",
            "mailto:o'neill+cv@example.co.uk",
            "tel:+1 (312) 555-0123",
        ] {
            assert!(is_allowed(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<script>",
            "rdallman.com",
            "https://",
            "https://exa mple.org",
            "ftp://example.org",
            "mailto:pat@example.org?cc=evil@evil.org",
            "mailto:a?cc=x@example.org",
            "mailto:a@b@example.org",
            "tel:call-me",
            "vbscript:x",
        ] {
            assert!(!is_allowed(bad), "{bad}");
        }
    }
}
