//! Fitting a page: squeeze a small overflow with typography, otherwise cut
//! the smallest prefix of the plan that fits, then put back what still
//! fits until the page is full.

use serde_json::{Map, Value as Json};

use super::{Chosen, RemovalOrder};

/// An overflow of at most this much of a page is tried with typography
/// alone first (spacing, margins, size, within their floors), so a page that
/// runs over by a few lines keeps everything it says.
const SQUEEZE: f64 = 0.06;

/// Probes the cut may spend once it has a fit, leaving the refill room
/// within [`MAX_COMPILES`].
const MAX_CUT_PROBES: usize = 3;

/// The most compiles a refill goes on to.
const MAX_COMPILES: usize = 6;

/// A fit this full ends the search; the refill does the rest.
const GOOD_ENOUGH: f64 = 0.88;

/// Below this share of the text area filled, dropped content is put back.
pub const MIN_FILL: f64 = 0.95;

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

    /// How much of page 1's text area the content fills, from its top to
    /// the end mark (the top margin taken as equal to the bottom one).
    pub fn fill(&self) -> f64 {
        let top = 1.0 - self.limit;
        ((self.extent - top) / (self.limit - top)).clamp(0.0, 1.0)
    }

    /// How far the content runs past the bottom of page 1, in centimetres.
    pub fn overflow_cm(&self) -> f64 {
        ((self.extent - self.limit).max(0.0) * self.page_height * 2.54 / 72.0 * 10.0).round() / 10.0
    }
}

/// A found fit: which steps, how many compiles, what it measured, and the
/// result.
#[derive(Debug)]
pub struct Fit<T> {
    pub chosen: Chosen,
    pub compiles: usize,
    pub measure: Measure,
    pub output: T,
}

/// Fits a document on one page. `try_chosen` compiles it with the chosen
/// steps applied. In order: as it is; a small overflow with the least
/// typographic squeeze that fits (interpolated on the measured extent); else
/// the smallest prefix of the plan that fits ([`search`]), then, if the page
/// is less than [`MIN_FILL`] full, the most important dropped items that the
/// measured room holds, kept if the page still fits.
pub fn fit<T, E>(
    plan: &RemovalOrder,
    mut try_chosen: impl FnMut(&Chosen) -> Result<(Measure, T), E>,
) -> Result<Fit<T>, FitError<E>> {
    let (first, output) = try_chosen(&Chosen::Prefix(0)).map_err(FitError::Failed)?;
    let mut compiles = 1;
    if first.fits() {
        return Ok(Fit {
            chosen: Chosen::Prefix(0),
            compiles,
            measure: first,
            output,
        });
    }
    if let Some(fit) = squeeze(plan, &first, &mut try_chosen)? {
        return Ok(Fit {
            compiles: compiles + fit.compiles,
            ..fit
        });
    }
    let cut = search(plan, first, |k| try_chosen(&Chosen::Prefix(k)))
        .map_err(|err| err.after(compiles))?;
    compiles += cut.compiles;
    let Chosen::Prefix(k) = cut.chosen else {
        unreachable!("search chooses prefixes")
    };
    if k == 0 || k > plan.ladder || cut.measure.fill() >= MIN_FILL {
        return Ok(Fit { compiles, ..cut });
    }
    refill(plan, k, Fit { compiles, ..cut }, try_chosen)
}

/// A page only a little too long is set tighter rather than cut: the
/// whole ladder, then the rung at which the end should just reach the
/// limit. `None` when the ladder cannot make it fit; `compiles` counts
/// this step's only.
fn squeeze<T, E>(
    plan: &RemovalOrder,
    first: &Measure,
    try_chosen: &mut impl FnMut(&Chosen) -> Result<(Measure, T), E>,
) -> Result<Option<Fit<T>>, FitError<E>> {
    let rungs = plan.len() - plan.ladder;
    if rungs == 0 || first.extent - first.limit > SQUEEZE {
        return Ok(None);
    }
    let (full, output) = try_chosen(&Chosen::Ladder(rungs)).map_err(FitError::Failed)?;
    if !full.fits() {
        return Ok(None);
    }
    // The rung at which the end mark reaches the limit, assuming it moves
    // evenly with the rungs.
    let target = first.limit - 0.005;
    let share = (first.extent - target) / (first.extent - full.extent).max(1e-9);
    let rung = ((rungs as f64 * share).ceil() as usize).clamp(1, rungs);
    if rung == rungs {
        return Ok(Some(Fit {
            chosen: Chosen::Ladder(rungs),
            compiles: 1,
            measure: full,
            output,
        }));
    }
    let (measure, at_rung) = try_chosen(&Chosen::Ladder(rung)).map_err(FitError::Failed)?;
    Ok(Some(if measure.fits() {
        Fit {
            chosen: Chosen::Ladder(rung),
            compiles: 2,
            measure,
            output: at_rung,
        }
    } else {
        Fit {
            chosen: Chosen::Ladder(rungs),
            compiles: 2,
            measure: full,
            output,
        }
    }))
}

