//! The palette stays readable with colour-vision deficiencies: every pair of method colours, and
//! every reference against every method, stays at least [`FLOOR`] apart in CIEDE2000 under normal
//! vision and simulated protanopia, deuteranopia and tritanopia, on the white background (light
//! theme, every export) and on the dark theme's, where `palette::on_dark` lightens dark colours.
//!
//! Simulation: Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for
//! Simulation of Color Vision Deficiency", IEEE TVCG 15(6), 1291–1298, severity 1.0, applied to
//! linear sRGB. Distance: CIEDE2000 in CIELAB (D65), as in Sharma, Wu & Dalal (2005), "The
//! CIEDE2000 Color-Difference Formula: Implementation Notes, Supplementary Test Data, and
//! Mathematical Observations", Color Res. Appl. 30(1), 21–30, whose test pairs check it here.

use dln_explorer::figure::palette::{
    self, GROUND_TRUTH, L1_REFERENCE, L2_REFERENCE, OFF_SUPPORT, PREDICTED,
};
use dln_explorer::model::MethodKind;

/// The least CIEDE2000 distance between two line colours. A just-noticeable difference is about
/// 1 ΔE00 for large patches and 2–3 in casual viewing; thin plot lines (1.2–1.6 px) subtend a
/// few arc-minutes, where the difference needed to tell colours apart grows several-fold (Stone,
/// Szafir & Setlur 2014, "An Engineering Model for Color Difference as a Function of Size").
/// 10 is about four times the casual-viewing threshold: two lines read as different colours,
/// not as one colour twice. It leaves a margin under the 12 that Okabe–Ito's closest pairs keep
/// (blue or sky blue against bluish green under tritanopia, vermillion against orange under
/// deuteranopia), about the most any six of its hues keep under all four visions at once.
const FLOOR: f64 = 10.0;

/// The least CIEDE2000 distance of a line from the background it is drawn on: twice [`FLOOR`],
/// since a line must first be seen at all (light grey on white measures 23).
const BACKGROUND_FLOOR: f64 = 20.0;

/// GD against SGD, the pair every scene compares: far apart under every vision.
const GD_SGD_FLOOR: f64 = 40.0;

/// A 3 × 3 matrix acting on linear RGB.
type Matrix = [[f64; 3]; 3];

/// Normal vision: the identity.
const NORMAL: Matrix = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
/// Machado et al. (2009), protanopia, severity 1.0.
const PROTANOPIA: Matrix = [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
];
/// Machado et al. (2009), deuteranopia, severity 1.0.
const DEUTERANOPIA: Matrix = [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.011820, 0.042940, 0.968881],
];
/// Machado et al. (2009), tritanopia, severity 1.0.
const TRITANOPIA: Matrix = [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.303900],
];

/// The four visions checked.
const VISIONS: [(&str, Matrix); 4] = [
    ("normal", NORMAL),
    ("protanopia", PROTANOPIA),
    ("deuteranopia", DEUTERANOPIA),
    ("tritanopia", TRITANOPIA),
];

/// The backgrounds: white (light theme and exports); egui's dark plot area and dark panels.
const WHITE: [u8; 3] = [255, 255, 255];
const DARK_PLOT: [u8; 3] = [10, 10, 10];
const DARK_PANEL: [u8; 3] = [27, 27, 27];

/// A theme: its name, how a line colour is drawn on it and its backgrounds.
type Theme = (&'static str, fn([u8; 3]) -> [u8; 3], &'static [[u8; 3]]);

/// The light and the dark theme.
const THEMES: [Theme; 2] = [
    ("light", |c| c, &[WHITE]),
    ("dark", palette::on_dark, &[DARK_PLOT, DARK_PANEL]),
];

