//! Running jobs on worker threads under a budget.
//!
//! Jobs come in groups that share work (a profile's documents lay out the
//! same text, which Typst memoizes): a worker keeps to the group it
//! started, so the group's later jobs reuse what its first laid out, and
//! two workers do not lay out the same text at the same time. A worker
//! with no untouched group left takes the next job of the group with the
//! most left, so the run ends as evenly as single jobs would, and one
//! group alone (a make step) runs in its order on every worker.
//!
//! Each job runs on a thread of its own pool (not rayon's: Typst uses rayon
//! inside each compile, and nesting whole documents in its pool overflows
//! stacks). Each worker is also the first thread of a rayon pool of its own,
//! sized to its share of the cores, so the parallel work Typst nests in a
//! job (page runs, the PDF's deferred chunks) runs on the job's own thread
//! when the workers already fill the machine, instead of being handed to a
//! global pool whose idle threads spin beside the workers.
//!
//! The calling thread watches them: a job that runs past its time
//! budget is reported as failed and left behind, and a fresh worker takes
//! its place, so one runaway layout cannot hang a batch. A process whose
//! memory passes its ceiling stops: the job that has run longest is failed,
//! the jobs not yet started are failed as not run, and nothing more starts.
//! Threads left behind end with the process.

use std::collections::VecDeque;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Worker threads compile whole documents, and Typst nests its own parallel
/// work inside them; a roomy stack keeps deep layouts from overflowing.
const WORKER_STACK: usize = 32 * 1024 * 1024;

/// How often the calling thread looks at the clock and the memory.
const TICK: Duration = Duration::from_millis(50);

/// What a job may use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    /// Wall time for one job, all its compiles included.
    pub time: Duration,
    /// Resident memory of the whole process, in bytes.
    pub memory: u64,
}

/// Why a job was given up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Overrun {
    /// It ran longer than the time budget.
    Time(Duration),
    /// The process passed its memory ceiling while it ran.
    Memory(u64),
    /// It never started: the run stopped at the memory ceiling.
    NotRun,
}

enum Message<R> {
    Started(usize),
    Done(usize, R),
}

/// The jobs not yet taken, in their groups.
struct Queue {
    groups: Vec<VecDeque<usize>>,
    /// The first group no worker has started.
    fresh: usize,
}

impl Queue {
    /// Groups of consecutive jobs with the same key.
    fn new<K: PartialEq>(keys: impl IntoIterator<Item = K>) -> Queue {
        let mut groups: Vec<VecDeque<usize>> = Vec::new();
        let mut last = None;
        for (index, key) in keys.into_iter().enumerate() {
            match groups.last_mut() {
                Some(group) if last.as_ref() == Some(&key) => group.push_back(index),
                _ => groups.push(VecDeque::from([index])),
            }
            last = Some(key);
        }
        Queue { groups, fresh: 0 }
    }

    /// The next job for a worker that last took from group `mine`: the
    /// next of that group, else the first of an untouched group (which
    /// becomes its own), else the next of the group with the most left.
    fn take(&mut self, mine: &mut Option<usize>) -> Option<usize> {
        if let Some(job) = mine.and_then(|group| self.groups[group].pop_front()) {
            return Some(job);
        }
        if let Some(group) = self.groups.get_mut(self.fresh) {
            *mine = Some(self.fresh);
            self.fresh += 1;
            return group.pop_front();
        }
        self.groups
            .iter_mut()
            .rev()
            .max_by_key(|group| group.len())
            .and_then(VecDeque::pop_front)
    }

    /// Takes no more jobs.
    fn close(&mut self) {
        self.groups.iter_mut().for_each(VecDeque::clear);
        self.fresh = self.groups.len();
    }
}

