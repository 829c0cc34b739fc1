//! One piece of work the live runs hand to a thread of its own — preparing a scene, gradient
//! flow's limit, a predicted limit — so that it never holds up a step or a frame. Dropping the
//! handle raises the job's cancel flag: a restart supersedes whatever was still running.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

/// A job running on its own thread, polled for its result.
pub struct Background<T> {
    result: Receiver<T>,
    cancel: Arc<AtomicBool>,
}

/// What polling a job found.
pub enum Polled<T> {
    /// Still running.
    Running,
    /// Finished with this result.
    Done(T),
    /// The thread ended without a result (it panicked or could not start).
    Lost,
}

impl<T: Send + 'static> Background<T> {
    /// Starts `work` on a named thread; it receives the cancel flag to poll.
    pub fn spawn(name: &str, work: impl FnOnce(&AtomicBool) -> T + Send + 'static) -> Self {
        let (tx, result) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        // A thread that cannot start drops `tx`, which `poll` reports as lost.
        let _ = crate::platform::spawn(name, move || {
            let _ = tx.send(work(&flag));
        });
        Background { result, cancel }
    }

    /// The result, once the job has finished.
    pub fn poll(&self) -> Polled<T> {
        match self.result.try_recv() {
            Ok(v) => Polled::Done(v),
            Err(TryRecvError::Empty) => Polled::Running,
            Err(TryRecvError::Disconnected) => Polled::Lost,
        }
    }
}

impl<T> Drop for Background<T> {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}
