//! The fields both syntaxes share, defined once: plain number fields, and
//! the second, minute, hour and month fields, which read the same in cron
//! strings and field-style triggers.

use super::field::{FieldDef, MONTH_NAMES};

/// A field of plain numbers `min..=max`: no names, `*` covering it all.
pub(super) const fn def(name: &'static str, min: u32, max: u32) -> FieldDef {
    FieldDef {
        name,
        min,
        max,
        names: &[],
        name_base: 0,
        star_max: None,
    }
}

pub(super) const SECOND: FieldDef = def("second", 0, 59);
pub(super) const MINUTE: FieldDef = def("minute", 0, 59);
pub(super) const HOUR: FieldDef = def("hour", 0, 23);
/// Months 1-12, with their names (`jan` is 1).
pub(super) const MONTH: FieldDef = FieldDef {
    names: MONTH_NAMES,
    name_base: 1,
    ..def("month", 1, 12)
};
