//! The scheduler's jobs: each entry in one vector under a key (its `seq`)
//! that never names another job, even after it is removed, and found by
//! its id through an index of positions that holds no copy of the id.

use super::Entry;
use hashbrown::HashTable;
use std::hash::{BuildHasher, RandomState};

/// The jobs of a scheduler, by seq and by id.
pub(super) struct Table {
    cells: Vec<Cell>,
    /// Positions of removed entries, to reuse.
    free: Vec<u32>,
    /// Positions of the entries, hashed by their job's id.
    ids: HashTable<u32>,
    hasher: RandomState,
}

/// One position: an entry, or none, and how many entries it has held. A
/// seq is the position and its generation, so a seq of a removed entry
/// finds nothing even once the position holds another.
struct Cell {
    generation: u32,
    entry: Option<Entry>,
}

fn seq(index: u32, generation: u32) -> u64 {
    u64::from(generation) << 32 | u64::from(index)
}

/// The position and generation of `seq`.
fn split(seq: u64) -> (u32, u32) {
    let low = u32::try_from(seq & u64::from(u32::MAX)).unwrap_or(u32::MAX);
    let high = u32::try_from(seq >> 32).unwrap_or(u32::MAX);
    (low, high)
}

impl Table {
    pub(super) fn with_capacity(jobs: usize) -> Table {
        Table {
            cells: Vec::with_capacity(jobs),
            free: Vec::new(),
            ids: HashTable::with_capacity(jobs),
            hasher: RandomState::new(),
        }
    }

    pub(super) fn get(&self, seq: u64) -> Option<&Entry> {
        let (index, generation) = split(seq);
        let cell = self.cells.get(index as usize)?;
        (cell.generation == generation)
            .then_some(cell.entry.as_ref())
            .flatten()
    }

    pub(super) fn get_mut(&mut self, seq: u64) -> Option<&mut Entry> {
        let (index, generation) = split(seq);
        let cell = self.cells.get_mut(index as usize)?;
        (cell.generation == generation)
            .then_some(cell.entry.as_mut())
            .flatten()
    }

    /// The seq of the job `id`.
    pub(super) fn seq_of(&self, id: &str) -> Option<u64> {
        let hash = self.hasher.hash_one(id);
        let cells = &self.cells;
        let index = *self.ids.find(hash, |&i| id_at(cells, i) == Some(id))?;
        Some(seq(index, cells[index as usize].generation))
    }

    /// Adds `entry`, whose job id must be new; returns its seq.
    pub(super) fn insert(&mut self, entry: Entry) -> u64 {
        let hash = self.hasher.hash_one(entry.job.id.as_str());
        let index = if let Some(index) = self.free.pop() {
            self.cells[index as usize].entry = Some(entry);
            index
        } else {
            // More than 4 billion jobs would not fit in memory first.
            let index = u32::try_from(self.cells.len()).unwrap_or(u32::MAX);
            self.cells.push(Cell {
                generation: 0,
                entry: Some(entry),
            });
            index
        };
        let (cells, hasher) = (&self.cells, &self.hasher);
        self.ids.insert_unique(hash, index, |&i| {
            hasher.hash_one(id_at(cells, i).unwrap_or_default())
        });
        seq(index, self.cells[index as usize].generation)
    }

    /// Removes the entry of `seq`; its seq then finds nothing.
    pub(super) fn remove(&mut self, seq: u64) -> Option<Entry> {
        let (index, generation) = split(seq);
        let cell = self
            .cells
            .get_mut(index as usize)
            .filter(|c| c.generation == generation)?;
        let entry = cell.entry.take()?;
        let hash = self.hasher.hash_one(entry.job.id.as_str());
        if let Ok(found) = self.ids.find_entry(hash, |&i| i == index) {
            found.remove();
        }
        // A position whose generations are used up is not used again.
        if let Some(next) = cell.generation.checked_add(1) {
            cell.generation = next;
            self.free.push(index);
        }
        Some(entry)
    }

    /// The seqs of every entry, in the order of their positions.
    pub(super) fn seqs(&self) -> Vec<u64> {
        self.iter().map(|(seq, _)| seq).collect()
    }

    /// Every entry with its seq, in the order of their positions.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u64, &Entry)> {
        self.cells.iter().zip(0u32..).filter_map(|(cell, index)| {
            let entry = cell.entry.as_ref()?;
            Some((seq(index, cell.generation), entry))
        })
    }
}

impl std::ops::Index<u64> for Table {
    type Output = Entry;

    /// The entry of a seq known to be there.
    fn index(&self, seq: u64) -> &Entry {
        self.get(seq).expect("a seq of an entry in the table")
    }
}

/// The job id of the entry at `index`, if any.
fn id_at(cells: &[Cell], index: u32) -> Option<&str> {
    let entry = cells.get(index as usize)?.entry.as_ref()?;
    Some(entry.job.id.as_str())
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
