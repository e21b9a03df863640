//! Throughput benchmark: how fast a batch of profiles becomes PDFs, and how
//! that compares with the `typst` CLI compiling the same final documents.
//!
//! ```text
//! cargo bench --bench throughput              # N = 100 and N = 1000
//! cargo bench --bench throughput -- --quick   # N = 100 only, fewer runs
//! cargo bench --bench throughput -- --corpus DIR 1000   # only write a corpus
//! ```
//!
//! It builds a deterministic synthetic corpus from the sample profiles in
//! `input/` (varied names, entry counts and section counts), renders every
//! profile in the three default variants with the release binary in a fresh
//! process per run, and prints medians over the runs: PDFs per second,
//! milliseconds per PDF by variant, compiles per one-page fit, peak RSS, and
//! the speed-up from 1 to 2 jobs. With a `typst` binary on PATH (or named by
//! `$TYPST`), it also compiles the emitted Typst projects of the same final
//! documents, two processes at a time, and prints the ratio. Last, it times
//! the make step: a fresh process rendering one sample's three variants.
//! With `$CVGEN_PREVIOUS` naming another build of cvgen, it times that
//! binary beside this one, in turn, on the batch and the make step.

// A benchmark may stop on what it controls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

const CVGEN: &str = env!("CARGO_BIN_EXE_cvgen");

const FIRST: &[&str] = &[
    "Alex", "Maria", "Jonas", "Aiko", "Priya", "Tomasz", "Chloé", "Kwame", "Ingrid", "Mateo",
    "Fatima", "Oskar", "Lena", "Ravi", "Sofia", "Emeka", "Hana", "Luca", "Noor", "Pavel",
];
const LAST: &[&str] = &[
    "Novak",
    "García",
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Dubois",
    "Mensah",
    "Kowalski",
    "Fernández",
    "Schmidt",
    "Haddad",
    "Ivanova",
    "Moreau",
    "Patel",
    "Rossi",
    "Nakamura",
    "Andersen",
    "Costa",
    "Yilmaz",
    "Byrne",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // `-- --corpus DIR N`: only write the corpus, to profile a run by hand.
    if let Some(at) = args.iter().position(|a| a == "--corpus") {
        let dir = Path::new(&args[at + 1]);
        let n = args.get(at + 2).and_then(|n| n.parse().ok()).unwrap_or(100);
        write_corpus(repo, dir, n);
        println!("wrote {n} profiles to {}", dir.display());
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("cvgen throughput benchmark");
    println!(
        "machine: {cores} cores, {}; cvgen {}",
        memory(),
        env!("CARGO_PKG_VERSION")
    );
    let typst = typst_cli();
    // `$CVGEN_PREVIOUS`: another build of cvgen, timed beside this one.
    let previous = std::env::var_os("CVGEN_PREVIOUS").map(PathBuf::from);
    if let Some(previous) = &previous {
        println!("previous binary: {}", previous.display());
    }
    match &typst {
        Some((_, version)) => println!("baseline: {version}"),
        None => println!("baseline: no `typst` on PATH (set $TYPST to compare)"),
    }

    let sizes: &[(usize, usize, &[usize])] = if quick {
        &[(100, 3, &[1, 2])]
    } else {
        &[(100, 5, &[1, 2]), (1000, 3, &[2])]
    };
    let mut throughput_j2 = Vec::new();
    for &(n, runs, jobs) in sizes {
        let corpus = work.path().join(format!("corpus-{n}"));
        let profiles = write_corpus(repo, &corpus, n);
        println!();
        println!("N = {n}: {profiles} profiles x 3 variants, {runs} runs per setting");
        let mut per_jobs = Vec::new();
        for &j in jobs {
            let result = measure(&corpus, &work.path().join("out"), j, runs);
            println!(
                "  -j{j}: {:>6.2} s median wall, {:>6.1} PDFs/s, peak RSS {:.0} MB",
                result.wall.as_secs_f64(),
                result.pdfs as f64 / result.wall.as_secs_f64(),
                result.peak_rss_mb,
            );
            per_jobs.push((j, result));
        }
        let (_, last) = per_jobs.last().unwrap();
        for (variant, ms) in &last.millis {
            println!("  ms per PDF, {variant:<7} median {ms:>6.1}");
        }
        println!(
            "  compiles per one-page fit: median {}, max {}",
            last.fit_median, last.fit_max
        );
        println!("  time in jobs by stage: {}", stage_shares(&last.stages));
        // Each variant alone: in one run the long form reuses the layout
        // the one page memoized, so per-PDF times there split shared work.
        let alone: Vec<f64> = ["long", "onepage"]
            .iter()
            .map(|variant| {
                let run = measure_variants(
                    Path::new(CVGEN),
                    &corpus,
                    &work.path().join("out"),
                    2,
                    runs,
                    variant,
                );
                run.wall.as_secs_f64() * 1000.0 / run.pdfs as f64
            })
            .collect();
        println!(
            "  one variant alone, -j2: long {:.1} ms, one-page {:.1} ms of wall per PDF -> one-page {:.2}x long",
            alone[0],
            alone[1],
            alone[1] / alone[0]
        );
        if let Some(previous) = &previous {
            beside(previous, &corpus, &work.path().join("out"), runs.max(5));
        }
        if let [(1, one), (2, two)] = per_jobs.as_slice() {
            println!(
                "  speed-up from 1 to 2 jobs: {:.2}x",
                one.wall.as_secs_f64() / two.wall.as_secs_f64()
            );
        }
        if let Some((_, two)) = per_jobs.iter().find(|(j, _)| *j == 2) {
            throughput_j2.push((n, two.pdfs as f64 / two.wall.as_secs_f64()));
            if let Some((typst, _)) = &typst {
                let wall = baseline(typst, repo, &corpus, work.path(), runs.min(3));
                println!(
                    "  typst CLI, final documents only, 2 at a time: {:.2} s median -> cvgen is {:.1}x faster",
                    wall.as_secs_f64(),
                    wall.as_secs_f64() / two.wall.as_secs_f64()
                );
            }
        }
    }
    if let [(n1, t1), (n2, t2)] = throughput_j2.as_slice() {
        println!();
        println!(
            "throughput at N = {n2} is {:.0}% of N = {n1} ({t2:.1} vs {t1:.1} PDFs/s)",
            t2 / t1 * 100.0
        );
    }
    println!();
    make_step(
        repo,
        work.path(),
        typst.as_ref().map(|(path, _)| path.as_path()),
        previous.as_deref(),
        if quick { 5 } else { 11 },
    );
}

/// The machine's memory, for the header line.
fn memory() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let kib: u64 = m.lines().next()?.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{} GiB", kib / 1024 / 1024))
        })
        .unwrap_or_else(|| "memory unknown".into())
}

