//! GIF encoding of rasterised frames with one fixed palette: the colours covering most of the
//! finished figure exactly, every other colour rounded to a 6-level colour cube. Frames after the
//! first store only the rectangle that changed, unchanged pixels in it transparent.

use std::borrow::Cow;

use gif::{DisposalMethod, Encoder, Frame, Repeat};
use rayon::prelude::*;
use resvg::tiny_skia::Pixmap;

/// Levels per channel of the colour cube (0, 51, …, 255).
const LEVELS: u32 = 6;
/// Step between cube levels.
const STEP: u32 = 255 / (LEVELS - 1);
/// Largest error per channel of a colour rounded to the cube: half a step, 25.5, and no 8-bit
/// value lies exactly halfway since the step is odd.
pub const MAX_ERROR: u8 = (STEP / 2) as u8;
/// Palette index of "unchanged since the previous frame".
const TRANSPARENT: u8 = 255;
/// Colours kept exactly besides the cube (216 + 39 = 255 entries, then the transparent one).
const EXACT: usize = 255 - (LEVELS * LEVELS * LEVELS) as usize;
/// A colour kept exactly must cover at least this many pixels of the sample frame.
const MIN_PIXELS: u32 = 16;

/// A 256-entry palette and the fast map from colours to its indices.
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    /// The exactly kept colours, packed `0xRRGGBB`, ascending; their index is 216 + position.
    exact: Vec<u32>,
}

/// `0xRRGGBB` of a pixel.
fn pack(p: &[u8]) -> u32 {
    (u32::from(p[0]) << 16) | (u32::from(p[1]) << 8) | u32::from(p[2])
}

impl Palette {
    /// The palette of an animation: its most frequent colours in `sample` (RGBA, opaque) kept
    /// exactly, ties broken by colour so the choice is deterministic.
    pub fn learn(sample: &[u8]) -> Palette {
        let mut counts = std::collections::HashMap::<u32, u32>::new();
        for p in sample.chunks_exact(4) {
            *counts.entry(pack(p)).or_default() += 1;
        }
        let on_cube = |c: u32| (0..3).all(|k| ((c >> (8 * k)) & 0xff).is_multiple_of(STEP));
        let mut common: Vec<(u32, u32)> = (counts.into_iter())
            .filter(|&(c, n)| n >= MIN_PIXELS && !on_cube(c))
            .collect();
        common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut exact: Vec<u32> = common.iter().take(EXACT).map(|&(c, _)| c).collect();
        exact.sort_unstable();
        Palette { exact }
    }

    /// The index of a colour: its exact entry, else the nearest cube colour per channel.
    pub fn index(&self, p: &[u8]) -> u8 {
        match self.exact.binary_search(&pack(p)) {
            Ok(i) => (LEVELS * LEVELS * LEVELS) as u8 + i as u8,
            Err(_) => {
                let level = |v: u8| (u32::from(v) + STEP / 2) / STEP;
                (level(p[0]) * LEVELS * LEVELS + level(p[1]) * LEVELS + level(p[2])) as u8
            }
        }
    }

    /// The palette as `r, g, b` triples, 256 entries (the last is the transparent one).
    pub fn rgb(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(768);
        for i in 0..LEVELS * LEVELS * LEVELS {
            for c in [i / (LEVELS * LEVELS), (i / LEVELS) % LEVELS, i % LEVELS] {
                out.push((c * STEP) as u8);
            }
        }
        for c in &self.exact {
            out.extend([(c >> 16) as u8, (c >> 8) as u8, *c as u8]);
        }
        out.resize(768, 255);
        out
    }

    /// The indices of a frame's pixels.
    fn indices(&self, frame: &Pixmap) -> Vec<u8> {
        frame
            .data()
            .chunks_exact(4)
            .map(|p| self.index(p))
            .collect()
    }
}

/// Writes frames of one size into a GIF held in memory.
pub struct GifWriter {
    encoder: Encoder<Vec<u8>>,
    palette: Palette,
    size: (u16, u16),
    delay: u16,
    previous: Option<Vec<u8>>,
}

