//! The TOML of a file's pieces ([`super::split`]), handed out in order and
//! parsed on two threads: a second thread parses the pieces ahead of the
//! reader, at most [`AHEAD`] of them waiting, and the reader parses a piece
//! itself when the second thread has not started it. The parsed form is
//! handed over and dropped by the reader: only the jobs it builds are kept,
//! all allocated by the calling thread.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::Scope;
use toml::Spanned;
use toml::de::{DeTable, Error};

/// One piece's TOML: its table and its syntax errors.
pub(super) type Parsed<'a> = (Spanned<DeTable<'a>>, Vec<Error>);

/// How many pieces the second thread may hold parsed and not yet taken.
const AHEAD: usize = 1;

/// What the two threads share.
struct Shared<'a> {
    /// The first piece neither thread has begun.
    next: usize,
    /// Pieces the second thread parsed, by place, not yet taken.
    done: BTreeMap<usize, Parsed<'a>>,
    /// The reader stopped: the second thread ends.
    stopped: bool,
}

type Both<'a> = Arc<(Mutex<Shared<'a>>, Condvar)>;

/// Hands out the parsed pieces in order.
pub(super) struct Parsing<'a> {
    source: &'a str,
    pieces: &'a [Range<usize>],
    both: Both<'a>,
    /// The next piece to hand out.
    at: usize,
}

impl<'a> Parsing<'a> {
    /// Starts the second thread in `scope` when there is more than one
    /// piece (if it cannot start, the reader parses every piece).
    pub(super) fn start<'scope>(
        scope: &'scope Scope<'scope, '_>,
        source: &'a str,
        pieces: &'a [Range<usize>],
    ) -> Self
    where
        'a: 'scope,
    {
        let shared = Shared {
            next: 0,
            done: BTreeMap::new(),
            stopped: false,
        };
        let both: Both<'a> = Arc::new((Mutex::new(shared), Condvar::new()));
        if pieces.len() > 1 {
            let theirs = both.clone();
            let _ = std::thread::Builder::new()
                .name("apsched-read".into())
                .spawn_scoped(scope, move || ahead(&theirs, source, pieces));
        }
        Self {
            source,
            pieces,
            both,
            at: 0,
        }
    }
}

/// The second thread: claims the next piece nobody has begun, parses it
/// and leaves it for the reader, while fewer than [`AHEAD`] wait.
fn ahead<'a>(both: &Both<'a>, source: &'a str, pieces: &[Range<usize>]) {
    let (lock, changed) = &**both;
    loop {
        let mut shared = locked(lock);
        while shared.done.len() >= AHEAD && !shared.stopped {
            shared = changed
                .wait(shared)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        let k = shared.next;
        let Some(range) = pieces.get(k).filter(|_| !shared.stopped) else {
            return;
        };
        shared.next += 1;
        drop(shared);
        let parsed = DeTable::parse_recoverable(source.get(range.clone()).unwrap_or_default());
        locked(lock).done.insert(k, parsed);
        changed.notify_all();
    }
}

fn locked<'m, 'a>(lock: &'m Mutex<Shared<'a>>) -> MutexGuard<'m, Shared<'a>> {
    lock.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl<'a> Iterator for Parsing<'a> {
    /// A piece's place in the file and its TOML.
    type Item = (Range<usize>, Parsed<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let k = self.at;
        let range = self.pieces.get(k)?.clone();
        self.at += 1;
        let (lock, changed) = &*self.both;
        let mut shared = locked(lock);
        loop {
            if let Some(parsed) = shared.done.remove(&k) {
                drop(shared);
                changed.notify_all();
                return Some((range, parsed));
            }
            if shared.next == k {
                // Not begun: parsed here rather than waited for.
                shared.next += 1;
                drop(shared);
                let parsed = DeTable::parse_recoverable(self.source.get(range.clone())?);
                return Some((range, parsed));
            }
            shared = changed
                .wait(shared)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }
}

impl Drop for Parsing<'_> {
    /// Lets the second thread end, however far the reader got.
    fn drop(&mut self) {
        let (lock, changed) = &*self.both;
        locked(lock).stopped = true;
        changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_piece_comes_back_in_order_from_either_thread() {
        let source =
            "[jobs.a]\nx = 1\n[jobs.b]\nx = 2\n[jobs.c]\nx = 3\n[jobs.d\n[jobs.e]\nx = 5\n";
        let starts: Vec<usize> = source.match_indices("[jobs.").map(|(i, _)| i).collect();
        let mut ends = starts[1..].to_vec();
        ends.push(source.len());
        let pieces: Vec<Range<usize>> = starts.into_iter().zip(ends).map(|(s, e)| s..e).collect();
        for _ in 0..50 {
            let got: Vec<(Range<usize>, String, usize)> = std::thread::scope(|scope| {
                Parsing::start(scope, source, &pieces)
                    .map(|(range, (table, errors))| {
                        let keys = table
                            .get_ref()
                            .iter()
                            .next()
                            .map(|(_, v)| match v.get_ref() {
                                toml::de::DeValue::Table(t) => {
                                    t.iter().map(|(k, _)| k.get_ref().to_string()).collect()
                                }
                                _ => String::new(),
                            });
                        (range, keys.unwrap_or_default(), errors.len())
                    })
                    .collect()
            });
            let want: Vec<(Range<usize>, String, usize)> = pieces
                .iter()
                .zip(["a", "b", "c", "d", "e"])
                .map(|(r, id)| (r.clone(), id.to_string(), usize::from(id == "d")))
                .collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn a_reader_that_stops_early_lets_the_second_thread_end() {
        let source = "[jobs.a]\n".repeat(50);
        let pieces: Vec<Range<usize>> = (0..50).map(|i| i * 9..(i + 1) * 9).collect();
        let taken =
            std::thread::scope(|scope| Parsing::start(scope, &source, &pieces).take(3).count());
        assert_eq!(taken, 3, "and the scope ended: the thread did not block");
    }
}
