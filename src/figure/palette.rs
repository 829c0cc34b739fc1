//! The colours of the methods and references, shared by the GUI and every export.

use crate::model::MethodKind;

/// The colour of a method as `[r, g, b]`: GD blue, SGD orange-red, SGF green, GF grey,
/// label-noise GD brown, isotropic-noise GD olive.
pub fn color(method: MethodKind) -> [u8; 3] {
    match method {
        MethodKind::Gd => [31, 119, 180],
        MethodKind::Sgd => [230, 85, 13],
        MethodKind::Sgf => [44, 160, 44],
        MethodKind::Gf => [127, 127, 127],
        MethodKind::LabelNoise => [140, 86, 75],
        MethodKind::IsoNoise => [160, 160, 20],
    }
}

/// The colour of the minimum-ℓ1 (basis pursuit) reference.
pub const L1_REFERENCE: [u8; 3] = [117, 80, 171];
/// The colour of the minimum-ℓ2 reference.
pub const L2_REFERENCE: [u8; 3] = [64, 64, 64];
/// The colour of the ground truth β*.
pub const GROUND_TRUTH: [u8; 3] = [0, 0, 0];

/// The colour of β coordinates off the support of β*.
pub const OFF_SUPPORT: [u8; 3] = [150, 150, 150];
/// The colour of the predicted-limit markers.
pub const PREDICTED: [u8; 3] = [200, 40, 160];

/// Linear interpolation between colour anchors at `t ∈ [0, 1]` (clamped).
fn ramp(anchors: &[[u8; 3]], t: f64) -> [u8; 3] {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let x = t * (anchors.len() - 1) as f64;
    let (i, f) = ((x.floor() as usize).min(anchors.len() - 2), x - x.floor());
    let f = if x >= (anchors.len() - 1) as f64 {
        1.0
    } else {
        f
    };
    std::array::from_fn(|k| {
        let (a, b) = (f64::from(anchors[i][k]), f64::from(anchors[i + 1][k]));
        (a + (b - a) * f).round() as u8
    })
}

/// The diverging map at `t ∈ [−1, 1]`: blue (below the centre, better), white, red (above).
pub fn diverging(t: f64) -> [u8; 3] {
    const ANCHORS: [[u8; 3]; 5] = [
        [33, 102, 172],
        [146, 197, 222],
        [247, 247, 247],
        [244, 165, 130],
        [178, 24, 43],
    ];
    ramp(&ANCHORS, 0.5 * (t + 1.0))
}

/// The sequential map at `t ∈ [0, 1]`: light yellow to dark blue.
pub fn sequential(t: f64) -> [u8; 3] {
    const ANCHORS: [[u8; 3]; 5] = [
        [255, 255, 204],
        [161, 218, 180],
        [65, 182, 196],
        [44, 127, 184],
        [37, 52, 148],
    ];
    ramp(&ANCHORS, t)
}

/// The fill of a heatmap cell shown as a status (diverged, not converged), not a value.
pub const STATUS_CELL: [u8; 3] = [90, 90, 90];

/// `#rrggbb` for SVG and HTML.
pub fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}