fn typst_cli() -> Option<(PathBuf, String)> {
    let path = std::env::var_os("TYPST").map_or_else(|| PathBuf::from("typst"), PathBuf::from);
    let output = Command::new(&path).arg("--version").output().ok()?;
    output.status.success().then(|| {
        (
            path,
            String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        )
    })
}

/// A small deterministic generator, so the corpus is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

/// Writes `n` profiles derived from the samples: each gets its own name and
/// contact, a share of its entries and bullets, and sometimes fewer sections.
fn write_corpus(repo: &Path, dir: &Path, n: usize) -> usize {
    let mut samples: Vec<toml::Table> = std::fs::read_dir(repo.join("input"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| toml::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect();
    samples.sort_by_key(|t| t.to_string());
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Lcg(42);
    for i in 0..n {
        let mut profile = samples[i % samples.len()].clone();
        let first = FIRST[rng.next(FIRST.len())];
        let last = LAST[rng.next(LAST.len())];
        let basics = profile
            .entry("basics")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .unwrap();
        basics.insert("name".into(), format!("{first} {last}").into());
        basics.insert(
            "email".into(),
            format!(
                "{}.{}{i}@example.org",
                first.to_lowercase(),
                last.to_lowercase()
            )
            .into(),
        );
        basics.insert("phone".into(), format!("+1 555 01{:05}", i).into());
        basics.remove("url");
        basics.remove("profiles");
        if let Some(sections) = profile.get_mut("section").and_then(|s| s.as_array_mut()) {
            // Keep 60-100% of each section's entries and bullets.
            for section in sections.iter_mut() {
                let section = section.as_table_mut().unwrap();
                if let Some(entries) = section.get_mut("entries").and_then(|e| e.as_array_mut()) {
                    let keep = (entries.len() * (6 + rng.next(5)) / 10).max(1);
                    entries.truncate(keep);
                    for entry in entries.iter_mut() {
                        let entry = entry.as_table_mut().unwrap();
                        if let Some(h) = entry.get_mut("highlights").and_then(|h| h.as_array_mut())
                        {
                            let keep = (h.len() * (6 + rng.next(5)) / 10).max(1);
                            h.truncate(keep);
                        }
                    }
                }
            }
            // One profile in four loses its last section.
            if sections.len() > 2 && rng.next(4) == 0 {
                sections.pop();
            }
        }
        let text = toml::to_string(&profile).unwrap();
        std::fs::write(dir.join(format!("p{i:04}.toml")), text).unwrap();
    }
    n
}

struct Measured {
    wall: Duration,
    pdfs: usize,
    millis: Vec<(String, f64)>,
    fit_median: usize,
    fit_max: usize,
    peak_rss_mb: f64,
    /// Each stage's share of the time spent in jobs (the report's
    /// `stages_ms`), largest first.
    stages: Vec<(String, f64)>,
}

/// Renders the corpus `runs` times with `jobs` workers, each in a fresh
/// process from a clean output folder.
fn measure(corpus: &Path, out: &Path, jobs: usize, runs: usize) -> Measured {
    measure_variants(
        Path::new(CVGEN),
        corpus,
        out,
        jobs,
        runs,
        "long,onepage,anon",
    )
}

/// [`measure`] with the binary `cvgen`, for the variants named
/// (`--variant`).
fn measure_variants(
    cvgen: &Path,
    corpus: &Path,
    out: &Path,
    jobs: usize,
    runs: usize,
    variants: &str,
) -> Measured {
    let mut walls = Vec::new();
    let mut rss = Vec::new();
    let mut report = Json::Null;
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(out);
        let report_path = out.with_extension("json");
        let start = Instant::now();
        let status = Command::new(cvgen)
            .arg("render")
            .arg(corpus)
            .arg("-o")
            .arg(out)
            .args([
                "-q",
                "-j",
                &jobs.to_string(),
                "--variant",
                variants,
                "--report",
            ])
            .arg(&report_path)
            .status()
            .unwrap();
        walls.push(start.elapsed());
        assert!(status.success(), "cvgen failed on the corpus");
        report = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
        rss.push(report["peak_rss_bytes"].as_f64().unwrap_or(0.0) / 1e6);
    }
    // Per-PDF figures from the last run's report.
    let jobs_list = report["jobs"].as_array().unwrap();
    let mut millis = Vec::new();
    for variant in variants.split(',') {
        let mut ms: Vec<f64> = jobs_list
            .iter()
            .filter(|j| j["variant"] == variant)
            .filter_map(|j| j["milliseconds"].as_f64())
            .collect();
        millis.push((variant.to_owned(), median_f64(&mut ms)));
    }
    let mut fits: Vec<usize> = jobs_list
        .iter()
        .filter(|j| j["variant"] == "onepage")
        .filter_map(|j| j["compiles"].as_u64())
        .map(|c| c as usize)
        .collect();
    fits.sort_unstable();
    let mut stages: Vec<(String, f64)> = report["stages_ms"]
        .as_object()
        .map(|stages| {
            stages
                .iter()
                .map(|(name, ms)| (name.clone(), ms.as_f64().unwrap_or(0.0)))
                .collect()
        })
        .unwrap_or_default();
    let total: f64 = stages.iter().map(|(_, ms)| ms).sum();
    for (_, ms) in &mut stages {
        *ms = *ms / total.max(1e-9) * 100.0;
    }
    stages.sort_by(|a, b| b.1.total_cmp(&a.1));
    Measured {
        wall: median(&mut walls),
        pdfs: jobs_list.len(),
        millis,
        fit_median: fits.get(fits.len() / 2).copied().unwrap_or(0),
        fit_max: fits.last().copied().unwrap_or(0),
        peak_rss_mb: median_f64(&mut rss),
        stages,
    }
}

/// The previous binary and this one on the corpus, `-j2`, one run each in
/// turn: median wall times, their ratio, and where each spent its time.
fn beside(previous: &Path, corpus: &Path, out: &Path, runs: usize) {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let (mut last_before, mut last_after) = (None, None);
    for _ in 0..runs {
        let run = |cvgen: &Path| measure_variants(cvgen, corpus, out, 2, 1, "long,onepage,anon");
        let previous_run = run(previous);
        before.push(previous_run.wall);
        last_before = Some(previous_run);
        let this_run = run(Path::new(CVGEN));
        after.push(this_run.wall);
        last_after = Some(this_run);
    }
    let (before, after) = (median(&mut before), median(&mut after));
    println!(
        "  beside the previous binary, -j2, alternating, median of {runs}: {:.2} s before, {:.2} s now -> {:.2}x faster",
        before.as_secs_f64(),
        after.as_secs_f64(),
        before.as_secs_f64() / after.as_secs_f64()
    );
    for (when, measured) in [("before", last_before), ("now", last_after)] {
        let shares = measured
            .map(|m| stage_shares(&m.stages))
            .unwrap_or_default();
        println!("    time in jobs by stage, {when}: {shares}");
    }
}

/// Stages' shares of the time in jobs, largest first, as one line.
fn stage_shares(stages: &[(String, f64)]) -> String {
    stages
        .iter()
        .filter(|(_, share)| *share >= 0.5)
        .map(|(stage, share)| format!("{stage} {share:.0}%"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compiles the final documents of the corpus with the `typst` CLI, two
/// processes at a time, `runs` times; the median wall time.
fn baseline(typst: &Path, repo: &Path, corpus: &Path, work: &Path, runs: usize) -> Duration {
    let projects = emit_projects(corpus, &work.join("typst-projects"), work, &[]);
    let fonts = repo.join("fonts");
    let out = work.join("typst-out");
    let mut walls = Vec::new();
    for _ in 0..runs {
        // From an empty folder, as cvgen's runs: writing over the previous
        // run's files reuses their inodes, which new files must allocate.
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).unwrap();
        let next = AtomicUsize::new(0);
        let failed = Mutex::new(None);
        let start = Instant::now();
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((project, main)) = projects.get(i) else {
                            break;
                        };
                        let status = typst_compile(
                            typst,
                            &fonts,
                            project,
                            main,
                            &out.join(format!("{i}.pdf")),
                        )
                        .stderr(Stdio::null())
                        .status()
                        .unwrap();
                        if !status.success() {
                            *failed.lock().unwrap() = Some(project.clone());
                        }
                    }
                });
            }
        });
        walls.push(start.elapsed());
        if let Some(project) = failed.into_inner().unwrap() {
            panic!("typst compile failed on {}", project.display());
        }
    }
    println!(
        "  ({} typst compiles per run, --ignore-system-fonts)",
        projects.len()
    );
    median(&mut walls)
}

