//! What differs between the desktop and the web page — threads, the clock, saving files, the
//! page's address and title, the file dialogs — behind one interface; nothing else is gated on
//! the target.

use std::path::PathBuf;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::*;
#[cfg(target_arch = "wasm32")]
mod web;
#[cfg(target_arch = "wasm32")]
pub use web::*;

/// Whether the app runs on the web page (menus name what is desktop-only).
pub const WEB_PAGE: bool = cfg!(target_arch = "wasm32");
/// Whether work can run on threads of its own (else it runs a slice at a time between frames).
pub const THREADS: bool = !WEB_PAGE;

/// How long one turn of work may hold the web page (a tick of the runs, a slice of a job).
pub const TURN: std::time::Duration = std::time::Duration::from_millis(8);

/// A monotonic clock that works on both (the browser's `performance.now()` on the web).
pub use web_time::Instant;

/// The three kinds of file dialog.
pub enum Kind {
    /// Choose an existing file.
    Open,
    /// Name a file to write.
    Save,
    /// Choose a folder.
    Folder,
}

/// What a dialog asks for: its title, where it starts, the files it lists.
pub struct Ask {
    /// The dialog's title.
    pub title: &'static str,
    /// The folder it opens in.
    pub dir: Option<PathBuf>,
    /// The file name it proposes (save dialogs).
    pub name: String,
    /// The kind of files listed and their extensions.
    pub filter: Option<(&'static str, &'static [&'static str])>,
    /// Open, save or folder.
    pub kind: Kind,
}

/// Asks for the cache line holding `p` ahead of its use (a hint; nothing where unsupported).
#[inline(always)]
pub fn prefetch(p: *const f64) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint: it never faults and reads nothing the program sees.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// `a·b + c` as the stepping kernels compute it: one fused multiply-add where the CPU has one
/// (the desktop), a multiply then an add on the web (WebAssembly has no guaranteed fused
/// multiply-add; a software one would be many times slower).
pub trait Madd {
    /// `self·b + c`.
    fn madd(self, b: f64, c: f64) -> f64;
}

impl Madd for f64 {
    #[inline(always)]
    fn madd(self, b: f64, c: f64) -> f64 {
        match cfg!(target_arch = "wasm32") {
            true => self * b + c,
            false => self.mul_add(b, c),
        }
    }
}