/// Runs `work` over `jobs` on `workers` threads. Consecutive jobs of one
/// `group` run one after another on one worker while there are other
/// groups to start. Results come back in job order; `report` sees each as
/// it finishes, on the calling thread. `overrun` makes the result of a job
/// that was given up.
pub(crate) fn run<J, R, K: PartialEq>(
    jobs: Arc<Vec<J>>,
    group: impl Fn(&J) -> K,
    workers: usize,
    budget: Budget,
    work: Arc<dyn Fn(&J) -> R + Send + Sync>,
    overrun: impl Fn(&J, Overrun) -> R,
    report: &mut impl FnMut(&R),
) -> Vec<R>
where
    J: Send + Sync + 'static,
    R: Send + 'static,
{
    let queue = Arc::new(Mutex::new(Queue::new(jobs.iter().map(group))));
    let (tx, rx) = mpsc::channel::<Message<R>>();
    let workers = workers.clamp(1, jobs.len().max(1));
    let threads = share_of_cores(workers);
    let spawn = || {
        spawn_worker(
            jobs.clone(),
            queue.clone(),
            work.clone(),
            tx.clone(),
            threads,
        )
    };
    let spawned = (0..workers).filter(|_| spawn()).count();
    let mut slots: Vec<Option<R>> = jobs.iter().map(|_| None).collect();
    let mut running: Vec<(usize, Instant)> = Vec::new();
    let mut finished = 0;
    while spawned > 0 && finished < jobs.len() {
        match rx.recv_timeout(TICK) {
            Ok(Message::Started(index)) => running.push((index, Instant::now())),
            Ok(Message::Done(index, result)) => {
                running.retain(|(i, _)| *i != index);
                // A job given up may still finish; its place is taken.
                if slots[index].is_none() {
                    settle(&mut slots, index, result, report);
                    finished += 1;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        let late: Vec<usize> = running
            .iter()
            .filter(|(_, started)| started.elapsed() > budget.time)
            .map(|(index, _)| *index)
            .collect();
        for index in late {
            running.retain(|(i, _)| *i != index);
            let result = overrun(&jobs[index], Overrun::Time(budget.time));
            settle(&mut slots, index, result, report);
            finished += 1;
            // The late job keeps its thread; another takes up the queue.
            spawn();
        }
        if process_memory(Memory::Resident).is_some_and(|bytes| bytes > budget.memory) {
            // Stop taking jobs, and give up the one that has run longest:
            // its memory cannot be taken back while its thread runs.
            queue.lock().unwrap_or_else(PoisonError::into_inner).close();
            if let Some(&(index, _)) = running.iter().min_by_key(|(_, started)| *started) {
                running.retain(|(i, _)| *i != index);
                let result = overrun(&jobs[index], Overrun::Memory(budget.memory));
                settle(&mut slots, index, result, report);
                finished += 1;
            }
            for index in 0..jobs.len() {
                let started = running.iter().any(|(i, _)| *i == index);
                if slots[index].is_none() && !started {
                    let result = overrun(&jobs[index], Overrun::NotRun);
                    settle(&mut slots, index, result, report);
                    finished += 1;
                }
            }
        }
    }
    // Without any worker thread, the calling thread does the work.
    for (slot, job) in slots.iter_mut().zip(jobs.iter()) {
        if slot.is_none() {
            let result = work(job);
            report(&result);
            *slot = Some(result);
        }
    }
    slots.into_iter().flatten().collect()
}

/// How many threads each of `workers` may use for the parallel work inside
/// a job: its share of the cores, at least its own.
fn share_of_cores(workers: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores / workers).max(1)
}

/// Starts a worker thread that takes jobs from the queue until none is
/// left (or the run stops listening); whether it started. Its jobs' nested parallel
/// work runs on it and `threads - 1` helpers.
fn spawn_worker<J, R>(
    jobs: Arc<Vec<J>>,
    queue: Arc<Mutex<Queue>>,
    work: Arc<dyn Fn(&J) -> R + Send + Sync>,
    tx: mpsc::Sender<Message<R>>,
    threads: usize,
) -> bool
where
    J: Send + Sync + 'static,
    R: Send + 'static,
{
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            // The pool lives as long as this thread (rayon leaks the
            // registry of a pool that adopts its builder's thread: one per
            // worker). Without it, the nested work goes to the global pool.
            let _pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .stack_size(WORKER_STACK)
                .use_current_thread()
                .build();
            let mut mine = None;
            loop {
                // A job that panicked poisons nothing here: the lock is
                // held only while taking.
                let taken = queue
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take(&mut mine);
                let Some((index, job)) = taken.and_then(|i| Some((i, jobs.get(i)?))) else {
                    break;
                };
                if tx.send(Message::Started(index)).is_err() {
                    break;
                }
                if tx.send(Message::Done(index, work(job))).is_err() {
                    break;
                }
            }
        })
        .is_ok()
}

