//! Characters no font can draw, found before anything is compiled: one
//! warning per profile field, at the value, naming the characters and the
//! font package that has them. Typst would print each as an empty box.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use std::sync::Arc;

use unicode_script::{Script, UnicodeScript};

use crate::config::FontSources;
use crate::diagnostic::Diagnostic;
use crate::error::FontFolderError;
use crate::layout::Language;
use crate::typst::fonts::Fonts;

/// How many characters a warning lists before it says "and N more".
const MAX_LISTED: usize = 12;

/// Which characters the run's fonts can draw, remembered per character.
/// The installed fonts are scanned only when a character needs one the
/// embedded and `--font-path` fonts lack (scanning them costs 100 ms and
/// more), so a run is planned once, with the fonts it turns out to need.
pub(crate) struct Coverage<'a> {
    /// The embedded and `--font-path` fonts.
    base: Arc<Fonts>,
    /// Where the installed fonts are found, if the run may use them.
    installed: Option<&'a FontSources>,
    /// Every font, once something needed one beyond the base.
    all: OnceCell<Option<Arc<Fonts>>>,
    /// Per character: whether some font draws it, and whether one of the
    /// base fonts does.
    known: RefCell<HashMap<char, (bool, bool)>>,
    /// How often something needed a font beyond the base ones.
    beyond_base: Cell<usize>,
}

impl<'a> Coverage<'a> {
    /// The coverage of the `base` fonts, and of the installed ones in
    /// `installed` when the base lack a character.
    pub fn new(base: Arc<Fonts>, installed: Option<&'a FontSources>) -> Self {
        Self {
            base,
            installed,
            all: OnceCell::new(),
            known: RefCell::new(HashMap::new()),
            beyond_base: Cell::new(0),
        }
    }

    /// Every font: loaded the first time it is asked for; `None` when the
    /// run ignores the installed fonts (or they cannot be read now).
    fn all(&self) -> Option<&Arc<Fonts>> {
        self.all
            .get_or_init(|| {
                self.installed
                    .and_then(|sources| Fonts::shared(sources).ok())
            })
            .as_ref()
    }

    /// The fonts the run uses: every font if something needed one beyond
    /// the base ones (and the run may use them), else the base ones.
    pub fn fonts(&self) -> Result<Arc<Fonts>, FontFolderError> {
        match self.installed {
            Some(sources) if self.beyond_base() > 0 => Fonts::shared(sources),
            _ => Ok(self.base.clone()),
        }
    }

    /// Whether some font has `c` (characters nobody sees count as drawn).
    pub fn covers(&self, c: char) -> bool {
        if is_invisible(c) {
            return true;
        }
        let has = |fonts: &Fonts, range: std::ops::Range<usize>| {
            range.into_iter().any(|i| {
                fonts
                    .book()
                    .info(i)
                    .is_some_and(|info| info.coverage.contains(c as u32))
            })
        };
        let (any, base) = *self.known.borrow_mut().entry(c).or_insert_with(|| {
            let base = &self.base;
            if has(base, 0..base.base) {
                return (true, true);
            }
            let beyond = self
                .all()
                .is_some_and(|all| has(all, base.base..all.files.len()));
            (beyond, false)
        });
        if !base {
            self.beyond_base.set(self.beyond_base.get() + 1);
        }
        any
    }

    /// Notes a font family a layout parameter names: one the base fonts
    /// lack needs the installed ones.
    pub fn family(&self, family: &str) {
        let book = self.base.book();
        let base = (0..self.base.base).any(|i| {
            book.info(i)
                .is_some_and(|info| info.family.eq_ignore_ascii_case(family))
        });
        if !base {
            self.beyond_base.set(self.beyond_base.get() + 1);
        }
    }

    /// How many times so far a character or family needed a font beyond
    /// the embedded and `--font-path` ones: compare before and after.
    pub fn beyond_base(&self) -> usize {
        self.beyond_base.get()
    }

    /// Warns if no font draws some fixed word of `language` (its headings,
    /// months), at the place the profile chose it, and returns those
    /// characters.
    pub fn check_words(
        &self,
        language: &Language,
        place: Option<Range<usize>>,
        out: &mut Vec<Diagnostic>,
    ) -> BTreeSet<char> {
        let words = &language.words;
        let texts = [
            &words.present,
            &words.date,
            &words.degree,
            &words.cv,
            &words.page,
            &words.candidate,
            &words.earlier,
        ]
        .into_iter()
        .chain(&words.months)
        .chain(&words.short_months)
        .chain(words.titles.values());
        let missing = self.missing(texts.flat_map(|text| text.chars()));
        if !missing.is_empty() {
            let message = format!(
                "no font can draw the fixed words of {} ({}): headings, months and page labels \
                 would print as empty boxes",
                language.name, language.code
            );
            out.push(Diagnostic::warning(message, place));
        }
        missing.into_iter().collect()
    }

