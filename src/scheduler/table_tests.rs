use super::*;
use crate::config::parse;
use chrono::Utc;
use std::sync::Arc;

fn entry(id: &str) -> Entry {
    let file = format!("[jobs.{id}]\ncommand = \"true\"\ncron = \"* * * * *\"\n");
    let config = parse(std::path::Path::new("s.toml"), &file).unwrap();
    Entry {
        job: Arc::clone(&config.jobs[0]),
        slot: None,
        anchor: Utc::now(),
        instances: 0,
        paused: false,
    }
}

#[test]
fn finds_entries_by_seq_and_by_id() {
    let mut table = Table::with_capacity(0);
    let seqs: Vec<u64> = ["a", "b", "c"].map(|id| table.insert(entry(id))).into();
    assert_eq!(table.seq_of("b"), Some(seqs[1]));
    assert_eq!(table[seqs[2]].job.id, "c");
    assert_eq!(table.seq_of("d"), None);
    assert_eq!(table.seqs(), seqs);
}

#[test]
fn a_removed_entry_is_gone_by_its_seq_even_once_its_place_is_reused() {
    let mut table = Table::with_capacity(0);
    let a = table.insert(entry("a"));
    let b = table.insert(entry("b"));
    assert_eq!(table.remove(a).map(|e| e.job.id.clone()), Some("a".into()));
    assert!(table.remove(a).is_none());
    let c = table.insert(entry("c"));
    assert_ne!(c, a, "a new seq for the reused place");
    assert!(table.get(a).is_none() && table.get_mut(a).is_none());
    assert_eq!(table.seq_of("a"), None);
    assert_eq!(table.seq_of("c"), Some(c));
    assert_eq!(table.seq_of("b"), Some(b));
    assert_eq!(
        table
            .iter()
            .map(|(_, e)| e.job.id.as_str())
            .collect::<Vec<_>>(),
        ["c", "b"]
    );
}

#[test]
fn many_entries_added_and_removed_keep_every_id_found() {
    let mut table = Table::with_capacity(0);
    let mut live = std::collections::BTreeMap::new();
    for round in 0..3 {
        for n in 0..500 {
            let id = format!("j{round}x{n}");
            live.insert(id.clone(), table.insert(entry(&id)));
        }
        let gone: Vec<String> = live.keys().step_by(2).cloned().collect();
        for id in gone {
            let seq = live.remove(&id).unwrap();
            assert!(table.remove(seq).is_some());
        }
    }
    for (id, seq) in &live {
        assert_eq!(table.seq_of(id), Some(*seq), "{id}");
    }
    assert_eq!(table.iter().count(), live.len());
    assert!(
        table.cells.len() < 1000,
        "places are reused: {}",
        table.cells.len()
    );
}