/// sRGB channel in 0..=255 → linear light in [0, 1] (IEC 61966-2-1).
fn linear(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// CIELAB (D65 white) of a linear-sRGB colour, clamped to the displayable range first.
fn lab_of_linear(rgb: [f64; 3]) -> [f64; 3] {
    let [r, g, b] = rgb.map(|c| c.clamp(0.0, 1.0));
    let x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    let z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// CIELAB of an sRGB colour as seen with a vision's matrix.
fn seen(rgb: [u8; 3], m: &Matrix) -> [f64; 3] {
    let v = rgb.map(linear);
    lab_of_linear(std::array::from_fn(|i| {
        (0..3).map(|j| m[i][j] * v[j]).sum::<f64>()
    }))
}

/// The CIEDE2000 colour difference (k_L = k_C = k_H = 1), following Sharma et al. (2005).
fn ciede2000(p: [f64; 3], q: [f64; 3]) -> f64 {
    let (rad, deg) = (f64::to_radians, f64::to_degrees);
    let c_bar = 0.5 * (p[1].hypot(p[2]) + q[1].hypot(q[2]));
    let g = 0.5 * (1.0 - (c_bar.powi(7) / (c_bar.powi(7) + 25f64.powi(7))).sqrt());
    // a' stretched by 1 + G; C' and h' (degrees in [0, 360), 0 for a neutral colour).
    let prime = |lab: [f64; 3]| {
        let a = (1.0 + g) * lab[1];
        let c = a.hypot(lab[2]);
        let h = if c == 0.0 {
            0.0
        } else {
            deg(lab[2].atan2(a)).rem_euclid(360.0)
        };
        (lab[0], c, h)
    };
    let ((l1, c1, h1), (l2, c2, h2)) = (prime(p), prime(q));
    let neutral = c1 * c2 == 0.0;
    let dh = match h2 - h1 {
        _ if neutral => 0.0,
        d if d > 180.0 => d - 360.0,
        d if d < -180.0 => d + 360.0,
        d => d,
    };
    let (dl, dc) = (l2 - l1, c2 - c1);
    let big_dh = 2.0 * (c1 * c2).sqrt() * rad(0.5 * dh).sin();
    let (l_bar, c_bar) = (0.5 * (l1 + l2), 0.5 * (c1 + c2));
    let h_bar = if neutral {
        h1 + h2
    } else if (h1 - h2).abs() <= 180.0 {
        0.5 * (h1 + h2)
    } else if h1 + h2 < 360.0 {
        0.5 * (h1 + h2 + 360.0)
    } else {
        0.5 * (h1 + h2 - 360.0)
    };
    let t = 1.0 - 0.17 * rad(h_bar - 30.0).cos()
        + 0.24 * rad(2.0 * h_bar).cos()
        + 0.32 * rad(3.0 * h_bar + 6.0).cos()
        - 0.20 * rad(4.0 * h_bar - 63.0).cos();
    let d_theta = 30.0 * (-((h_bar - 275.0) / 25.0).powi(2)).exp();
    let r_c = 2.0 * (c_bar.powi(7) / (c_bar.powi(7) + 25f64.powi(7))).sqrt();
    let l50 = (l_bar - 50.0).powi(2);
    let s_l = 1.0 + 0.015 * l50 / (20.0 + l50).sqrt();
    let s_c = 1.0 + 0.045 * c_bar;
    let s_h = 1.0 + 0.015 * c_bar * t;
    let r_t = -rad(2.0 * d_theta).sin() * r_c;
    let (tl, tc, th) = (dl / s_l, dc / s_c, big_dh / s_h);
    (tl * tl + tc * tc + th * th + r_t * tc * th).sqrt()
}

/// ΔE00 between two sRGB colours as seen with a vision's matrix.
fn delta(a: [u8; 3], b: [u8; 3], m: &Matrix) -> f64 {
    ciede2000(seen(a, m), seen(b, m))
}

/// The smallest ΔE00 over the pairs under one vision and theme, with the pair's names.
fn closest<'a>(
    pairs: &[(&'a str, [u8; 3], &'a str, [u8; 3])],
    m: &Matrix,
    tone: fn([u8; 3]) -> [u8; 3],
) -> (f64, &'a str, &'a str) {
    (pairs.iter())
        .map(|(na, a, nb, b)| (delta(tone(*a), tone(*b), m), *na, *nb))
        .fold(
            (f64::INFINITY, "", ""),
            |best, x| {
                if x.0 < best.0 { x } else { best }
            },
        )
}

/// Every method with its colour.
fn methods() -> Vec<(&'static str, [u8; 3])> {
    (MethodKind::ALL.into_iter())
        .map(|k| (k.label(), palette::color(k)))
        .collect()
}

/// Every reference with its colour.
const REFERENCES: [(&str, [u8; 3]); 5] = [
    ("ℓ1", L1_REFERENCE),
    ("ℓ2", L2_REFERENCE),
    ("β*", GROUND_TRUTH),
    ("off-support", OFF_SUPPORT),
    ("predicted", PREDICTED),
];

/// Asserts every pair is at least `floor` apart under every vision and theme; returns the least
/// distance seen.
fn assert_apart(pairs: &[(&str, [u8; 3], &str, [u8; 3])], floor: f64) -> f64 {
    let mut least = f64::INFINITY;
    for (theme, tone, _) in THEMES {
        for (vision, m) in &VISIONS {
            let (d, a, b) = closest(pairs, m, tone);
            eprintln!("{theme} theme, {vision}: closest {a} / {b}, ΔE00 = {d:.2}");
            assert!(
                d >= floor,
                "{theme}, {vision}: {a} / {b} ΔE00 = {d:.2} < {floor}"
            );
            least = least.min(d);
        }
    }
    least
}

#[test]
fn ciede2000_matches_the_published_test_pairs() {
    // Sharma, Wu & Dalal (2005), Table 1: pairs 1, 2, 3, 7, 13, 14, 17, 25 and 34 (chroma,
    // neutral colour, hue mean across 180°, large difference, near-black).
    let pairs = [
        ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
        ([50.0, 3.1571, -77.2803], [50.0, 0.0, -82.7485], 2.8615),
        ([50.0, 2.8361, -74.0200], [50.0, 0.0, -82.7485], 3.4412),
        ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
        ([50.0, 2.49, -0.001], [50.0, -2.49, 0.0009], 7.1792),
        ([50.0, 2.49, -0.001], [50.0, -2.49, 0.0011], 7.2195),
        ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
        (
            [60.2574, -34.0099, 36.2677],
            [60.4626, -34.1751, 39.4387],
            1.2644,
        ),
        (
            [2.0776, 0.0795, -1.1350],
            [0.9033, -0.0636, -0.5514],
            0.9082,
        ),
    ];
    for (p, q, expected) in pairs {
        let (pq, qp) = (ciede2000(p, q), ciede2000(q, p));
        assert!(
            (pq - expected).abs() < 5e-5,
            "{p:?} {q:?}: {pq} ≠ {expected}"
        );
        assert!((pq - qp).abs() < 1e-12, "not symmetric: {pq} {qp}");
    }
}

#[test]
fn the_simulations_keep_white_and_greys_and_lab_has_its_anchors() {
    // sRGB white is L* = 100, a* = b* = 0 under D65; black is 0.
    let white = seen(WHITE, &NORMAL);
    assert!((white[0] - 100.0).abs() < 1e-3 && white[1].abs() < 1e-3 && white[2].abs() < 1e-3);
    assert_eq!(seen([0, 0, 0], &NORMAL), [0.0, 0.0, 0.0]);
    // Mid grey #777777 is L* = 50.03 (linear 0.18447).
    assert!((seen([119, 119, 119], &NORMAL)[0] - 50.03).abs() < 0.01);
    // Each published row sums to 1 (to the paper's six decimals): greys are seen unchanged.
    for (vision, m) in &VISIONS {
        for grey in [WHITE, [160, 160, 160], [96, 96, 96]] {
            let d = ciede2000(seen(grey, m), seen(grey, &NORMAL));
            assert!(d < 0.01, "{vision}: grey {grey:?} moves by {d}");
        }
    }
    // Dichromats confuse pure red and green far more than normal vision does.
    let (red, green) = ([255, 0, 0], [0, 128, 0]);
    let normal = delta(red, green, &NORMAL);
    for m in [&PROTANOPIA, &DEUTERANOPIA] {
        assert!(delta(red, green, m) < 0.5 * normal);
    }
}

#[test]
fn method_colours_stay_apart_in_every_vision_and_theme() {
    let m = methods();
    let mut pairs = Vec::new();
    for (i, (na, a)) in m.iter().enumerate() {
        for (nb, b) in &m[i + 1..] {
            pairs.push((*na, *a, *nb, *b));
        }
    }
    assert_eq!(
        pairs.len(),
        MethodKind::ALL.len() * (MethodKind::ALL.len() - 1) / 2
    );
    let least = assert_apart(&pairs, FLOOR);
    // Measured: 11.88 (1-SAM, whose colour a search placed farthest from the others).
    assert!((least - 11.88).abs() < 0.01, "least {least}");
    let (gd, sgd) = (
        palette::color(MethodKind::Gd),
        palette::color(MethodKind::Sgd),
    );
    let gd_sgd = [(MethodKind::Gd.label(), gd, MethodKind::Sgd.label(), sgd)];
    assert!(assert_apart(&gd_sgd, GD_SGD_FLOOR) > 49.0);
}

#[test]
fn references_stay_apart_from_the_methods_and_the_join_colours() {
    let mut pairs = Vec::new();
    for (nr, r) in REFERENCES {
        for (nm, c) in methods() {
            pairs.push((nr, r, nm, c));
        }
    }
    // The two interpolators share the error plot as dashed levels.
    pairs.push(("ℓ1", L1_REFERENCE, "ℓ2", L2_REFERENCE));
    // On the τ axis the predicted plateaus and jumps cross the coordinates' join colours.
    for k in 0..8 {
        pairs.push((
            "predicted",
            PREDICTED,
            "a join colour",
            palette::join_order(k),
        ));
    }
    // Measured: 10.53 (predicted / GD under protanopia).
    let least = assert_apart(&pairs, FLOOR);
    assert!((least - 10.53).abs() < 0.01, "least {least}");
}

#[test]
fn every_line_colour_stands_off_its_backgrounds() {
    let mut all = methods();
    all.extend(REFERENCES);
    all.extend((0..8).map(|k| ("a join colour", palette::join_order(k))));
    for (theme, tone, backgrounds) in THEMES {
        for (vision, m) in &VISIONS {
            for (name, c) in &all {
                for bg in backgrounds {
                    let d = delta(tone(*c), *bg, m);
                    assert!(
                        d >= BACKGROUND_FLOOR,
                        "{theme}, {vision}: {name} {c:?} on {bg:?}: ΔE00 = {d:.2}"
                    );
                }
            }
        }
    }
}
