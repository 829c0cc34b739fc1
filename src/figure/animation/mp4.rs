//! MP4 output: the rasterised frames piped as raw RGBA to `ffmpeg` (H.264 when the local ffmpeg
//! has it, in yuv420p so every player shows it; odd sizes padded by one pixel).

use std::io::Write;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};

use resvg::tiny_skia::Pixmap;

/// Whether `ffmpeg` runs from the PATH.
pub fn ffmpeg_available() -> bool {
    Command::new("ffmpeg")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// An ffmpeg process writing an MP4 from the frames it is fed.
pub struct Mp4Writer {
    child: Child,
    stdin: Option<ChildStdin>,
    staged: Option<crate::files::Staged>,
}

impl Mp4Writer {
    /// Starts ffmpeg writing `path` from `width × height` frames at `fps`.
    pub fn new(path: &Path, width: u32, height: u32, fps: u32) -> Result<Mp4Writer, String> {
        // ffmpeg writes a temporary beside the output, renamed over it once complete.
        let staged = crate::files::Staged::new(path, ".part.mp4").map_err(|e| e.to_string())?;
        let mut child = Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo"])
            .args(["-pix_fmt", "rgba", "-s", &format!("{width}x{height}")])
            .args(["-r", &fps.to_string(), "-i", "-"])
            .args(["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white"])
            .args(["-pix_fmt", "yuv420p", "-movflags", "+faststart"])
            .arg(staged.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start ffmpeg: {e}"))?;
        let stdin = child.stdin.take();
        Ok(Mp4Writer {
            child,
            stdin,
            staged: Some(staged),
        })
    }

    /// Feeds frames to ffmpeg.
    pub fn push(&mut self, frames: &[Pixmap]) -> Result<(), String> {
        let Some(stdin) = self.stdin.as_mut() else {
            return Err("ffmpeg's input is closed".into());
        };
        for f in frames {
            if let Err(e) = stdin.write_all(f.data()) {
                // ffmpeg quit: its own message says why.
                self.stdin = None;
                return Err(self
                    .failure()
                    .unwrap_or_else(|| format!("ffmpeg stopped: {e}")));
            }
        }
        Ok(())
    }

    /// Closes the input and waits for ffmpeg to finish the file.
    pub fn finish(mut self) -> Result<(), String> {
        self.stdin = None;
        if let Some(msg) = self.failure() {
            return Err(msg);
        }
        match self.staged.take() {
            Some(staged) => staged.commit().map_err(|e| e.to_string()),
            None => Err("the MP4 was already finished".into()),
        }
    }

    /// Waits for ffmpeg; its first error line if it failed.
    fn failure(&mut self) -> Option<String> {
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        match self.child.wait() {
            Ok(s) if s.success() => None,
            Ok(s) => Some(format!(
                "ffmpeg failed ({s}): {}",
                err.lines().next().unwrap_or("no message")
            )),
            Err(e) => Some(format!("ffmpeg failed: {e}")),
        }
    }
}

impl Drop for Mp4Writer {
    /// Ends ffmpeg's input and reaps the process, even when writing failed half-way.
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.child.wait();
    }
}
