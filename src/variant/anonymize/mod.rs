//! Anonymization: a profile without personal data, and the list of personal
//! values (the secrets) that neither its text nor its PDF may contain.
//!
//! Structured personal fields are removed outright: the contact details,
//! the photo, birth date and place, gender, nationality, marital status,
//! and every `personal` section (a German CV's "Persönliche Daten"). A
//! reference names a third party: the references section keeps its
//! heading and says, in the document's language, that references are
//! available on request. The same values are then redacted wherever they
//! appear in free text:
//!
//! - the name in each spelling the profile gives (`other_names`, and what
//!   brackets hold: "Wang Xiaoming (王小明)"), as a whole, as the surname
//!   with its particles ("van der Berg", "Ó Súilleabháin"), and each part
//!   that identifies the person, as a word in any case and spelling
//!   (names), with the endings the language gives names ("Jans", "Lenas";
//!   "Волковой" of "Волкова"); titles ("Dr.", "Prof.") and particles
//!   ("van", "de", "Al-") are ordinary words alone;
//! - name parts that are ordinary words somewhere ("Will", "Rose", "אור")
//!   or short ("Li", "Jan", Vietnamese syllables) only where they are
//!   written as names: capitalised, not an acronym, and, in scripts
//!   without capitals, as words of their own;
//! - every email address, and any link or handle that contains a name part,
//!   the personal domain or a profile user name (a network's own domain,
//!   `line.me`, is nobody's);
//! - Cyrillic and Greek names and places also in their usual Latin
//!   spellings ("Nadezhda Volkova", "Thessaloniki", see [`romanize`]);
//! - the phone number in any formatting (compared by its last seven digits);
//! - the address, postal code, city, region and place of birth;
//! - the birth date written in any language's words and digits (see
//!   [`dates`]), and dates and phrases of the personal sections.
//!
//! Gender, nationality and marital status are removed as fields but not
//! searched for in text: "German" in a languages section is not personal.
//! Words the layout prints by itself (a month beside a year, the page
//! label, headings) are never taken for a name.

mod dates;
mod document;
mod matching;
mod names;
mod romanize;
mod secrets;
mod words;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub use document::redact_document;
pub use secrets::{Leak, Matcher, Secrets, Tongue, around};

use crate::bibliography::Publications;
use crate::profile::{
    AnonymizeOptions, Basics, Bullet, Location, PartialDate, Profile, Section, SectionKind,
};

/// A short, stable identifier for a candidate: the profile's own
/// `[anonymize] id`, or a hash of who they are (name, email, phone), falling
/// back to the file name. It is a pseudonym, not a secret.
///
/// With a key (`CVGEN_ANON_KEY`, `--anon-key-file`) the hash is an HMAC:
/// only who holds the key can recompute an id from a list of applicants.
/// Without one, anyone with the list can, and the run says so.
pub fn candidate_id(profile: &Profile, slug: &str, key: Option<&[u8]>) -> String {
    if let Some(id) = nonempty(&profile.anonymize.id) {
        return id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
    }
    let basics = &profile.basics;
    let identity = [&basics.name, &basics.email, &basics.phone].map(|v| nonempty(v).unwrap_or(""));
    let mut message = b"cvgen candidate\n".to_vec();
    if identity.iter().all(|v| v.is_empty()) {
        message.extend(slug.as_bytes());
    } else {
        for value in identity {
            message.extend(value.to_lowercase().as_bytes());
            message.push(b'\n');
        }
    }
    let digest: Vec<u8> = match key {
        None => Sha256::digest(&message).to_vec(),
        Some(key) => {
            // HMAC takes a key of any length.
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
                unreachable!("HMAC accepts every key length")
            };
            mac.update(&message);
            mac.finalize().into_bytes().to_vec()
        }
    };
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// What an anonymized document was cleared of, and what it still says that
/// could point at the person, for `--verbose`: HR chooses the options.
pub fn summary(
    before: &Profile,
    after: &Profile,
    redacted: &crate::data::Document,
    options: &AnonymizeOptions,
) -> Vec<String> {
    let before = serde_json::to_string(&before.sections).unwrap_or_default();
    let after_text =
        serde_json::to_string(&(&redacted.sections, &redacted.letter)).unwrap_or_default();
    let mut lines = Vec::new();
    let counts: Vec<String> = [
        "[name]",
        "[email]",
        "[phone]",
        "[link]",
        "[location]",
        "[date]",
        "[redacted]",
    ]
    .iter()
    .filter_map(|token| {
        let n = after_text
            .matches(token)
            .count()
            .saturating_sub(before.matches(token).count());
        (n > 0).then(|| format!("{} ×{n}", token.trim_matches(['[', ']'])))
    })
    .collect();
    lines.push(if counts.is_empty() {
        "redacted in the text: nothing".to_owned()
    } else {
        format!("redacted in the text: {}", counts.join(", "))
    });
    let count_entries = |kinds: &[SectionKind]| {
        after
            .sections
            .iter()
            .filter(|s| kinds.contains(&s.kind))
            .map(|s| s.entries.len())
            .sum::<usize>()
    };
    let employers = count_entries(&[SectionKind::Work, SectionKind::Volunteer]);
    if !options.employers && employers > 0 {
        lines.push(format!(
            "kept: {employers} employer name(s); --anon-employers replaces them"
        ));
    }
    let schools = count_entries(&[SectionKind::Education]);
    if !options.schools && schools > 0 {
        lines.push(format!(
            "kept: {schools} school name(s); --anon-schools replaces them"
        ));
    }
    let exact = after.sections.iter().flat_map(|s| &s.entries).any(|e| {
        [e.start_date, e.date, e.release_date]
            .iter()
            .flatten()
            .any(|d| d.month.is_some())
    });
    if !options.years_only && exact {
        lines.push("kept: exact dates; --anon-years-only keeps the years".to_owned());
    }
    lines
}

