//! The versions of a CV made from one profile: long-form, one-page,
//! anonymized, and anonymized one-page; and for a job application, its
//! cover letter, named and anonymized.
//!
//! [`anonymize`] transforms the profile before layout data is built;
//! [`onepage`] plans what to drop and searches for the least removal that
//! fits; [`verify`] checks an anonymized document for leaks before it is
//! written.

pub mod anonymize;
pub mod onepage;
pub mod verify;

pub use crate::profile::Variant;
