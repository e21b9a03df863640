//! The search for the smallest prefix of a plan that fits on one page.

use serde_json::{Map, Value as Json};

use super::Plan;

/// The label layouts put after their last content, so fitting can measure
/// how far the content reaches.
pub const END_LABEL: &str = "cvgen-end";

/// What one compile of a candidate document measured.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    pub pages: usize,
    /// How far the content reaches, in pages: 1.25 ends a quarter of the
    /// way down page 2.
    pub extent: f64,
    /// The extent at which content fills page 1 (its bottom margin).
    pub limit: f64,
    /// The page height in points.
    pub page_height: f64,
}

impl Measure {
    /// Measures a compiled document: its page count, the height of its
    /// first page, and where [`END_LABEL`] landed (1-based page and points
    /// from the top), if the layout placed it; without it only whole pages
    /// count. The bottom margin is the layout's `margin` parameter if it has
    /// one.
    pub fn new(
        pages: usize,
        page_height: f64,
        end: Option<(usize, f64)>,
        params: &Map<String, Json>,
    ) -> Self {
        let pages = pages.max(1);
        let margin = params
            .get("margin")
            .and_then(Json::as_f64)
            .unwrap_or(0.07 * page_height);
        let extent = match end {
            Some((page, y)) => (page - 1) as f64 + y / page_height,
            None => pages as f64,
        };
        Measure {
            pages,
            extent,
            limit: 1.0 - margin / page_height,
            page_height,
        }
    }

    pub fn fits(&self) -> bool {
        self.pages <= 1
    }

    /// How far the content runs past the bottom of page 1, in centimetres.
    pub fn overflow_cm(&self) -> f64 {
        ((self.extent - self.limit).max(0.0) * self.page_height * 2.54 / 72.0 * 10.0).round() / 10.0
    }
}

/// A found fit: how many steps, how many compiles, and the result.
#[derive(Debug)]
pub struct Fit<T> {
    pub steps: usize,
    pub compiles: usize,
    pub output: T,
}

/// Why no fit was found.
#[derive(Debug)]
pub enum FitError<E> {
    /// Even with every step applied the document is longer than a page.
    TooLong { measure: Measure, compiles: usize },
    /// A compile failed.
    Failed(E),
}

/// Finds the smallest number of plan steps after which the document fits
/// on one page. `try_steps(k)` compiles the document with `k` steps applied.
/// Probes are placed by the secant method on the measured extent (how far
/// the content reaches) against the text removed, falling back to bisection
/// when that stops converging, so a fit takes a handful of compiles.
pub fn search<T, E>(
    plan: &Plan,
    mut try_steps: impl FnMut(usize) -> Result<(Measure, T), E>,
) -> Result<Fit<T>, FitError<E>> {
    let n = plan.len();
    let mut compiles = 1;
    let (first, output) = try_steps(0).map_err(FitError::Failed)?;
    if first.fits() {
        return Ok(Fit {
            steps: 0,
            compiles,
            output,
        });
    }
    if n == 0 {
        return Err(FitError::TooLong {
            measure: first,
            compiles,
        });
    }
    // `lo` is the largest prefix known not to fit, `prev` the one before it;
    // `hi` the smallest known to fit.
    let mut lo = (0, first);
    let mut prev: Option<(usize, Measure)> = None;
    let mut hi: Option<(usize, Measure, T)> = None;
    let mut probe = plan.estimate(0, first.extent, first.limit).clamp(1, n);
    // Probes in a row on the same side: interpolation that keeps missing
    // gives way to bisection.
    let (mut last_fit, mut streak) = (None, 0);
    loop {
        let (measure, output) = try_steps(probe).map_err(FitError::Failed)?;
        compiles += 1;
        let fits = measure.fits();
        streak = if last_fit == Some(fits) {
            streak + 1
        } else {
            1
        };
        last_fit = Some(fits);
        if fits {
            hi = Some((probe, measure, output));
        } else {
            prev = Some(lo);
            lo = (probe, measure);
        }
        let target = lo.1.limit - 0.005;
        match &hi {
            None if lo.0 >= n => {
                return Err(FitError::TooLong {
                    measure: lo.1,
                    compiles,
                });
            }
            None => {
                // Still too long: extrapolate from the last two overflows.
                let secant = prev.and_then(|p| solve(plan, p, lo, target));
                let next = secant.unwrap_or_else(|| plan.estimate(lo.0, lo.1.extent, lo.1.limit));
                probe = if next > lo.0 { next.min(n) } else { n };
            }
            Some((h, _, _)) if *h <= lo.0 + 1 => break,
            Some((h, hi_measure, _)) => {
                let mid = (lo.0 + h) / 2;
                let guess = if streak >= 2 {
                    None
                } else {
                    solve(plan, lo, (*h, *hi_measure), target)
                };
                probe = guess.unwrap_or(mid).clamp(lo.0 + 1, h - 1);
            }
        }
    }
    let (steps, _, output) = hi.unwrap_or_else(|| unreachable!("the loop ends with a fit"));
    Ok(Fit {
        steps,
        compiles,
        output,
    })
}

/// The smallest prefix expected to reach `target` extent, assuming the
/// extent falls linearly with the text removed through points `a` and `b`.
fn solve(plan: &Plan, a: (usize, Measure), b: (usize, Measure), target: f64) -> Option<usize> {
    let (removed_a, removed_b) = (plan.removed(a.0), plan.removed(b.0));
    let slope = (a.1.extent - b.1.extent) / (removed_b - removed_a);
    if !slope.is_finite() || slope <= 0.0 {
        return None;
    }
    let wanted = removed_a + (a.1.extent - target) / slope;
    (1..=plan.len()).find(|&k| plan.removed(k) >= wanted)
}