    /// The characters of `chars` no font draws, each once, in order.
    fn missing(&self, chars: impl Iterator<Item = char>) -> Vec<char> {
        let mut missing = Vec::new();
        for c in chars {
            if !self.covers(c) && !missing.contains(&c) {
                missing.push(c);
            }
        }
        missing
    }

    /// Warns once per text whose characters some font lacks, and returns
    /// every such character.
    pub fn check(
        &self,
        texts: &[(Range<usize>, String)],
        out: &mut Vec<Diagnostic>,
    ) -> BTreeSet<char> {
        let mut all = BTreeSet::new();
        for (span, text) in texts {
            let missing = self.missing(text.chars());
            if !missing.is_empty() {
                out.push(warning(&missing, span.clone()));
                all.extend(missing);
            }
        }
        all
    }
}

/// Characters that take no ink: spaces, controls, joiners, direction marks,
/// variation selectors.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0100}'..='\u{E01EF}')
}

/// Where to get a font for a script: the font, the Debian/Ubuntu package,
/// the Homebrew cask.
pub(crate) struct Package {
    pub font: String,
    pub debian: &'static str,
    pub homebrew: String,
}

/// The Noto font and the package that provide `c`.
pub(crate) fn package_for(c: char) -> Package {
    let cjk = [
        Script::Han,
        Script::Hiragana,
        Script::Katakana,
        Script::Hangul,
        Script::Bopomofo,
    ];
    let extension = c.script_extension();
    // A character shared by some scripts only (the Arabic comma, U+060C,
    // is "Common" but Arabic, Syriac and Thaana use it) comes with their
    // fonts, not a symbols font.
    let script = match c.script() {
        Script::Common | Script::Inherited => extension
            .iter()
            .find(|s| !matches!(s, Script::Common | Script::Inherited | Script::Unknown))
            .unwrap_or(c.script()),
        script => script,
    };
    match script {
        // Punctuation CJK text uses (fullwidth comma, ideographic full stop)
        // is "Common" but comes with the CJK fonts.
        _ if cjk.iter().any(|s| extension.contains_script(*s)) => Package {
            font: "Noto Sans CJK / Noto Serif CJK".into(),
            debian: "fonts-noto-cjk",
            homebrew: "font-noto-sans-cjk".into(),
        },
        _ if is_emoji(c) => Package {
            font: "Noto Color Emoji".into(),
            debian: "fonts-noto-color-emoji",
            homebrew: "font-noto-color-emoji".into(),
        },
        Script::Common | Script::Inherited | Script::Unknown => Package {
            font: "Noto Sans Symbols".into(),
            debian: "fonts-noto-core",
            homebrew: "font-noto-sans-symbols".into(),
        },
        _ => {
            let name = script.full_name().replace('_', " ");
            Package {
                homebrew: format!("font-noto-sans-{}", name.to_lowercase().replace(' ', "-")),
                font: format!("Noto Sans {name}"),
                debian: "fonts-noto-core",
            }
        }
    }
}

fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}')
}

/// One warning for a field: its missing characters, by script, with the
/// package of each.
fn warning(missing: &[char], span: Range<usize>) -> Diagnostic {
    let listed: Vec<String> = missing
        .iter()
        .take(MAX_LISTED)
        .map(|c| format!("{c} (U+{:04X})", *c as u32))
        .collect();
    let more = missing.len().saturating_sub(MAX_LISTED);
    let count = missing.len();
    let mut message = format!(
        "no font can draw {} of this text: {}",
        if count == 1 {
            "a character".to_owned()
        } else {
            format!("{count} characters")
        },
        listed.join(", ")
    );
    if more > 0 {
        message.push_str(&format!(" and {more} more"));
    }
    message.push_str("; they would print as empty boxes");
    // Where to get the fonts is said once per profile (`fonts_summary`).
    Diagnostic::warning(message, Some(span))
}

/// The one place a profile hears where to get the fonts it lacks: the
/// package of each script once, whatever number of fields need them.
/// An error where the profile's PDF standards forbid empty boxes, else a
/// warning.
pub(super) fn fonts_summary(missing: &BTreeSet<char>, standards: &[String]) -> Option<Diagnostic> {
    if missing.is_empty() {
        return None;
    }
    let chars: Vec<char> = missing.iter().copied().collect();
    let count = chars.len();
    let d = if standards.is_empty() {
        Diagnostic::warning(
            format!(
                "no font draws {count} character(s) of this profile; they print as empty boxes"
            ),
            None,
        )
    } else {
        Diagnostic::error(
            format!(
                "no font draws {count} character(s) of this profile (see the warnings at their \
                 fields), and the PDF standards it claims ({}) forbid empty boxes",
                standards.join(", ")
            ),
            None,
        )
    };
    let d = with_packages(d, &chars);
    Some(if standards.is_empty() {
        d
    } else {
        d.hint("or claim no standard: --pdf-standard none")
    })
}

