//! Axis ranges and tick marks shared by the file renderer: padded data ranges, 1-2-5 steps on
//! linear axes, decades with minor ticks on log axes.

use super::panel::Scale;

/// The range of `values` (valid for `scale`), padded by 4%, never empty.
pub fn range(values: impl Iterator<Item = f64>, scale: Scale) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite() && (scale == Scale::Linear || *v > 0.0)) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return match scale {
            Scale::Linear => (0.0, 1.0),
            Scale::Log => (0.1, 10.0),
        };
    }
    match scale {
        Scale::Linear => {
            if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
                let w = (lo.abs() * 0.1).max(1.0);
                return (lo - w, hi + w);
            }
            let pad = 0.04 * (hi - lo).min(f64::MAX);
            ((lo - pad).max(f64::MIN), (hi + pad).min(f64::MAX))
        }
        Scale::Log => {
            let (a, b) = (lo.log10(), hi.log10());
            let pad = if b - a < 1e-9 { 0.5 } else { 0.04 * (b - a) };
            // Kept inside the positive doubles: 5e-324 padded down must not become 0.
            let smallest = f64::from_bits(1);
            (
                10f64.powf(a - pad).clamp(smallest, lo),
                10f64.powf(b + pad).clamp(hi, f64::MAX),
            )
        }
    }
}

/// A tick: position, and its label if it has one.
pub type Tick = (f64, Option<String>);

/// Ticks of a range: 1-2-5 steps on linear axes; decades (and minor ticks) on log axes.
pub fn ticks(lo: f64, hi: f64, scale: Scale) -> Vec<Tick> {
    // Only a finite, non-empty range (positive on a log axis) has ticks.
    if !(lo.is_finite() && hi.is_finite() && lo < hi) || (scale == Scale::Log && lo <= 0.0) {
        return Vec::new();
    }
    match scale {
        Scale::Linear => {
            // The smallest 1-2-5 step giving at most 8 intervals.
            let raw = (hi - lo) / 8.0;
            let mag = 10f64.powf(raw.log10().floor());
            let step = [1.0, 2.0, 5.0, 10.0]
                .into_iter()
                .map(|m| m * mag)
                .find(|s| *s >= raw * 0.999)
                .unwrap_or(10.0 * mag);
            let (first, last) = ((lo / step).ceil(), (hi / step).floor());
            // A range too narrow for its magnitude (or subnormal) has no round steps.
            if !(step > 0.0 && first.is_finite() && last.is_finite() && last - first <= 16.0) {
                return Vec::new();
            }
            let decimals = (-step.log10().floor()).clamp(0.0, 20.0) as usize;
            let (first, last) = (first as i64, last as i64);
            (first..=last)
                .map(|k| {
                    let v = if k == 0 { 0.0 } else { k as f64 * step };
                    (v, Some(format!("{v:.decimals$}").replace('-', "−")))
                })
                .collect()
        }
        // Less than a factor of two in view: round values, as on a linear axis.
        Scale::Log if hi < 2.0 * lo => ticks(lo, hi, Scale::Linear),
        Scale::Log => {
            let (a, b) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
            let decades = (b - a + 1).max(0);
            let every = ((decades as f64 / 7.0).ceil() as i32).max(1);
            let plain = a >= -3 && b <= 4;
            let span = hi.log10() - lo.log10();
            let mut out: Vec<Tick> = Vec::new();
            // Doubles span 10⁻³²⁴ to 10³⁰⁸: at most 634 decades.
            let (e_lo, e_hi) = (lo.log10().floor().max(-324.0), hi.log10().ceil().min(308.0));
            for e in (e_lo as i32)..=(e_hi as i32) {
                for m in 1..=9 {
                    let v = m as f64 * 10f64.powi(e);
                    if v < lo || v > hi {
                        continue;
                    }
                    let label = if m == 1 {
                        (e.rem_euclid(every) == 0).then(|| decade_label(e, plain))
                    } else if span < 1.0 || (span < 2.0 && (m == 2 || m == 5)) {
                        Some(if plain {
                            plain_number(v)
                        } else {
                            format!("{m}·{}", decade_label(e, false))
                        })
                    } else {
                        None
                    };
                    if m == 1 || decades <= 6 {
                        out.push((v, label));
                    }
                }
            }
            out
        }
    }
}

/// `10ⁿ` with superscript digits, or the plain number when `plain`.
fn decade_label(e: i32, plain: bool) -> String {
    if plain {
        return plain_number(10f64.powi(e));
    }
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::from("10");
    if e < 0 {
        s.push('⁻');
    }
    for c in e.unsigned_abs().to_string().chars() {
        s.push(SUP[c.to_digit(10).unwrap_or(0) as usize]);
    }
    s
}

/// A short decimal form of a 1-2-5 tick value such as `0.02` or `500`.
fn plain_number(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(lo: f64, hi: f64, scale: Scale) -> Vec<String> {
        ticks(lo, hi, scale)
            .into_iter()
            .filter_map(|t| t.1)
            .collect()
    }

    #[test]
    fn log_ticks_label_decades_and_one_two_five_on_short_ranges() {
        assert_eq!(labels(0.008, 2.5, Scale::Log), ["0.01", "0.1", "1"]);
        assert_eq!(
            labels(0.008, 0.6, Scale::Log),
            ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5"]
        );
        assert_eq!(labels(0.35, 0.75, Scale::Log), ["0.4", "0.5", "0.6", "0.7"]);
        // A narrow log range (α_t/α near 1) still gets several round labels.
        assert_eq!(
            labels(0.962, 1.001, Scale::Log),
            [
                "0.965", "0.970", "0.975", "0.980", "0.985", "0.990", "0.995", "1.000"
            ]
        );
        let wide = labels(1e-21, 10.0, Scale::Log);
        assert!(wide.len() <= 8, "{wide:?}");
        assert!(wide.contains(&"10⁻²⁰".to_string()), "{wide:?}");
    }

    /// The smallest double padded on a log axis once made the tick loop start at `i32::MIN`.
    #[test]
    fn subnormal_and_degenerate_ranges_give_bounded_ticks() {
        let tiny = f64::from_bits(1);
        let (lo, hi) = range([tiny, 1.0].into_iter(), Scale::Log);
        assert!(lo > 0.0 && hi >= 1.0, "{lo} {hi}");
        let t = ticks(lo, hi, Scale::Log);
        assert!(!t.is_empty() && t.len() <= 700, "{}", t.len());
        let (lo, hi) = range([0.0, tiny].into_iter(), Scale::Linear);
        assert!(ticks(lo, hi, Scale::Linear).len() <= 17);
        assert!(ticks(0.0, f64::MAX, Scale::Linear).len() <= 17);
        assert!(ticks(f64::MIN, f64::MAX, Scale::Linear).len() <= 17);
        assert!(ticks(1.0, f64::INFINITY, Scale::Log).is_empty());
        assert!(ticks(f64::NAN, 1.0, Scale::Linear).is_empty());
    }

    #[test]
    fn linear_ticks_are_round_numbers() {
        assert_eq!(
            labels(-0.13, 1.07, Scale::Linear),
            ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
        );
        assert_eq!(
            labels(-0.7, 0.7, Scale::Linear),
            ["−0.6", "−0.4", "−0.2", "0.0", "0.2", "0.4", "0.6"]
        );
    }
}
