//! A copied state written into a cluster's rows and read back: the same
//! jobs and runs, in the same order; replacing touches this cluster only.

use super::tests::store;
use crate::store::StateStore;
use crate::store::copy::tests::{comparable, filled};
use crate::store::copy::{export, holds_anything};
use crate::store::sqlite::SqliteStore;

#[test]
fn a_dump_goes_into_a_cluster_and_comes_back_the_same() {
    let Some((dsn, mut to)) = store("c1", 10) else {
        return;
    };
    let mut from = SqliteStore::memory(10).expect("store");
    filled(&mut from);
    let dump = export(&from).expect("export");
    to.import(&dump, false).expect("import");
    assert_eq!(comparable(&export(&to).expect("export")), comparable(&dump));

    let mut other = super::PgStore::connect(&dsn, "c2", 10).expect("connect");
    other.import(&dump, false).expect("import");
    to.import(&dump, true).expect("replace");
    assert_eq!(comparable(&export(&to).expect("export")), comparable(&dump));
    assert_eq!(
        comparable(&export(&other).expect("export")),
        comparable(&dump)
    );
    assert!(holds_anything(&other).expect("read"));
}