/// A fresh process rendering one sample's three variants, as a make rule
/// does: the median wall time per sample, beside the typst CLI compiling
/// that sample's long form alone (system fonts ignored by both).
fn make_step(repo: &Path, work: &Path, typst: Option<&Path>, previous: Option<&Path>, runs: usize) {
    println!("make step: fresh process, one sample profile, 3 variants, {runs} runs each");
    let mut all = Vec::new();
    let mut samples: Vec<PathBuf> = std::fs::read_dir(repo.join("input"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    samples.sort();
    for sample in samples {
        let render = |cvgen: &Path| {
            let mut command = Command::new(cvgen);
            command
                .arg("render")
                .arg(&sample)
                .arg("-o")
                .arg(work.join("make-out"))
                .args(["-q", "--force", "--ignore-system-fonts"]);
            command
        };
        let binaries: Vec<&Path> = [Path::new(CVGEN)].into_iter().chain(previous).collect();
        let walls = median_walls(runs, &binaries, render);
        let cvgen = walls[0];
        let before = walls.get(1).map(|before| {
            format!(
                " (previous binary {:>4.0} ms)",
                before.as_secs_f64() * 1000.0
            )
        });
        let name = sample.file_name().unwrap().to_string_lossy().into_owned();
        let compared = typst.map(|typst| {
            let emitted = work.join("make-emitted");
            // A profile in several languages has a long form per language:
            // the typst CLI compiles each.
            let projects = emit_projects(&sample, &emitted, work, &["--variant", "long"]);
            let fonts = repo.join("fonts");
            let out = work.join("make-typst.pdf");
            let wall: Duration = projects
                .iter()
                .map(|(project, main)| {
                    median_wall(runs, || typst_compile(typst, &fonts, project, main, &out))
                })
                .sum();
            format!(
                "; typst CLI, long form alone {:>4.0} ms -> {:.2}x",
                wall.as_secs_f64() * 1000.0,
                cvgen.as_secs_f64() / wall.as_secs_f64()
            )
        });
        println!(
            "  {name:<20} median {:>5.0} ms{}{}",
            cvgen.as_secs_f64() * 1000.0,
            before.unwrap_or_default(),
            compared.unwrap_or_default()
        );
        all.push(cvgen);
    }
    println!(
        "  slowest sample: {:.0} ms",
        all.iter().max().unwrap().as_secs_f64() * 1000.0
    );
}

/// Renders `input` with `--emit-typst` into `projects`, emptied first;
/// each emitted project as (root, main file).
fn emit_projects(
    input: &Path,
    projects: &Path,
    work: &Path,
    args: &[&str],
) -> Vec<(PathBuf, PathBuf)> {
    let _ = std::fs::remove_dir_all(projects);
    // A fresh output folder each time: the N = 100 and N = 1000 corpora
    // name their profiles alike, and cvgen refuses to let one profile's
    // files replace another's from an earlier run.
    let out = work.join("out-emit");
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(CVGEN)
        .arg("render")
        .arg(input)
        .arg("-o")
        .arg(&out)
        .args(args)
        .arg("-q")
        .arg("--emit-typst")
        .arg(projects)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read_dir(projects)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|project| {
            let main = std::fs::read_dir(project.join("layouts"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|e| e == "typ"))
                .unwrap();
            (project, main)
        })
        .collect()
}

/// The `typst` CLI compiling an emitted project with cvgen's fonts and no
/// system fonts, as cvgen does.
fn typst_compile(typst: &Path, fonts: &Path, project: &Path, main: &Path, out: &Path) -> Command {
    let mut command = Command::new(typst);
    command
        .arg("compile")
        .arg("--root")
        .arg(project)
        .arg("--font-path")
        .arg(fonts)
        .arg("--ignore-system-fonts")
        .arg(main)
        .arg(out);
    command
}

/// The median wall time of `runs` runs of a command, each checked.
fn median_wall(runs: usize, command: impl Fn() -> Command) -> Duration {
    let mut walls = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let status = command().stderr(Stdio::null()).status().unwrap();
        walls.push(start.elapsed());
        assert!(status.success());
    }
    median(&mut walls)
}

/// [`median_wall`] for several binaries, one run of each in turn.
fn median_walls(
    runs: usize,
    binaries: &[&Path],
    command: impl Fn(&Path) -> Command,
) -> Vec<Duration> {
    let mut walls = vec![Vec::new(); binaries.len()];
    for _ in 0..runs {
        for (binary, walls) in binaries.iter().zip(&mut walls) {
            let start = Instant::now();
            let status = command(binary).stderr(Stdio::null()).status().unwrap();
            walls.push(start.elapsed());
            assert!(status.success(), "{} failed", binary.display());
        }
    }
    walls.iter_mut().map(|walls| median(walls)).collect()
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort_unstable();
    values[values.len() / 2]
}

fn median_f64(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}
