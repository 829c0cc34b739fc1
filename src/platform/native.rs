//! The desktop: threads, files on disk, native dialogs.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// What to do when a file dialog chose nothing.
pub const NO_DIALOG: &str = "if no dialog appeared, type the path in the menu and press Enter";
/// What saving a file is called in notices.
pub const SAVED: &str = "saved";

/// Starts `work` on a thread named `name`.
pub fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> Result<(), String> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(work)
        .map(drop)
        .map_err(|e| format!("cannot start the {name} thread: {e}"))
}

/// Repeats `work` on a thread named `name` until it returns `None`, resting between turns as
/// long as each asks (woken early by [`Repeating::wake`]).
pub fn repeat(
    name: &str,
    mut work: impl FnMut() -> Option<Duration> + Send + 'static,
) -> Result<Repeating, String> {
    let turns = move || {
        while let Some(rest) = work() {
            if !rest.is_zero() {
                std::thread::park_timeout(rest);
            }
        }
    };
    let thread = (std::thread::Builder::new().name(name.into()))
        .spawn(turns)
        .map_err(|e| format!("cannot start the {name} thread: {e}"))?;
    Ok(Repeating {
        thread: Some(thread),
    })
}

/// Work repeated by [`repeat`].
pub struct Repeating {
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Repeating {
    /// Starts its next turn now if it is resting.
    pub fn wake(&self) {
        if let Some(t) = &self.thread {
            t.thread().unpark();
        }
    }

    /// Why the work is no longer repeated (`None` while it is): it ended, or it panicked.
    pub fn stopped(&mut self) -> Option<String> {
        if self.thread.as_ref().is_some_and(|t| !t.is_finished()) {
            return None;
        }
        let thread = self.thread.take()?;
        Some(match thread.join() {
            Ok(()) => "it has stopped".into(),
            Err(payload) => {
                let msg = (payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                format!("it panicked: {msg}")
            }
        })
    }
}

/// Notes that a frame of the app starts (nothing to do: work runs on threads).
pub fn frame_started() {}

/// Lets the user choose a file to open (a native dialog on a thread of its own) and hands its
/// name and bytes to `done`; nothing when none was chosen or it cannot be read. (The desktop's
/// menus use [`pick`], which keeps the path; this is the web page's way, here for symmetry.)
pub fn pick_bytes(
    title: &'static str,
    filter: Option<(&'static str, &'static [&'static str])>,
    done: impl FnOnce(String, Vec<u8>) + Send + 'static,
) {
    let ask = super::Ask {
        title,
        dir: None,
        name: String::new(),
        filter,
        kind: super::Kind::Open,
    };
    let _ = spawn("file-dialog", move || {
        let picked = pick(ask);
        if let Some((path, bytes)) = picked.and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
            done(path.display().to_string(), bytes);
        }
    });
}

/// Saves `bytes` as the file `path` (atomically; see [`crate::files::write_atomic`]).
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::files::write_atomic(path, bytes).map_err(|e| e.to_string())
}

/// A native file dialog (blocking; call it on a job thread).
pub fn pick(dialog: super::Ask) -> Option<PathBuf> {
    use super::Kind;
    let mut d = rfd::FileDialog::new().set_title(dialog.title);
    if let Some(dir) = dialog.dir {
        d = d.set_directory(dir);
    }
    if let Some((what, extensions)) = dialog.filter {
        d = d.add_filter(what, extensions);
    }
    match dialog.kind {
        Kind::Open => d.pick_file(),
        Kind::Save => d.set_file_name(dialog.name).save_file(),
        Kind::Folder => d.pick_folder(),
    }
}

/// Shows the scene's link and title where the platform has an address bar (the desktop has none).
pub fn show_scene(_fragment: &str, _title: &str) {}

/// Hands the page's script a JSON text (the desktop has no page).
pub fn expose(_json: &str) {}

/// Opens the app's window of `size` logical pixels; `store` replaces the kept state's file.
pub fn open_window(
    size: [f32; 2],
    store: Option<PathBuf>,
    create: eframe::AppCreator<'static>,
) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_inner_size(size)
            .with_title("dln-explorer — implicit bias of SGD on diagonal linear networks"),
        persistence_path: store,
        ..Default::default()
    };
    eframe::run_native("dln-explorer", options, create).map_err(|e| e.to_string())
}

/// The page's own address (the desktop has none: links point to the published page).
pub fn page_address() -> Option<String> {
    None
}

/// Reads a file dropped on the window and hands its bytes to `done`.
pub fn read_dropped(
    file: eframe::egui::DroppedFileHandle,
    done: impl FnOnce(Result<Vec<u8>, String>) + 'static,
) {
    done(file.bytes());
}