/// Adds where to get fonts for `missing`: the package of each script, and
/// `--font-path`.
fn with_packages(mut d: Diagnostic, missing: &[char]) -> Diagnostic {
    let mut packages: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let mut fonts = BTreeSet::new();
    for &c in missing {
        let package = package_for(c);
        packages
            .entry(package.debian)
            .or_default()
            .insert(package.homebrew);
        fonts.insert(package.font);
    }
    for (debian, homebrew) in &packages {
        let casks: Vec<&str> = homebrew.iter().map(String::as_str).collect();
        d = d.hint(format!(
            "install {debian} (Debian, Ubuntu) or {} (Homebrew)",
            casks.join(", ")
        ));
    }
    let fonts: Vec<String> = fonts.into_iter().collect();
    d.hint(format!(
        "or put a font that has them ({}) in a folder and pass --font-path",
        fonts.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_fonts_lack_cjk_and_arabic_and_the_warning_names_packages() {
        let fonts = Fonts::load(&FontSources::default()).expect("fonts");
        let coverage = Coverage::new(Arc::new(fonts), None);
        let texts = vec![
            (0..5, "Zoë Ω Жук\u{200D}".to_owned()),
            (10..20, "王小明 (محمد)".to_owned()),
        ];
        let mut out = Vec::new();
        let missing = coverage.check(&texts, &mut out);
        assert_eq!(out.len(), 1, "one warning, for the second field only");
        assert_eq!(out[0].span, Some(10..20));
        assert!(missing.contains(&'王') && missing.contains(&'م'));
        assert!(!missing.contains(&'('), "{missing:?}");
        assert!(out[0].hints.is_empty(), "packages are named once, below");
        assert!(out[0].message.contains("王 (U+738B)"), "{}", out[0].message);
        // One summary per profile names each package once; the Arabic
        // comma comes with the Arabic fonts, not a symbols font.
        let mut chars: BTreeSet<char> = missing.iter().copied().collect();
        chars.insert('\u{060C}');
        let summary = fonts_summary(&chars, &["ua-1".to_owned()]).expect("a summary");
        assert!(summary.is_error());
        let hints = summary.hints.join("\n");
        assert_eq!(hints.matches("fonts-noto-core").count(), 1, "{hints}");
        assert_eq!(hints.matches("fonts-noto-cjk").count(), 1, "{hints}");
        assert!(hints.contains("font-noto-sans-arabic"), "{hints}");
        assert!(!hints.contains("symbols"), "{hints}");
        let warning = fonts_summary(&chars, &[]).expect("a summary");
        assert!(!warning.is_error());
    }

    /// What decides whether a run scans the system's fonts: only a
    /// character or a family the embedded and `--font-path` fonts lack.
    #[test]
    fn only_what_the_base_fonts_lack_calls_for_installed_ones() {
        let sources = FontSources {
            paths: vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fonts")],
            system: false,
        };
        // The test fonts stand in for installed ones: the base is the
        // embedded fonts alone.
        let embedded = FontSources {
            paths: Vec::new(),
            system: false,
        };
        let base = Arc::new(Fonts::load(&embedded).expect("embedded fonts"));
        let coverage = Coverage::new(base.clone(), Some(&sources));
        let mut out = Vec::new();
        coverage.check(&[(0..5, "Zoë Ω Жук".to_owned())], &mut out);
        coverage.family("noto serif");
        assert_eq!(coverage.beyond_base(), 0);
        assert!(coverage.all.get().is_none(), "not scanned while unneeded");
        assert_eq!(coverage.fonts().unwrap().files.len(), base.files.len());
        assert!(coverage.covers('中'), "an installed font draws it");
        assert_eq!(coverage.beyond_base(), 1);
        coverage.family("Noto Sans CJK SC");
        assert_eq!(coverage.beyond_base(), 2);
        assert!(coverage.fonts().unwrap().files.len() > base.files.len());
        // A run that ignores the installed fonts finds none.
        let alone = Coverage::new(base, None);
        assert!(!alone.covers('中'));
        assert_eq!(alone.beyond_base(), 1);
    }

    #[test]
    fn scripts_map_to_their_packages() {
        assert_eq!(package_for('ש').font, "Noto Sans Hebrew");
        assert_eq!(package_for('क').debian, "fonts-noto-core");
        assert_eq!(package_for('ก').homebrew, "font-noto-sans-thai");
        assert_eq!(package_for('한').debian, "fonts-noto-cjk");
        assert_eq!(package_for('か').debian, "fonts-noto-cjk");
        assert_eq!(package_for('，').debian, "fonts-noto-cjk");
        assert_eq!(package_for('。').debian, "fonts-noto-cjk");
    }
}
