//! cvgen's integration tests, in one crate: every test crate links all of
//! Typst, so one crate with a module per concern builds once.
//!
//! Each test runs the real binary (see [`support::cvgen`]) on fixture
//! folders and asserts properties of what it writes: page counts, extracted
//! text in order, absent personal data, exit codes and messages.

// Test helpers may panic on what a test controls.
#![allow(clippy::unwrap_used)]

mod project_world;
mod support;

mod applications;
mod ats;
mod batch;
mod bibliography;
mod diagnostics;
mod formats;
mod hostile;
mod languages;
mod layouts;
mod make;
mod onboarding;
mod postings;
mod privacy;
mod readme;
mod render;
mod scripts;
mod seeds;
mod standards;
mod translations;
mod variants;
mod wild;