/// A profile with its personal data removed and redacted, and the secrets
/// to check the result against. The word for the person in the document's
/// language (`Candidate`) and the id stand where the name was. `translations`
/// are the same profile in its other languages: what is personal in any of
/// them is searched for in this one too (a city's other name, a name in
/// another script).
pub fn anonymize(
    profile: &Profile,
    translations: &[Profile],
    id: &str,
    options: &AnonymizeOptions,
    tongue: Tongue,
) -> (Profile, Secrets) {
    let mut secrets = Secrets::of(&profile.basics, options, tongue);
    for other in translations {
        secrets.add_basics(&other.basics);
    }
    let mut out = profile.clone();
    // Personal details go whole; what they said is searched for elsewhere.
    for section in std::iter::once(profile)
        .chain(translations)
        .flat_map(|p| &p.sections)
        .filter(|s| is_personal(s))
    {
        for (label, value) in personal_values(section) {
            secrets.add_detail(label, value);
        }
    }
    out.sections.retain(|s| !is_personal(s));
    // A reference is somebody else's name and number.
    for section in out
        .sections
        .iter_mut()
        .filter(|s| s.kind == SectionKind::References)
    {
        *section = Section {
            title: section.title.clone(),
            priority: section.priority,
            body: Some(tongue.words.references.clone()),
            ..Section::new(SectionKind::References)
        };
    }
    // A student is somebody else's name, and searching for it finds the
    // supervisor: supervision keeps the degree, the school and the thesis.
    for entry in out
        .sections
        .iter_mut()
        .filter(|s| s.kind == SectionKind::Supervision)
        .flat_map(|s| &mut s.entries)
    {
        entry.name = None;
    }
    // Publications from a bibliography keep only their anonymous form: the
    // person's name replaced, links and identifiers gone.
    for section in &mut out.sections {
        if let Some(publications) = &section.publications {
            section.publications = Some(std::sync::Arc::new(Publications {
                shown: publications.anonymous.clone(),
                anonymous: publications.anonymous.clone(),
            }));
        }
    }
    let label = format!("{} {id}", tongue.words.candidate);
    out.basics = Basics {
        name: Some(label),
        label: profile.basics.label.clone(),
        location: profile.basics.location.as_ref().map(|l| Location {
            country: l.country.clone(),
            country_code: l.country_code.clone(),
            ..Location::default()
        }),
        ..Basics::default()
    };
    for section in &mut out.sections {
        for entry in &mut section.entries {
            let generic = match section.kind {
                SectionKind::Work if options.employers => Some("a company"),
                SectionKind::Volunteer if options.employers => Some("an organization"),
                SectionKind::Education if options.schools => Some("a university"),
                _ => None,
            };
            if let Some(generic) = generic {
                let alias = entry.alias.clone().unwrap_or_else(|| generic.to_owned());
                for field in [
                    &mut entry.name,
                    &mut entry.organization,
                    &mut entry.institution,
                ] {
                    if let Some(original) = field.replace(alias.clone()) {
                        secrets.add_alias(&original, &alias);
                    }
                }
                entry.url = None;
            }
            if options.years_only {
                let year = |d: PartialDate| PartialDate {
                    month: None,
                    day: None,
                    ..d
                };
                entry.start_date = entry.start_date.map(year);
                entry.date = entry.date.map(year);
                entry.release_date = entry.release_date.map(year);
                entry.end_date = entry.end_date.map(|bound| match bound {
                    crate::profile::DateBound::Date(d) => crate::profile::DateBound::Date(year(d)),
                    present => present,
                });
            }
            entry.alias = None;
        }
    }
    (out, secrets)
}

