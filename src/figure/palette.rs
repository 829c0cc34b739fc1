//! The colours of the methods and references, shared by the GUI and every export.

use crate::model::MethodKind;

/// The colour of a method as `[r, g, b]`: GD blue, SGD orange-red, SGF green, GF grey.
pub fn color(method: MethodKind) -> [u8; 3] {
    match method {
        MethodKind::Gd => [31, 119, 180],
        MethodKind::Sgd => [230, 85, 13],
        MethodKind::Sgf => [44, 160, 44],
        MethodKind::Gf => [127, 127, 127],
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

/// `#rrggbb` for SVG and HTML.
pub fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}
