//! Every file the program reads or writes goes through here: inputs are regular files read
//! through a size cap per kind (docs/file-formats.md lists the caps), outputs are written to a
//! temporary file beside the target, synced and renamed into place, and no output may replace
//! a file the program read (a data file never; scenes, configs, lessons and sweeps once a
//! command has called [`protect_inputs`]).

use std::fs::{File, Metadata};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use thiserror::Error;

/// A file that could not be read or written, and why.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("cannot access {}: {reason}", path.display())]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// Why, in words.
    pub reason: String,
}

impl FileError {
    fn new(path: &Path, reason: impl std::fmt::Display) -> FileError {
        let reason = reason.to_string().replace('\n', " ");
        FileError {
            path: path.to_path_buf(),
            reason,
        }
    }
}

/// What an input file holds, which sets its size cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A scene or settings file (TOML).
    Scene,
    /// A lesson file (TOML).
    Lesson,
    /// A sweep's CSV (`sweep --csv`, `merge`).
    Sweep,
    /// A data set (`.npz` or `.csv`).
    Data,
}

impl Kind {
    /// The largest file of this kind that is read, in bytes.
    pub const fn cap(self) -> u64 {
        match self {
            Kind::Scene | Kind::Lesson => 1 << 20,
            Kind::Sweep => 256 << 20,
            Kind::Data => 1 << 30,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Scene => "a scene or settings file",
            Kind::Lesson => "a lesson file",
            Kind::Sweep => "a sweep CSV",
            Kind::Data => "a data file",
        }
    }
}

/// Opens an input: it must be a regular file no larger than its kind's cap. The file is
/// remembered as an input (see [`write_atomic`]).
pub fn open(path: &Path, kind: Kind) -> Result<(File, u64), FileError> {
    let err = |e: io::Error| FileError::new(path, e);
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(err)?;
    if !meta.is_file() {
        return Err(FileError::new(path, "not a regular file"));
    }
    let cap = kind.cap();
    if meta.len() > cap {
        return Err(FileError::new(
            path,
            format!(
                "{} bytes: too large for {} (at most {cap} bytes)",
                meta.len(),
                kind.name()
            ),
        ));
    }
    let file = File::open(path).map_err(err)?;
    remember(&file.metadata().map_err(err)?, kind == Kind::Data);
    Ok((file, meta.len()))
}

/// Reads a text input whole (at most its kind's cap, even if the file grows meanwhile).
pub fn read_text(path: &Path, kind: Kind) -> Result<String, FileError> {
    let (file, _) = open(path, kind)?;
    let mut bytes = Vec::new();
    file.take(kind.cap() + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FileError::new(path, e))?;
    if bytes.len() as u64 > kind.cap() {
        return Err(FileError::new(path, "grew past its size cap while read"));
    }
    String::from_utf8(bytes).map_err(|e| {
        FileError::new(
            path,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// The (device, inode) of every input read, and whether non-data inputs are protected.
static INPUTS: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());
static PROTECT_ALL: AtomicBool = AtomicBool::new(false);

/// From now on no output may replace any input this process reads (a command line's inputs).
pub fn protect_inputs() {
    PROTECT_ALL.store(true, Ordering::Relaxed);
}

fn remember(meta: &Metadata, data: bool) {
    if (data || PROTECT_ALL.load(Ordering::Relaxed))
        && let Some(id) = identity(meta)
        && let Ok(mut inputs) = INPUTS.lock()
        && !inputs.contains(&id)
    {
        inputs.push(id);
    }
}

#[cfg(unix)]
fn identity(meta: &Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Metadata) -> Option<(u64, u64)> {
    None
}

/// Whether `path` is a file this process read as a protected input.
fn is_input(path: &Path) -> bool {
    let Some(id) = std::fs::metadata(path).ok().as_ref().and_then(identity) else {
        return false;
    };
    INPUTS.lock().is_ok_and(|inputs| inputs.contains(&id))
}

/// Writes `bytes` to `path` atomically: see [`write_atomic_with`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write_atomic_with(path, |file| {
        file.write_all(bytes).map_err(|e| e.to_string())
    })
}

/// Writes `path` through `fill` into a uniquely named temporary file in the same folder, syncs
/// it and renames it over `path`; on any failure the temporary is removed and the old file is
/// left as it was. Refuses to replace a file this process read as an input; a device or pipe
/// is written directly.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> Result<(), String>,
) -> Result<(), FileError> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        // A device or pipe (/dev/stdout, a FIFO) cannot be replaced: it is written directly.
        let mut file =
            (File::options().write(true).open(path)).map_err(|e| FileError::new(path, e))?;
        return fill(&mut file).map_err(|e| FileError::new(path, e));
    }
    let staged = Staged::new(path, ".part")?;
    let mut file = File::options()
        .write(true)
        .open(staged.path())
        .map_err(|e| FileError::new(path, e))?;
    fill(&mut file).map_err(|e| FileError::new(path, e))?;
    file.flush().map_err(|e| FileError::new(path, e))?;
    staged.commit()
}