/// Puts back what the room under a cut holds, in rounds, while compiles
/// are left; returns the fullest page that still fits.
fn refill<T, E>(
    plan: &RemovalOrder,
    k: usize,
    mut best: Fit<T>,
    mut try_chosen: impl FnMut(&Chosen) -> Result<(Measure, T), E>,
) -> Result<Fit<T>, FitError<E>> {
    let mut restored: Vec<usize> = Vec::new();
    // Careful first; bolder when nothing fits carefully or a try failed.
    let mut boldness = 0.85;
    while best.measure.fill() < MIN_FILL && best.compiles < MAX_COMPILES {
        let mut more = plan.refill(k, &best.measure, &restored, boldness);
        if more.is_empty() && boldness < 1.0 {
            boldness = 1.25;
            more = plan.refill(k, &best.measure, &restored, boldness);
        }
        // Nothing dropped fits the room as the page is set: put back the
        // most important dropped item and make room with the ladder.
        let rungs = if more.is_empty() {
            more.extend(
                plan.refill(k, &best.measure, &restored, f64::INFINITY)
                    .first(),
            );
            plan.len() - plan.ladder
        } else {
            0
        };
        if more.is_empty() {
            break;
        }
        let mut trial = restored.clone();
        trial.extend(more);
        let chosen = Chosen::Refilled {
            k,
            restored: trial.clone(),
            rungs,
        };
        let (measure, output) = try_chosen(&chosen).map_err(FitError::Failed)?;
        best.compiles += 1;
        if !(measure.fits() && measure.extent > best.measure.extent) {
            break;
        }
        restored = trial;
        best = Fit {
            chosen,
            compiles: best.compiles,
            measure,
            output,
        };
    }
    Ok(best)
}

/// Why no fit was found.
#[derive(Debug)]
pub enum FitError<E> {
    /// Even with every step applied the document is longer than a page.
    TooLong { measure: Measure, compiles: usize },
    /// A compile failed.
    Failed(E),
}

impl<E> FitError<E> {
    /// The error, counting `earlier` compiles made before the search.
    fn after(self, earlier: usize) -> Self {
        match self {
            Self::TooLong { measure, compiles } => Self::TooLong {
                measure,
                compiles: compiles + earlier,
            },
            failed => failed,
        }
    }
}

/// Finds the smallest number of plan steps after which the document fits
/// on one page, given how the document as it is measured (`first`, which
/// does not fit). `try_steps(k)` compiles the document with `k` steps
/// applied; the compiles counted are this search's own.
/// Probes are placed by the secant method on the measured extent (how far
/// the content reaches) against the text removed, falling back to bisection
/// when that stops converging, so a fit takes a handful of compiles.
pub fn search<T, E>(
    plan: &RemovalOrder,
    first: Measure,
    mut try_steps: impl FnMut(usize) -> Result<(Measure, T), E>,
) -> Result<Fit<T>, FitError<E>> {
    let n = plan.len();
    let mut compiles = 0;
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
            // Full enough: what a smaller cut would keep, the refill puts
            // back for one compile instead of a bisection's several.
            Some((_, measure, _)) if measure.fill() >= GOOD_ENOUGH => break,
            // Enough compiles spent on the cut: take the fit found.
            Some(_) if compiles >= MAX_CUT_PROBES => break,
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
    let (steps, measure, output) = hi.unwrap_or_else(|| unreachable!("the loop ends with a fit"));
    Ok(Fit {
        chosen: Chosen::Prefix(steps),
        compiles,
        measure,
        output,
    })
}

/// The smallest prefix expected to reach `target` extent, assuming the
/// extent falls linearly with the text removed through points `a` and `b`.
fn solve(
    plan: &RemovalOrder,
    a: (usize, Measure),
    b: (usize, Measure),
    target: f64,
) -> Option<usize> {
    let (removed_a, removed_b) = (plan.removed(a.0), plan.removed(b.0));
    let slope = (a.1.extent - b.1.extent) / (removed_b - removed_a);
    if !slope.is_finite() || slope <= 0.0 {
        return None;
    }
    let wanted = removed_a + (a.1.extent - target) / slope;
    (1..=plan.len()).find(|&k| plan.removed(k) >= wanted)
}
