//! The shape of a set of field values, as people name it: every value,
//! every n-th, a range (possibly wrapping around the end of the field), or a
//! list of single values and ranges.

/// One piece of a list: a single value or a run of three or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    One(u32),
    Run(u32, u32),
}

/// How a set of values reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    /// Every value of the field.
    All,
    /// Exactly one value.
    One(u32),
    /// `min, min + n, ...` to the end of the field: `*/n`.
    Every(u32),
    /// Consecutive values `first` through `last`; `first > last` wraps
    /// around the end of the field (`22-2`).
    Range(u32, u32),
    /// `first, first + step, ...` through `last`, three values or more.
    Stepped { first: u32, last: u32, step: u32 },
    /// Anything else, in order.
    List(Vec<Piece>),
}

/// The values of `mask` (bits `min..=max`), ascending.
pub(super) fn values(mask: u64, min: u32, max: u32) -> Vec<u32> {
    (min..=max.min(63))
        .filter(|v| mask & (1 << v) != 0)
        .collect()
}

/// The common difference of `values`, if there is one (two values or more).
fn step_of(values: &[u32]) -> Option<u32> {
    let step = values.get(1)?.checked_sub(values[0])?;
    values
        .windows(2)
        .all(|w| w[1] - w[0] == step)
        .then_some(step)
}

/// The run `(first, last)` of a set that wraps around the end of the field
/// (`22-2` in hours), if the set is exactly one such run of 3 or more.
fn wrapped_run(values: &[u32], min: u32, max: u32) -> Option<(u32, u32)> {
    let (&lowest, &highest) = (values.first()?, values.last()?);
    if values.len() < 3 || lowest != min || highest != max {
        return None;
    }
    // One gap in the middle: the run starts after it and ends before it.
    let gaps: Vec<&[u32]> = values.windows(2).filter(|w| w[1] - w[0] > 1).collect();
    match gaps.as_slice() {
        [gap] => Some((gap[1], gap[0])),
        _ => None,
    }
}

/// Single values, with runs of three or more consecutive ones joined.
pub(super) fn pieces(values: &[u32]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < values.len() {
        let mut j = i;
        while j + 1 < values.len() && values[j + 1] == values[j] + 1 {
            j += 1;
        }
        if j - i >= 2 {
            pieces.push(Piece::Run(values[i], values[j]));
        } else {
            pieces.extend(values[i..=j].iter().map(|v| Piece::One(*v)));
        }
        i = j + 1;
    }
    pieces
}

/// The shape of the values of `mask` in a field of `min..=max`; `wraps`
/// when a range may run past the end of the field back to its start.
pub(super) fn shape(mask: u64, min: u32, max: u32, wraps: bool) -> Shape {
    let values = values(mask, min, max);
    let size = max - min + 1;
    match (values.as_slice(), step_of(&values)) {
        (all, _) if all.len() == size as usize => Shape::All,
        ([one], _) => Shape::One(*one),
        ([first, .., last], Some(step))
            if *first == min && last + step > max && (values.len() >= 3 || step * 2 == size) =>
        {
            Shape::Every(step)
        }
        ([first, .., last], Some(1)) if values.len() >= 3 => Shape::Range(*first, *last),
        ([first, .., last], Some(step)) if values.len() >= 3 => Shape::Stepped {
            first: *first,
            last: *last,
            step,
        },
        _ => match wrapped_run(&values, min, max).filter(|_| wraps) {
            Some((first, last)) => Shape::Range(first, last),
            None => Shape::List(pieces(&values)),
        },
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn join(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A list of pieces, each value named by `name`: `1, 5 through 9 and 12`.
pub(super) fn pieces_text(pieces: &[Piece], name: impl Fn(u32) -> String) -> String {
    let words: Vec<String> = pieces
        .iter()
        .map(|p| match *p {
            Piece::One(v) => name(v),
            Piece::Run(a, b) => format!("{} through {}", name(a), name(b)),
        })
        .collect();
    join(&words)
}

/// `1st`, `2nd`, `3rd`, `11th`, `22nd`.
pub(super) fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `n things`, or `thing` for one: `every 5 minutes`, `every minute`.
pub(super) fn every(n: u32, unit: &str) -> String {
    if n == 1 {
        format!("every {unit}")
    } else {
        format!("every {n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(values: &[u32]) -> u64 {
        values.iter().fold(0, |m, v| m | 1 << v)
    }

    #[test]
    fn sets_take_the_shape_people_name() {
        let cases: &[(&[u32], u32, u32, bool, Shape)] = &[
            (&[0, 15, 30, 45], 0, 59, false, Shape::Every(15)),
            (&[0, 30], 0, 59, false, Shape::Every(30)),
            (
                &[0, 59],
                0,
                59,
                false,
                Shape::List(vec![Piece::One(0), Piece::One(59)]),
            ),
            (
                &[8, 10, 12],
                0,
                23,
                false,
                Shape::Stepped {
                    first: 8,
                    last: 12,
                    step: 2,
                },
            ),
            (&[9, 10, 11], 0, 23, false, Shape::Range(9, 11)),
            (&[0, 1, 2, 22, 23], 0, 23, true, Shape::Range(22, 2)),
            (
                &[0, 1, 2, 22, 23],
                0,
                23,
                false,
                Shape::List(vec![Piece::Run(0, 2), Piece::One(22), Piece::One(23)]),
            ),
            (&[5], 0, 59, false, Shape::One(5)),
            (
                &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
                1,
                12,
                true,
                Shape::All,
            ),
        ];
        for (values, min, max, wraps, want) in cases {
            assert_eq!(&shape(mask(values), *min, *max, *wraps), want, "{values:?}");
        }
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31]
            .map(ordinal)
            .to_vec();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"
            ]
        );
    }
}