/// Headings of personal-details sections, besides each language file's
/// own (`titles.personal`): a profile that lists them under a `list` or
/// `text` section of that name is understood too.
const PERSONAL_TITLES: &[&str] = &[
    "personal details",
    "personal information",
    "personal data",
    "personal info",
    "persönliches",
    "persönliche angaben",
    "angaben zur person",
    "zur person",
    "état civil",
    "informations personnelles",
    "données personnelles",
    "información personal",
    "informações pessoais",
    "informazioni personali",
    "personalia",
    "kişisel bilgi",
    "личная информация",
    "osobní informace",
    "المعلومات الشخصية",
    "인적 사항",
    "thông tin cá nhân",
];

/// Whether a section holds personal details: by its kind, or by a heading
/// that says so in some language ("Persönliche Daten", "État civil").
fn is_personal(section: &Section) -> bool {
    if section.kind == SectionKind::Personal {
        return true;
    }
    let Some(title) = section.title.as_deref() else {
        return false;
    };
    // Folded once per process: the list and every language's heading.
    static TITLES: std::sync::LazyLock<std::collections::HashSet<String>> =
        std::sync::LazyLock::new(|| {
            let headings = crate::layout::builtin_languages()
                .values()
                .filter_map(|language| language.words.titles.get("personal"));
            PERSONAL_TITLES
                .iter()
                .copied()
                .chain(headings.map(String::as_str))
                .map(matching::fold)
                .collect()
        });
    TITLES.contains(&matching::fold(title.trim().trim_end_matches(':')))
}

