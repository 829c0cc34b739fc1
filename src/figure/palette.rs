//! The colours of the methods and references, shared by the GUI and every export: Okabe–Ito
//! hues for the methods, chosen to stay apart under protanopia, deuteranopia and tritanopia
//! (`tests/palette.rs` measures them; docs/architecture.md states the palette).

use crate::model::MethodKind;

/// The colour of a method as `[r, g, b]` (Okabe–Ito): GD blue, SGD vermillion, SGF bluish green,
/// GF neutral grey (the γ → 0 reference flow), label-noise GD sky blue, isotropic-noise GD orange,
/// then, each chosen by a search of the RGB grid for the colour farthest (ΔE00) from the ones before
/// and the references in every vision and theme: momentum GD brown, n-SAM light green, 1-SAM
/// periwinkle.
pub fn color(method: MethodKind) -> [u8; 3] {
    match method {
        MethodKind::Gd => [0, 114, 178],
        MethodKind::Sgd => [213, 94, 0],
        MethodKind::Sgf => [0, 158, 115],
        MethodKind::Gf => [96, 96, 96],
        MethodKind::LabelNoise => [86, 180, 233],
        MethodKind::IsoNoise => [230, 159, 0],
        MethodKind::Momentum => [135, 90, 60],
        MethodKind::NSam => [135, 255, 120],
        MethodKind::OneSam => [135, 120, 255],
    }
}

/// The light grey of the ℓ2 reference and of the coordinates off the support.
const LIGHT_GREY: [u8; 3] = [160, 160, 160];

/// The colour of the minimum-ℓ1 (basis pursuit) reference: indigo.
pub const L1_REFERENCE: [u8; 3] = [51, 34, 136];
/// The colour of the minimum-ℓ2 reference: light grey.
pub const L2_REFERENCE: [u8; 3] = LIGHT_GREY;
/// The colour of the ground truth β*: black.
pub const GROUND_TRUTH: [u8; 3] = [0, 0, 0];

/// The colour of β coordinates off the support of β*: light grey.
pub const OFF_SUPPORT: [u8; 3] = LIGHT_GREY;
/// The colour of the predicted limits, plateaus and jumps: magenta, apart from every method and
/// join-order colour.
pub const PREDICTED: [u8; 3] = [195, 40, 135];

/// Colours of the coordinates by the order in which they join (Okabe–Ito, then repeated).
const ORDER: [[u8; 3]; 8] = [
    [0, 114, 178],
    [213, 94, 0],
    [0, 158, 115],
    [204, 121, 167],
    [230, 159, 0],
    [86, 180, 233],
    [120, 80, 40],
    [0, 0, 0],
];

/// The colour of the k-th coordinate to join.
pub fn join_order(k: usize) -> [u8; 3] {
    ORDER[k % ORDER.len()]
}

/// The colour drawn on a dark background: colours whose luma (Rec. 709 weights) is below 30 % (black
/// β*, the indigo ℓ1 reference) are mixed three quarters of the way to white; others are kept.
pub fn on_dark(rgb: [u8; 3]) -> [u8; 3] {
    let [r, g, b] = rgb.map(f64::from);
    if (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0 >= 0.3 {
        return rgb;
    }
    rgb.map(|c| c + ((255 - c) as f64 * 0.75).round() as u8)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn luma([r, g, b]: [u8; 3]) -> f64 {
        (0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b)) / 255.0
    }

    #[test]
    fn every_line_colour_is_light_enough_on_a_dark_background() {
        let mut all: Vec<[u8; 3]> = MethodKind::ALL.into_iter().map(color).collect();
        all.extend([
            L1_REFERENCE,
            L2_REFERENCE,
            GROUND_TRUTH,
            OFF_SUPPORT,
            PREDICTED,
        ]);
        all.extend((0..ORDER.len()).map(join_order));
        for c in all {
            assert!(luma(on_dark(c)) >= 0.3, "{c:?} → {:?}", on_dark(c));
        }
        assert_eq!(on_dark(GROUND_TRUTH), [191, 191, 191]);
        assert_eq!(on_dark(color(MethodKind::Gd)), color(MethodKind::Gd));
    }
}