/// A uniquely named temporary file beside an output, for writers that need a path (such as an
/// external program); [`Staged::commit`] renames it over the output, and dropping it
/// uncommitted removes it.
pub struct Staged {
    target: PathBuf,
    temp: tempfile::TempPath,
}

impl Staged {
    /// A temporary for `path` ending in `suffix`; refuses a folder or an input of this process.
    pub fn new(path: &Path, suffix: &str) -> Result<Staged, FileError> {
        if is_input(path) {
            return Err(FileError::new(
                path,
                "it is an input of this command, which is never overwritten: choose another output",
            ));
        }
        if path.is_dir() {
            return Err(FileError::new(path, "is a folder"));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let stem = path.file_name().map_or_else(
            || "output".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{stem}."))
            .suffix(suffix)
            .tempfile_in(dir)
            .map_err(|e| FileError::new(path, e))?
            .into_temp_path();
        Ok(Staged {
            target: path.to_path_buf(),
            temp,
        })
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Syncs the temporary to disk and renames it over the output.
    pub fn commit(self) -> Result<(), FileError> {
        let path = self.target.as_path();
        let file = File::open(&self.temp).map_err(|e| FileError::new(path, e))?;
        file.sync_all().map_err(|e| FileError::new(path, e))?;
        keep_permissions(path, &file);
        self.temp
            .persist(path)
            .map_err(|e| FileError::new(path, e.error))
    }
}

/// Gives the temporary the old file's permissions, or the usual 0644 for a new file (the
/// temporary is created 0600).
#[cfg(unix)]
fn keep_permissions(path: &Path, file: &File) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
    let _ = file.set_permissions(std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn keep_permissions(_: &Path, _: &File) {}

/// A reader that fails on a line longer than `max` bytes, so a file without newlines cannot
/// make a line-based parser buffer it whole.
pub struct LineLimit<R> {
    inner: R,
    run: usize,
    max: usize,
}

impl<R: Read> LineLimit<R> {
    /// Wraps `inner`, allowing lines of at most `max` bytes.
    pub fn new(inner: R, max: usize) -> Self {
        LineLimit { inner, run: 0, max }
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            self.run = if b == b'\n' { 0 } else { self.run + 1 };
            if self.run > self.max {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a line longer than {} bytes", self.max),
                ));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = (std::fs::read_dir(dir).expect("dir").flatten())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A write that fails half-way (a full disk, simulated) leaves the old file and no temporary.
    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old contents\n").expect("write");
        let failed = write_atomic_with(&path, |file| {
            file.write_all(&[b'x'; 4096]).map_err(|e| e.to_string())?;
            Err("No space left on device (os error 28)".into())
        });
        let e = failed.expect_err("the write failed");
        assert!(e.to_string().contains("No space left"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "old contents\n"
        );
        assert_eq!(names(dir.path()), ["out.csv"]);
        write_atomic(&path, b"new\n").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new\n");
        assert_eq!(names(dir.path()), ["out.csv"]);
    }

    /// A staged output dropped before its commit leaves the old file and no temporary.
    #[test]
    fn an_uncommitted_stage_is_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("movie.mp4");
        std::fs::write(&path, "old").expect("write");
        let staged = Staged::new(&path, ".part.mp4").expect("staged");
        std::fs::write(staged.path(), "half").expect("write");
        drop(staged);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
        assert_eq!(names(dir.path()), ["movie.mp4"]);
    }

    #[test]
    fn inputs_are_capped_and_must_be_regular_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let e = read_text(dir.path(), Kind::Scene).expect_err("a folder");
        assert!(e.reason.contains("not a regular file"), "{e}");
        let big = dir.path().join("big.toml");
        std::fs::File::create(&big)
            .and_then(|f| f.set_len(Kind::Scene.cap() + 1))
            .expect("sparse file");
        let e = read_text(&big, Kind::Scene).expect_err("too large");
        assert!(e.reason.contains("too large"), "{e}");
    }

    #[test]
    fn a_line_past_its_limit_fails_the_read() {
        let mut ok = String::new();
        LineLimit::new("ab\ncd\n".as_bytes(), 2)
            .read_to_string(&mut ok)
            .expect("short lines");
        assert_eq!(ok, "ab\ncd\n");
        let mut long = String::new();
        let e = LineLimit::new("ab\ncde\n".as_bytes(), 2).read_to_string(&mut long);
        assert!(e.is_err());
    }
}
