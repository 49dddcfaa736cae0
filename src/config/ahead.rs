//! The TOML of a file's pieces ([`super::split`]), parsed in order with the
//! odd pieces' parsed on a second thread, a piece or two ahead, while the
//! calling thread parses the even ones and reads every piece's jobs. The
//! parsed form is handed over and dropped by the reader: only the jobs it
//! builds are kept, all allocated by the calling thread.

use std::ops::Range;
use std::sync::mpsc::{Receiver, sync_channel};
use std::thread::Scope;
use toml::Spanned;
use toml::de::{DeTable, Error};

/// One piece's TOML: its table and its syntax errors.
pub(super) type Parsed<'a> = (Spanned<DeTable<'a>>, Vec<Error>);

/// How many odd pieces the second thread may hold parsed and not yet taken.
const AHEAD: usize = 0;

/// Hands out the parsed pieces in order.
pub(super) struct Parsing<'a> {
    source: &'a str,
    pieces: &'a [Range<usize>],
    /// The odd pieces, from the second thread; `None` with one piece (or if
    /// the thread could not be started: then every piece is parsed here).
    odd: Option<Receiver<Parsed<'a>>>,
    next: usize,
}

impl<'a> Parsing<'a> {
    /// Starts the second thread in `scope` when there is more than one piece.
    pub(super) fn start<'scope>(
        scope: &'scope Scope<'scope, '_>,
        source: &'a str,
        pieces: &'a [Range<usize>],
    ) -> Self
    where
        'a: 'scope,
    {
        let odd = (pieces.len() > 1).then(|| {
            let (send, odd) = sync_channel(AHEAD);
            let spawned = std::thread::Builder::new()
                .name("apsched-read".into())
                .spawn_scoped(scope, move || {
                    for range in pieces.iter().skip(1).step_by(2) {
                        let text = source.get(range.clone()).unwrap_or_default();
                        // The reader stopped early: so does this thread.
                        if send.send(DeTable::parse_recoverable(text)).is_err() {
                            return;
                        }
                    }
                });
            spawned.ok().map(|_| odd)
        });
        Self {
            source,
            pieces,
            odd: odd.flatten(),
            next: 0,
        }
    }
}

impl<'a> Iterator for Parsing<'a> {
    /// A piece's place in the file and its TOML.
    type Item = (Range<usize>, Parsed<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let range = self.pieces.get(self.next)?.clone();
        let odd = self.next % 2 == 1;
        self.next += 1;
        let parsed = match &self.odd {
            Some(from) if odd => from.recv().ok()?,
            _ => DeTable::parse_recoverable(self.source.get(range.clone())?),
        };
        Some((range, parsed))
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

    #[test]
    fn a_reader_that_stops_early_lets_the_second_thread_end() {
        let source = "[jobs.a]\n".repeat(50);
        let pieces: Vec<Range<usize>> = (0..50).map(|i| i * 9..(i + 1) * 9).collect();
        let taken =
            std::thread::scope(|scope| Parsing::start(scope, &source, &pieces).take(3).count());
        assert_eq!(taken, 3, "and the scope ended: the thread did not block");
    }
}
