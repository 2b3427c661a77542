//! Keeping outputs in memory: `serve` merges them into what it serves, tests read them.

use super::Sink;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Output path → bytes, filled by a render.
#[derive(Default)]
pub struct Memory {
    files: Mutex<BTreeMap<String, Arc<[u8]>>>,
}

impl Memory {
    /// Everything written so far, sorted by path; the sink is empty afterwards.
    pub fn take(&self) -> BTreeMap<String, Arc<[u8]>> {
        std::mem::take(&mut *self.lock())
    }

    /// A copy of one file.
    pub fn get(&self, rel: &str) -> Option<Arc<[u8]>> {
        self.lock().get(rel).cloned()
    }

    /// How many files it holds.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Does it hold nothing?
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Arc<[u8]>>> {
        self.files.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.lock().insert(rel.to_string(), bytes.into());
        Ok(())
    }

    fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        let bytes = std::fs::read(source)?;
        self.lock().insert(rel.to_string(), bytes.into());
        Ok(())
    }
}
