//! Prometheus histograms with fixed buckets: counts per bucket, made
//! cumulative when rendered.

/// A histogram's bucket bounds, as numbers and as their `le` label texts.
#[derive(Debug, PartialEq)]
pub(super) struct Buckets {
    pub bounds: &'static [f64],
    pub les: &'static [&'static str],
}

/// Run durations: 0.1 s to 6 h.
pub(super) const DURATION: Buckets = Buckets {
    bounds: &[
        0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 21600.0,
    ],
    les: &[
        "0.1", "0.5", "1", "5", "15", "30", "60", "300", "900", "1800", "3600", "7200", "21600",
    ],
};

/// Start delays: 1 ms to 30 s.
pub(super) const START_DELAY: Buckets = Buckets {
    bounds: &[0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0],
    les: &[
        "0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "30",
    ],
};

/// The most buckets a histogram here has, `+Inf` included.
const MAX: usize = 14;

/// Observations counted into fixed buckets.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Histogram {
    pub buckets: &'static Buckets,
    /// Per bucket (not cumulative); the last is above every bound.
    counts: [u64; MAX],
    pub sum: f64,
    pub count: u64,
}

impl Histogram {
    pub(super) fn new(buckets: &'static Buckets) -> Histogram {
        debug_assert!(buckets.bounds.len() < MAX);
        Histogram {
            buckets,
            counts: [0; MAX],
            sum: 0.0,
            count: 0,
        }
    }

    /// Counts one value into the first bucket whose bound is at or above it.
    pub(super) fn observe(&mut self, value: f64) {
        let bounds = self.buckets.bounds;
        let i = bounds
            .iter()
            .position(|b| value <= *b)
            .unwrap_or(bounds.len());
        self.counts[i] = self.counts[i].saturating_add(1);
        self.count = self.count.saturating_add(1);
        self.sum += value;
    }

    /// The cumulative count of each bound, then of `+Inf`.
    pub(super) fn cumulative(&self) -> impl Iterator<Item = u64> + '_ {
        let n = self.buckets.bounds.len() + 1;
        self.counts[..n].iter().scan(0u64, |total, c| {
            *total = total.saturating_add(*c);
            Some(*total)
        })
    }
}
