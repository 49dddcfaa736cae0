//! The results table, and the statistics its figures are made with.

/// One line of the results table.
pub struct Row {
    what: String,
    measured: String,
    goal: String,
    /// `None` for figures shown for reference only.
    ok: Option<bool>,
}

/// A row: `ok` is whether the goal is met, `None` for a reference figure.
pub fn row(what: &str, measured: String, goal: &str, ok: Option<bool>) -> Row {
    Row {
        what: what.to_string(),
        measured,
        goal: goal.to_string(),
        ok,
    }
}

/// Prints the rows as a Markdown table, columns padded to their widest cell.
pub fn print_table(rows: &[Row]) {
    let verdict = |r: &Row| match r.ok {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "",
    };
    let w0 = rows.iter().map(|r| r.what.len()).max().unwrap_or(0).max(4);
    let w1 = rows
        .iter()
        .map(|r| r.measured.len())
        .max()
        .unwrap_or(0)
        .max(8);
    let w2 = rows.iter().map(|r| r.goal.len()).max().unwrap_or(0).max(4);
    println!(
        "| {:w0$} | {:w1$} | {:w2$} | verdict |",
        "what", "measured", "goal"
    );
    println!(
        "|{}|{}|{}|---------|",
        "-".repeat(w0 + 2),
        "-".repeat(w1 + 2),
        "-".repeat(w2 + 2)
    );
    for r in rows {
        println!(
            "| {:w0$} | {:w1$} | {:w2$} | {:7} |",
            r.what,
            r.measured,
            r.goal,
            verdict(r)
        );
    }
}

/// `1.23 ms`.
pub fn ms(d: f64) -> String {
    format!("{d:.2} ms")
}

/// A job count as the row labels write it: `10k`, `100k`, `100`.
pub fn count(n: usize) -> String {
    if n >= 10_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// `v` in increasing order.
pub fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// The median of unsorted values.
pub fn median(v: &[f64]) -> f64 {
    percentile(&sorted(v.to_vec()), 0.5)
}

/// The smallest value (infinity for none).
pub fn best(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}
