//! The document pipeline, one named step each: transform the profile for
//! the variant, build the layout data, redact it, typeset it (compile, or
//! fit one page), mend the typeset document, export the PDF, verify an
//! anonymized one for personal data, and read it back as a tracking system
//! would when asked. Nothing here writes a file.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use super::Context;
use super::stages::{Stage, Stages};
use super::typeset::{Compiled, Compiler, Typeset, fit_one_page};
use crate::ats;
use crate::data;
use crate::diagnostic::Styled;
use crate::error::JobError;
use crate::formats;
use crate::output::TextFormat;
use crate::plan::ProfilePlan;
use crate::posting::{Coverage, Terms};
use crate::profile::Profile;
use crate::typst::world::Dependency;
use crate::typst::{Bytes, PagedDocument, compile, document};
use crate::variant::anonymize::{self, Secrets};
use crate::variant::{Variant, verify};

/// A compiled, exported and (if anonymized) verified document, not yet
/// written anywhere.
pub(super) struct Made {
    pub document: PagedDocument,
    pub pdf: Vec<u8>,
    pub warnings: Vec<Styled>,
    /// Compiles used (more than one when fitting a page).
    pub compiles: usize,
    pub dropped: Vec<String>,
    /// What each entry that lost something was reduced to.
    pub reduced: Vec<String>,
    /// How full a fitted page is.
    pub fill: Option<f64>,
    pub redactions: Vec<String>,
    pub ats: Option<ats::Review>,
    /// For an application with a job posting, which of its terms the
    /// document shows (the long form and the one page).
    pub coverage: Option<Coverage>,
    /// The document's content in the other formats asked for, each checked
    /// like the PDF when the document is anonymized.
    pub files: Vec<(TextFormat, Vec<u8>)>,
    /// The layout data (`/cv.json`) of the final compile.
    pub data: Bytes,
    /// The prepared photo, if the layout placed it.
    pub photo: Option<Bytes>,
    pub dependencies: Vec<(Dependency, [u8; 32])>,
    /// Where the time went.
    pub stages: Stages,
}

/// Makes one document of a profile, step by step.
pub(super) fn make(
    ctx: &Context,
    profile: &ProfilePlan,
    variant: Variant,
) -> Result<Made, JobError> {
    let mut stages = Stages::default();
    let (secrets, document, redactions) = stages.time(Stage::Prepare, || {
        let (source, secrets) = transform(profile, variant);
        let mut document = layout_data(profile, variant, &source);
        let redactions = match &secrets {
            Some(secrets) => redact(profile, &source, &mut document, secrets),
            None => Vec::new(),
        };
        (secrets, document, redactions)
    });
    let compiler = Compiler {
        env: ctx.env,
        profile,
        variant,
    };
    let mut typeset = typeset(&compiler, &document, variant, &mut stages)?;
    let compiled = &mut typeset.compiled;
    stages.time(Stage::Mend, || {
        mend(&mut compiled.output.document, profile, variant, &document)
    });
    if ctx.config.deny_warnings && !compiled.output.warnings.is_empty() {
        return Err(JobError::WarningsDenied(
            compiled.output.warnings.iter().map(Styled::plain).collect(),
        ));
    }
    let pdf = stages.time(Stage::Export, || {
        export(ctx, profile, variant, &compiled.output.document)
    })?;
    if let Some(secrets) = &secrets {
        stages
            .time(Stage::Verify, || {
                verify::check(&document::shown(&compiled.output.document), &pdf, secrets)
            })
            .map_err(JobError::Leak)?;
    }
    // Only a run that writes makes the other formats.
    let files = match &ctx.config.write {
        Some(_) => stages.time(Stage::Convert, || {
            convert(profile, &typeset.document, secrets.as_ref())
        })?,
        None => Vec::new(),
    };
    let ats = match ctx.config.ats {
        true => Some(stages.time(Stage::ReadBack, || read_back(compiled, &pdf))?),
        false => None,
    };
    let coverage = match profile.posting() {
        Some(terms) if matches!(variant, Variant::Long | Variant::OnePage) => {
            Some(cover(terms, &document, &typeset, variant))
        }
        _ => None,
    };
    let Typeset {
        compiled,
        compiles,
        dropped,
        reduced,
        fill,
        ..
    } = typeset;
    Ok(Made {
        document: compiled.output.document,
        pdf,
        warnings: compiled.output.warnings,
        compiles,
        dropped,
        reduced,
        fill,
        redactions,
        ats,
        coverage,
        files,
        data: compiled.data,
        photo: compiled.photo,
        dependencies: with_bibliographies(compiled.dependencies, profile, variant),
        stages,
    })
}

/// What the compile read, and the bibliographies a CV's sections were
/// formatted from while planning.
fn with_bibliographies(
    mut read: Vec<(Dependency, [u8; 32])>,
    profile: &ProfilePlan,
    variant: Variant,
) -> Vec<(Dependency, [u8; 32])> {
    if !variant.is_letter() {
        read.extend(
            profile
                .bibliographies
                .iter()
                .map(|(file, hash)| (Dependency::Bibliography(file.clone()), *hash)),
        );
    }
    read
}

/// The profile as the variant shows it: for an anonymized variant, without
/// what is personal, and the secrets to redact and to check for.
fn transform(profile: &ProfilePlan, variant: Variant) -> (Cow<'_, Profile>, Option<Secrets>) {
    if !variant.is_anonymous() {
        return (Cow::Borrowed(&profile.profile), None);
    }
    let (anonymous, secrets) = anonymize::anonymize(
        &profile.profile,
        &profile.languages.translations,
        &profile.candidate_id,
        &profile.anonymize,
        anonymize::Tongue {
            code: &profile.locale.lang.code,
            words: &profile.locale.words,
        },
    );
    (Cow::Owned(anonymous), Some(secrets))
}

