//! The files a run writes for each document: the PDF, PNG previews of its
//! pages, and the same content as Word, plain text and Markdown. The other
//! formats are written from the layout data the PDF was typeset from (its
//! final, fitted and redacted form), not by a second pipeline: a one-page
//! Word file holds what the one-page PDF holds.

mod docx;
mod outline;
mod text;

use crate::data::Document;
use crate::output::TextFormat;

/// The document's content in `format`.
pub fn write(format: TextFormat, document: &Document) -> Result<Vec<u8>, String> {
    let blocks = outline::outline(document);
    match format {
        TextFormat::Docx => docx::docx(document, &blocks),
        TextFormat::Txt => Ok(text::txt(&blocks).into_bytes()),
        TextFormat::Md => Ok(text::md(&blocks).into_bytes()),
    }
}

/// What a reader of the file gets, part by part: (where, text). The leak
/// check searches these; a file it cannot read is an error.
pub fn read(format: TextFormat, bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    match format {
        TextFormat::Txt | TextFormat::Md => {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| format!("the {} file is not UTF-8: {e}", format.extension()))?;
            Ok(vec![("the text".to_owned(), text.to_owned())])
        }
        TextFormat::Docx => docx::parts(bytes)?
            .into_iter()
            .map(|(name, xml)| {
                let text = docx::part_text(&xml)
                    .map_err(|e| format!("cannot read {name} of the Word file: {e}"))?;
                Ok((format!("the Word file's {name}"), text))
            })
            .collect(),
    }
}