/// Every value a personal-details section states, with its label where
/// it has one ("Geburtsort", "Lieu de naissance").
fn personal_values(section: &Section) -> Vec<(Option<&str>, &str)> {
    let mut values: Vec<(Option<&str>, &str)> = Vec::new();
    for entry in &section.entries {
        let label = entry.name.as_deref();
        values.extend(entry.description.as_deref().map(|v| (label, v)));
        values.extend(entry.summary.as_deref().map(|v| (label, v)));
        values.extend(entry.keywords.iter().map(|v| (label, v.as_str())));
    }
    let items = section.items.iter().map(Bullet::text);
    let lines = section.body.iter().flat_map(|body| body.lines());
    for text in items.chain(lines) {
        // "Geburtsort: München": the value after the label.
        match text.split_once(':') {
            Some((label, value)) => values.push((Some(label.trim()), value)),
            None => values.push((None, text)),
        }
    }
    values
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// English, as the built-in language file says it.
    pub(super) fn english() -> Tongue<'static> {
        Tongue {
            code: "en",
            words: &crate::layout::builtin_languages()["en"].words,
        }
    }

    /// The layout data of a profile's anonymized document, redacted.
    fn redacted(toml: &str, options: &AnonymizeOptions) -> (Profile, crate::data::Document) {
        let profile = crate::profile::parse(toml).unwrap();
        let (anon, secrets) = anonymize(&profile, &[], "abcd1234", options, english());
        let english = &crate::layout::builtin_languages()["en"];
        let locale = crate::data::Locale::new(english, Default::default());
        let mut document = crate::data::document(&anon, "anon", Default::default(), &locale);
        redact_document(&mut document, &secrets);
        assert!(
            secrets
                .find(&serde_json::to_string(&document.sections).unwrap())
                .is_none()
        );
        (anon, document)
    }

    #[test]
    fn anonymizing_removes_fields_and_generalizes_on_request() {
        let toml = "[basics]\nname = \"Reed Allman\"\nemail = \"reed@rdallman.com\"\nphone = \"555 123 4567\"\n\
            location = { city = \"Oakland\", country = \"USA\" }\n\
            [[section]]\nkind = \"work\"\n[[section.entries]]\nname = \"Oracle\"\nalias = \"large cloud provider\"\n\
            start_date = \"2017-05\"\nsummary = \"Built Oracle's functions with Reed's team in Oakland.\"\n";
        let options = AnonymizeOptions {
            employers: true,
            years_only: true,
            ..Default::default()
        };
        let (anon, document) = redacted(toml, &options);
        assert_eq!(anon.basics.name.as_deref(), Some("Candidate abcd1234"));
        assert!(anon.basics.email.is_none() && anon.basics.phone.is_none());
        let location = anon.basics.location.as_ref().unwrap();
        assert_eq!(
            (location.city.as_deref(), location.country.as_deref()),
            (None, Some("USA"))
        );
        let entry = &anon.sections[0].entries[0];
        assert_eq!(entry.name.as_deref(), Some("large cloud provider"));
        assert_eq!(entry.start_date.unwrap().month, None);
        assert_eq!(
            document.sections[0].entries[0].summary[0][0].text,
            "Built large cloud provider's functions with [name]'s team in [location]."
        );
    }

    /// Every text a layout prints is redacted: the name is written into
    /// every field of every section kind, and none survives.
    #[test]
    fn every_text_field_is_redacted() {
        let entry_fields = [
            "name",
            "organization",
            "position",
            "description",
            "location",
            "institution",
            "area",
            "study_type",
            "score",
            "title",
            "awarder",
            "issuer",
            "publisher",
            "level",
            "language",
            "fluency",
            "entity",
            "reference",
            "url",
            "summary",
            "short",
        ];
        let mut toml = String::from("[basics]\nname = \"Reed Allman\"\nlabel = \"Reed\"\n");
        for kind in [
            "text",
            "list",
            "work",
            "volunteer",
            "education",
            "awards",
            "certificates",
            "publications",
            "skills",
            "languages",
            "interests",
            "projects",
            "talks",
            "grants",
            "teaching",
            "supervision",
        ] {
            toml.push_str(&format!(
                "[[section]]\nkind = \"{kind}\"\ntitle = \"Reed\"\n\
                 subtitle = \"Reed\"\nbody = \"Reed\"\nshort = \"Reed\"\ntags = [\"Reed\"]\n\
                 items = [\"Reed\", {{ text = \"Reed\", short = \"Reed\", tags = [\"Reed\"], items = [\"Reed\"] }}]\n\
                 [[section.entries]]\n"
            ));
            for field in entry_fields {
                toml.push_str(&format!("{field} = \"Reed\"\n"));
            }
            for list in ["courses", "keywords", "roles", "tags", "highlights"] {
                toml.push_str(&format!("{list} = [\"Reed\"]\n"));
            }
            toml.push_str("parts = [{ summary = \"Reed\", highlights = [\"Reed\"] }]\n");
        }
        let (_, document) = redacted(&toml, &AnonymizeOptions::default());
        let json = serde_json::to_string(&document).unwrap();
        assert!(json.matches("[name]").count() > 150, "{json}");
        assert!(!json.contains("Reed"), "{json}");
    }

    /// What redaction writes is text: never read as Markdown again.
    #[test]
    fn redacted_text_is_not_markdown() {
        let (_, document) = redacted(
            "[basics]\nname = \"Jane Roe\"\nurl = \"https://janeroe.example\"\n[[section]]\nkind = \"text\"\n\
             body = \"Jane(https://evil.example.com) and *Jane* wrote [the blog](https://janeroe.example/posts), [Fn](https://fnproject.io).\"\n",
            &AnonymizeOptions::default(),
        );
        let runs = &document.sections[0].body[0];
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            text,
            "[name](https://evil.example.com) and [name] wrote the blog, Fn."
        );
        let links: Vec<_> = runs.iter().filter_map(|r| r.link.as_deref()).collect();
        assert_eq!(links, ["https://fnproject.io"], "{runs:?}");
        assert!(runs.iter().any(|r| r.emph && r.text == "[name]"));
        // A name split across styles is redacted all the same.
        let (_, document) = redacted(
            "[basics]\nname = \"Jane Roe\"\n[[section]]\nkind = \"text\"\nbody = \"By Ja**ne** R*oe*.\"\n",
            &AnonymizeOptions::default(),
        );
        let runs = &document.sections[0].body[0];
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "By [name].");
    }

    #[test]
    fn candidate_ids_are_stable_and_carry_no_name() {
        let profile = crate::profile::parse("[basics]\nname = \"Reed Allman\"\n").unwrap();
        let id = candidate_id(&profile, "reed", None);
        assert_eq!(id.len(), 8);
        assert_eq!(id, candidate_id(&profile, "other-file-name", None));
        assert!(!id.contains("reed"));
        // A key changes every id, and the same key gives the same id.
        let keyed = candidate_id(&profile, "reed", Some(b"secret of the organisation"));
        assert_ne!(keyed, id);
        assert_eq!(
            keyed,
            candidate_id(&profile, "x", Some(b"secret of the organisation"))
        );
        assert_ne!(keyed, candidate_id(&profile, "x", Some(b"another key")));
    }
}