/// Which of the posting's terms the document shows: the long form is the
/// document before fitting, the one page the one after.
fn cover(terms: &Terms, before: &data::Document, typeset: &Typeset, variant: Variant) -> Coverage {
    let text = |document: &data::Document| {
        formats::write(TextFormat::Txt, document)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    };
    let long = text(before);
    match variant {
        Variant::OnePage => Coverage::new(
            terms,
            &long,
            Some(&text(&typeset.document)),
            &typeset.removed,
        ),
        _ => Coverage::new(terms, &long, None, &[]),
    }
}

/// The layout data of the document: the CV, or an application's letter.
fn layout_data(profile: &ProfilePlan, variant: Variant, source: &Profile) -> data::Document {
    let mut document = data::document(
        source,
        variant.name(),
        profile.params.clone(),
        &profile.locale,
    );
    if let Some(application) = &profile.application {
        document.application = Some(application.job.clone());
        if variant.is_letter() {
            let Some((letter, date)) = &application.letter else {
                unreachable!("planning refuses a letter variant without a [letter]")
            };
            document.sections.clear();
            document.letter = Some(data::letter(
                letter,
                &application.job,
                source.basics.name.as_deref(),
                *date,
                &profile.locale.words,
            ));
        }
    }
    document
}

/// Redacts the parsed text of the layout data (nothing it writes is read
/// as Markdown again); returns what was redacted, and what stayed that
/// could point at the person.
fn redact(
    profile: &ProfilePlan,
    source: &Profile,
    document: &mut data::Document,
    secrets: &Secrets,
) -> Vec<String> {
    anonymize::redact_document(document, secrets);
    anonymize::summary(&profile.profile, source, document, &profile.anonymize)
}

/// Compiles the layout data once, or for a one-page variant as often as
/// fitting it takes: the first compile counts as compiling, the rest as
/// fitting.
fn typeset(
    compiler: &Compiler,
    document: &data::Document,
    variant: Variant,
    stages: &mut Stages,
) -> Result<Typeset, JobError> {
    if variant.is_one_page() {
        let started = Instant::now();
        let typeset = fit_one_page(compiler, document)?;
        stages.add(Stage::Compile, typeset.first_compile);
        stages.add(
            Stage::Fit,
            started.elapsed().saturating_sub(typeset.first_compile),
        );
        return Ok(typeset);
    }
    let compiled = stages.time(Stage::Compile, || compiler.compile(document))?;
    Ok(Typeset {
        compiled,
        document: document.clone(),
        compiles: 1,
        first_compile: Duration::ZERO,
        dropped: Vec::new(),
        reduced: Vec::new(),
        removed: Vec::new(),
        fill: None,
    })
}

/// Mends what layout left for the PDF: glyph clusters split across runs,
/// and a title for the title bar (PDF/UA needs one; a user layout that sets
/// none gets the one the built-in layouts set, "Name – Curriculum Vitae").
fn mend(
    typeset: &mut PagedDocument,
    profile: &ProfilePlan,
    variant: Variant,
    document: &data::Document,
) {
    compile::mend_clusters(typeset);
    let info = typeset.info_mut();
    if info.title.is_none() {
        let words = &profile.locale.words;
        let cv = if variant.is_letter() {
            &words.letter.title
        } else {
            &words.cv
        };
        info.title = Some(match &document.basics.name {
            Some(name) => format!("{name} – {cv}").into(),
            None => cv.as_str().into(),
        });
    }
}

/// The document's content in each other format the profile asks for; for
/// an anonymized document each file is read back and searched like the
/// PDF, and a file that cannot be read is not written.
fn convert(
    profile: &ProfilePlan,
    document: &data::Document,
    secrets: Option<&Secrets>,
) -> Result<Vec<(TextFormat, Vec<u8>)>, JobError> {
    let mut files = Vec::new();
    for format in profile.formats.text_formats() {
        let what = format.describe();
        let bytes = formats::write(format, document)
            .map_err(|message| JobError::Convert { what, message })?;
        if let Some(secrets) = secrets {
            let texts = formats::read(format, &bytes)
                .map_err(|message| JobError::Convert { what, message })?;
            verify::check_file(&texts, secrets, what).map_err(JobError::Leak)?;
        }
        files.push((format, bytes));
    }
    Ok(files)
}

/// The PDF, claiming the profile's standards.
fn export(
    ctx: &Context,
    profile: &ProfilePlan,
    variant: Variant,
    document: &PagedDocument,
) -> Result<Vec<u8>, JobError> {
    let ident = format!("cvgen/{}/{}", profile.candidate_id, variant.name());
    compile::export(document, &ident, &profile.standards, ctx.env.today()).map_err(JobError::Pdf)
}

/// What an applicant tracking system reads of the PDF, reviewed against
/// the layout data (`check --ats`), and text the page does not show.
fn read_back(compiled: &Compiled, pdf: &[u8]) -> Result<ats::Review, JobError> {
    let data = serde_json::from_slice(compiled.data.as_slice())
        .map_err(|e| JobError::ReadBack(e.to_string()))?;
    let pages = ats::read(pdf).map_err(JobError::ReadBack)?;
    let mut review = ats::review(&data, &pages);
    review.findings.extend(
        document::off_page_text(&compiled.output.document)
            .into_iter()
            .map(|(page, text)| ats::Finding::OffPage { page, text }),
    );
    Ok(review)
}
