//! The figure pipeline on arbitrary values — finite, subnormal (5e-324), huge, and (when the
//! input asks) NaN and ±∞, which break a line: axis ranges and ticks on linear and log axes, the
//! number formats of labels, and the SVG of a figure of panels, series, bands, reference levels
//! and heatmaps made of those values (stacked and as the app's 2×2 grid, on the data's axis
//! ranges or pinned ones as an animation's frames are), and the series CSV.
//!
//! `DLN_FUZZ_MODERATE=1` keeps every magnitude within [1e-100, 1e100] (or 0): with the known
//! underflow of a log axis's padded range (a value near 5e-324, or a range spanning ~600
//! decades, pads to 0 and the tick loop starts at exponent i32::MIN) nearly every input is a
//! finding; this mode looks past it for others.
#![no_main]

use std::sync::OnceLock;

use dln_explorer::figure::csv::figure_csv;
use dln_explorer::figure::panel::{
    Axis, Cell, ColourScale, Figure, Heatmap, Panel, Reference, Scale, Series, Style,
};
use dln_explorer::figure::{slide, svg};
use dln_explorer::figure::ticks;
use dln_explorer::model::Config;
use dln_explorer::model::format;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// One value: mostly finite (normal, subnormal, extreme, round), non-finite only if allowed.
fn value(u: &mut Unstructured, non_finite: bool) -> Result<f64> {
    let sign = if u.arbitrary::<bool>()? { -1.0 } else { 1.0 };
    let v = match u.int_in_range(0u8..=7)? {
        0 => f64::from_bits(u.arbitrary::<u64>()?),
        // Subnormal: 5e-324 ..= 2.2e-308.
        1 => sign * f64::from_bits(u.int_in_range(1u64..=(1 << 52) - 1)?),
        2 => {
            let specials = [
                5e-324,
                f64::MIN_POSITIVE,
                f64::MAX,
                f64::EPSILON,
                0.0,
                1.0,
                1e-300,
                1e300,
            ];
            sign * specials[u.choose_index(specials.len())?]
        }
        3 => sign * f64::from(u.int_in_range(0u16..=1000)?),
        4 => {
            let m = f64::from(u.int_in_range(1u16..=999)?) / 100.0;
            sign * m * 10f64.powi(u.int_in_range(-330..=310)?)
        }
        _ => u.arbitrary::<f64>()?,
    };
    let v = if v.is_finite() || non_finite {
        v
    } else {
        // The same bits with the exponent pulled back into the finite range.
        f64::from_bits(v.to_bits() & !(1u64 << 62))
    };
    Ok(if moderate() && v.is_finite() && v != 0.0 {
        v.signum() * v.abs().clamp(1e-100, 1e100)
    } else {
        v
    })
}

fn moderate() -> bool {
    static MODERATE: OnceLock<bool> = OnceLock::new();
    *MODERATE.get_or_init(|| std::env::var_os("DLN_FUZZ_MODERATE").is_some())
}

fn values(u: &mut Unstructured, non_finite: bool, max: usize) -> Result<Vec<f64>> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| value(u, non_finite)).collect()
}

fn text(u: &mut Unstructured) -> Result<String> {
    let s: &str = u.arbitrary()?;
    Ok(s.chars().take(40).collect())
}

fn axis(u: &mut Unstructured) -> Result<Axis> {
    let axis = if u.arbitrary()? {
        Axis::log(text(u)?)
    } else {
        Axis::linear(text(u)?)
    };
    Ok(match u.arbitrary()? {
        true => axis.including(value(u, true)?, value(u, true)?),
        false => axis,
    })
}

fn colour(u: &mut Unstructured) -> Result<[u8; 3]> {
    Ok([u.arbitrary()?, u.arbitrary()?, u.arbitrary()?])
}

fn series(u: &mut Unstructured, nf: bool) -> Result<Series> {
    let styles = [
        Style::Line,
        Style::Dashed,
        Style::LineDots,
        Style::Dots,
        Style::Rings,
        Style::Hollow,
    ];
    let style = styles[u.choose_index(styles.len())?];
    let n = u.int_in_range(0..=64)?;
    let points = (0..n)
        .map(|_| Ok([value(u, nf)?, value(u, nf)?]))
        .collect::<Result<Vec<_>>>()?;
    let mut s = Series::new(text(u)?, colour(u)?, style, points);
    if u.arbitrary()? {
        s.band = (s.points.iter())
            .map(|p| Ok([p[0], value(u, nf)?, value(u, nf)?]))
            .collect::<Result<Vec<_>>>()?;
    }
    if u.arbitrary()? {
        s = s.grouped(text(u)?);
    }
    Ok(s)
}