/// Records a job's result and reports it.
fn settle<R>(slots: &mut [Option<R>], index: usize, result: R, report: &mut impl FnMut(&R)) {
    report(&result);
    slots[index] = Some(result);
}

/// What the process's memory use is asked about.
#[derive(Clone, Copy)]
pub(crate) enum Memory {
    /// Resident now (Linux: VmRSS).
    Resident,
    /// The most it has held (Linux: VmHWM).
    Peak,
}

/// The process's memory, in bytes, if the system says.
pub(crate) fn process_memory(which: Memory) -> Option<u64> {
    let field = match which {
        Memory::Resident => "VmRSS:",
        Memory::Peak => "VmHWM:",
    };
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(time: Duration) -> Budget {
        Budget {
            time,
            memory: u64::MAX,
        }
    }

    #[test]
    fn results_come_back_in_job_order() {
        let jobs = Arc::new((0..50u64).collect::<Vec<_>>());
        let mut seen = 0;
        let results = run(
            jobs,
            |n| n / 4,
            3,
            budget(Duration::from_secs(60)),
            Arc::new(|n: &u64| {
                std::thread::sleep(Duration::from_millis(n % 3));
                n * 2
            }),
            |_, _| u64::MAX,
            &mut |_| seen += 1,
        );
        assert_eq!(results, (0..50).map(|n| n * 2).collect::<Vec<_>>());
        assert_eq!(seen, 50);
    }

    #[test]
    fn a_worker_keeps_to_its_group_and_then_helps_the_fullest() {
        let mut queue = Queue::new(["a", "a", "a", "b", "b", "c"]);
        let (mut one, mut two) = (None, None);
        assert_eq!(queue.take(&mut one), Some(0));
        assert_eq!(queue.take(&mut two), Some(3));
        assert_eq!(queue.take(&mut one), Some(1));
        assert_eq!(queue.take(&mut two), Some(4));
        assert_eq!(queue.take(&mut two), Some(5), "an untouched group");
        assert_eq!(queue.take(&mut two), Some(2), "the next of another's");
        assert_eq!(queue.take(&mut one), None);
        let mut queue = Queue::new([1, 1, 1, 1]);
        let (mut one, mut two) = (None, None);
        assert_eq!(queue.take(&mut one), Some(0));
        assert_eq!(queue.take(&mut two), Some(1), "one group: in its order");
        assert_eq!(queue.take(&mut one), Some(2));
        queue.close();
        assert_eq!(queue.take(&mut one), None);
    }

    #[test]
    fn a_job_over_its_time_is_given_up_and_the_others_finish() {
        let jobs = Arc::new(vec![1u64, 0, 2, 3, 4]);
        let results = run(
            jobs,
            |n| *n,
            2,
            budget(Duration::from_millis(300)),
            Arc::new(|n: &u64| {
                if *n == 0 {
                    // Hangs for far longer than the budget.
                    std::thread::sleep(Duration::from_secs(30));
                }
                n * 10
            }),
            |n, why| match why {
                Overrun::Time(_) => 1000 + n,
                _ => u64::MAX,
            },
            &mut |_| {},
        );
        assert_eq!(results, [10, 1000, 20, 30, 40]);
    }
}