impl GifWriter {
    /// A looping GIF of `width × height` frames shown `fps` a second (delays are whole
    /// centiseconds: 100/fps rounded).
    pub fn new(width: u32, height: u32, fps: u32, palette: Palette) -> Result<GifWriter, String> {
        let too_large = || format!("a {width}×{height} frame is larger than GIF allows (65535)");
        let size = (
            u16::try_from(width).map_err(|_| too_large())?,
            u16::try_from(height).map_err(|_| too_large())?,
        );
        let mut encoder = Encoder::new(Vec::new(), size.0, size.1, &palette.rgb())
            .map_err(|e| format!("GIF encoding failed: {e}"))?;
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|e| format!("GIF encoding failed: {e}"))?;
        let delay = (100.0 / f64::from(fps.max(1))).round().max(1.0) as u16;
        Ok(GifWriter {
            encoder,
            palette,
            size,
            delay,
            previous: None,
        })
    }

    /// Appends frames (quantised and compressed in parallel, written in order).
    pub fn push(&mut self, frames: &[Pixmap]) -> Result<(), String> {
        for f in frames {
            if (f.width(), f.height()) != (u32::from(self.size.0), u32::from(self.size.1)) {
                return Err(format!(
                    "frame of {}×{} in a {}×{} animation",
                    f.width(),
                    f.height(),
                    self.size.0,
                    self.size.1
                ));
            }
        }
        let indices: Vec<Vec<u8>> = frames.par_iter().map(|f| self.palette.indices(f)).collect();
        let mut parts = Vec::with_capacity(indices.len());
        for current in indices {
            parts.push(self.part(&current));
            self.previous = Some(current);
        }
        let encoded: Vec<Frame<'static>> = parts
            .into_par_iter()
            .map(|mut f| {
                f.make_lzw_pre_encoded();
                f
            })
            .collect();
        for f in &encoded {
            self.encoder
                .write_lzw_pre_encoded_frame(f)
                .map_err(|e| format!("GIF encoding failed: {e}"))?;
        }
        Ok(())
    }

    /// The frame to store for `current`: all of it first, then the rectangle that changed
    /// since the previous frame, unchanged pixels transparent (one pixel if nothing changed).
    fn part(&self, current: &[u8]) -> Frame<'static> {
        let (w, h) = (usize::from(self.size.0), usize::from(self.size.1));
        let mut frame = Frame {
            delay: self.delay,
            dispose: DisposalMethod::Keep,
            ..Frame::default()
        };
        let Some(previous) = &self.previous else {
            frame.width = self.size.0;
            frame.height = self.size.1;
            frame.buffer = Cow::Owned(current.to_vec());
            return frame;
        };
        let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
        for (i, (a, b)) in current.iter().zip(previous).enumerate() {
            if a != b {
                let (x, y) = (i % w, i / w);
                x0 = x0.min(x);
                x1 = x1.max(x + 1);
                y0 = y0.min(y);
                y1 = y1.max(y + 1);
            }
        }
        if x0 >= x1 {
            (x0, y0, x1, y1) = (0, 0, 1, 1);
        }
        let mut buffer = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            let row = y * w;
            for x in x0..x1 {
                let (a, b) = (current[row + x], previous[row + x]);
                buffer.push(if a == b { TRANSPARENT } else { a });
            }
        }
        frame.left = x0 as u16;
        frame.top = y0 as u16;
        frame.width = (x1 - x0) as u16;
        frame.height = (y1 - y0) as u16;
        frame.transparent = Some(TRANSPARENT);
        frame.buffer = Cow::Owned(buffer);
        frame
    }

    /// The GIF's bytes.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.encoder
            .into_inner()
            .map_err(|e| format!("GIF encoding failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_colour_is_within_half_a_cube_step_and_common_ones_are_exact() {
        // A sample: 100 pixels of an off-cube blue, 10 of an off-cube red (too rare to keep).
        let blue = [31u8, 119, 180, 255];
        let red = [214u8, 39, 40, 255];
        let sample: Vec<u8> = (0..110)
            .flat_map(|i| if i < 100 { blue } else { red })
            .collect();
        let palette = Palette::learn(&sample);
        let rgb = palette.rgb();
        let colour = |i: u8| &rgb[3 * usize::from(i)..3 * usize::from(i) + 3];
        assert_eq!(colour(palette.index(&blue)), &blue[..3]);
        assert_ne!(palette.index(&blue), TRANSPARENT);
        // Every value of every channel (the others fixed) lands within MAX_ERROR.
        for v in 0..=255u8 {
            for c in 0..3 {
                let mut p = [128u8, 64, 200, 255];
                p[c] = v;
                let q = colour(palette.index(&p));
                let err = (0..3).map(|k| p[k].abs_diff(q[k])).max().unwrap();
                assert!(err <= MAX_ERROR, "{p:?} → {q:?}");
            }
        }
        assert_eq!(MAX_ERROR, 25);
        let q = colour(palette.index(&red));
        assert!((0..3).all(|k| red[k].abs_diff(q[k]) <= MAX_ERROR));
    }
}
