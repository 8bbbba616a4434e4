//! One writer at a time: an advisory lock held for the whole update.
//!
//! The lock is an OS file lock, so a writer that dies (even by SIGKILL) releases it;
//! the file also records the holder's PID so the second writer can say who holds it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

pub use search_core::folder::LOCK_FILE;

/// Held while the index is being written; released on drop.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

/// Another process holds the lock.
#[derive(Debug)]
pub struct Busy {
    /// The PID the holder wrote, if it could be read.
    pub pid: Option<u32>,
}

/// Takes the writer lock of the index in `dir`, without waiting.
pub fn try_lock(dir: &Path) -> std::io::Result<Result<WriterLock, Busy>> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(LOCK_FILE))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            return Ok(Err(Busy {
                pid: text.trim().parse().ok(),
            }));
        }
        Err(TryLockError::Error(err)) => return Err(err),
    }
    file.set_len(0)?;
    file.rewind()?;
    write!(file, "{}", std::process::id())?;
    file.flush()?;
    Ok(Ok(WriterLock { _file: file }))
}