/// Ascending, distinct centres (what the phase diagram's grid is).
fn centres(u: &mut Unstructured, nf: bool) -> Result<Vec<f64>> {
    let mut v = values(u, nf, 6)?;
    v.retain(|x| !x.is_nan());
    v.sort_by(f64::total_cmp);
    v.dedup();
    if v.is_empty() {
        v.push(1.0);
    }
    Ok(v)
}

fn heatmap(u: &mut Unstructured, nf: bool) -> Result<Heatmap> {
    let xs = centres(u, nf)?;
    let ys = centres(u, nf)?;
    let mut cells = Vec::with_capacity(ys.len());
    for _ in &ys {
        let row = (0..xs.len())
            .map(|_| {
                Ok(match u.int_in_range(0u8..=5)? {
                    0 => Cell::Diverged,
                    1 => Cell::NotConverged,
                    2 => Cell::Empty,
                    _ => Cell::Value(value(u, nf)?),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        cells.push(row);
    }
    let scale = if u.arbitrary()? {
        ColourScale::Diverging {
            centre: value(u, nf)?,
            decades: value(u, nf)?,
        }
    } else {
        ColourScale::Sequential {
            lo: value(u, nf)?,
            hi: value(u, nf)?,
        }
    };
    Ok(Heatmap {
        xs,
        ys,
        cells,
        scale,
        label: text(u)?,
    })
}

fn panel(u: &mut Unstructured, nf: bool) -> Result<Panel> {
    let (x, y) = (axis(u)?, axis(u)?);
    let n = u.int_in_range(0..=4)?;
    let series = (0..n).map(|_| series(u, nf)).collect::<Result<Vec<_>>>()?;
    let n = u.int_in_range(0..=3)?;
    let references = (0..n)
        .map(|_| {
            Ok(Reference {
                name: text(u)?,
                value: value(u, nf)?,
                color: colour(u)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let heatmap = if u.ratio(1, 4)? {
        Some(heatmap(u, nf)?)
    } else {
        None
    };
    Ok(Panel {
        title: text(u)?,
        x,
        y,
        series,
        references,
        height: f64::from(u.int_in_range(40u16..=400)?),
        heatmap,
    })
}

/// The axis ranges a panel's data gives (what an animation pins every frame to).
fn bounds(p: &Panel) -> svg::Bounds {
    let xs = p.series.iter().flat_map(|s| s.points.iter().map(|q| q[0]));
    let ys = (p.series.iter())
        .flat_map(|s| s.points.iter().map(|q| q[1]))
        .chain(p.references.iter().map(|r| r.value));
    [
        ticks::range(xs, p.x.scale),
        ticks::range(ys, p.y.scale),
    ]
}

fn run(u: &mut Unstructured) -> Result<()> {
    let nf = u.ratio(1, 4)?;
    // Ticks of the range of raw values, on both scales.
    let raw = values(u, nf, 16)?;
    for scale in [Scale::Linear, Scale::Log] {
        let (lo, hi) = ticks::range(raw.iter().copied(), scale);
        let _ = ticks::ticks(lo, hi, scale);
    }
    for &v in &raw {
        let _ = (format::num(v), format::exact(v), format::short(v), format::si(v));
        let _ = format::round3(v);
    }
    // A figure of those values.
    let n = u.int_in_range(1..=4)?;
    let panels = (0..n).map(|_| panel(u, nf)).collect::<Result<Vec<_>>>()?;
    let fig = Figure {
        title: text(u)?,
        subtitle: text(u)?,
        panels,
    };
    let _ = svg::render(&fig);
    let cell_height = match u.arbitrary()? {
        true => Some(value(u, nf)?),
        false => None,
    };
    let columns = match u.arbitrary()? {
        true => Some(u.int_in_range(0..=5)?),
        false => None,
    };
    let pinned = svg::Options {
        grid: u.arbitrary()?,
        bounds: fig.panels.iter().map(|p| Some(bounds(p))).collect(),
        counter: Some(text(u)?),
        height: None,
        cell_height,
        columns,
    };
    let _ = svg::height(&fig, &pinned);
    let _ = svg::render_with(&fig, &pinned);
    let _ = slide::render(&fig, &text(u)?);
    let _ = figure_csv(&Config::default(), value(u, nf)?, &fig);
    Ok(())
}

fuzz_target!(|bytes: &[u8]| {
    let _ = run(&mut Unstructured::new(bytes));
});
