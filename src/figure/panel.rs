//! The renderer-agnostic figure: panels of named series on linear or log axes, with bands and
//! reference levels. The figure builders produce it; the SVG writer and the live plots draw it.

/// How values map to an axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Linear.
    Linear,
    /// Base-10 logarithmic; values `≤ 0` are not drawn.
    Log,
}

/// An axis: its label and scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Label drawn along the axis.
    pub label: String,
    /// Linear or logarithmic.
    pub scale: Scale,
    /// A range the axis always shows, whatever the data (`None`: the data's alone).
    pub include: Option<[f64; 2]>,
}

impl Axis {
    /// A linear axis.
    pub fn linear(label: impl Into<String>) -> Axis {
        Axis {
            label: label.into(),
            scale: Scale::Linear,
            include: None,
        }
    }

    /// A log10 axis.
    pub fn log(label: impl Into<String>) -> Axis {
        Axis {
            label: label.into(),
            scale: Scale::Log,
            include: None,
        }
    }

    /// The same axis, always showing `lo..=hi`.
    pub fn including(self, lo: f64, hi: f64) -> Axis {
        Axis {
            include: Some([lo, hi]),
            ..self
        }
    }
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A solid line.
    Line,
    /// A dashed line.
    Dashed,
    /// A solid line with a dot at every point.
    LineDots,
    /// Filled dots only.
    Dots,
    /// Open rings only.
    Rings,
    /// Rings filled with the background, over a line's dots: points that are not what they
    /// claim to be (a sweep's runs that did not converge).
    Hollow,
}

/// One named series of `(x, y)` points, optionally with a band `(x, lower, upper)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Colour `[r, g, b]`.
    pub color: [u8; 3],
    /// How it is drawn.
    pub style: Style,
    /// The points; non-finite (or, on log axes, non-positive) ones break the line.
    pub points: Vec<[f64; 2]>,
    /// A shaded band `(x, lower, upper)` behind the line; empty for none.
    pub band: Vec<[f64; 3]>,
    /// The legend entry this series shares with others of the same group (one entry per
    /// group, e.g. every off-support coordinate); `None`: an entry of its own name.
    pub group: Option<String>,
}

impl Series {
    /// A series without a band.
    pub fn new(
        name: impl Into<String>,
        color: [u8; 3],
        style: Style,
        points: Vec<[f64; 2]>,
    ) -> Series {
        Series {
            name: name.into(),
            color,
            style,
            points,
            band: Vec::new(),
            group: None,
        }
    }

    /// The series listed in the legend under `group`, once for all series of that group.
    pub fn grouped(mut self, group: impl Into<String>) -> Series {
        self.group = Some(group.into());
        self
    }

    /// The legend text of the series: its group, else its name.
    pub fn legend_name(&self) -> &str {
        self.group.as_deref().unwrap_or(&self.name)
    }
}

/// A horizontal dashed reference level.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// Legend text.
    pub name: String,
    /// The y value.
    pub value: f64,
    /// Colour `[r, g, b]`.
    pub color: [u8; 3],
}

/// One plot: axes, series and reference levels.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Title above the plot.
    pub title: String,
    /// The x axis.
    pub x: Axis,
    /// The y axis.
    pub y: Axis,
    /// The series, drawn in order (later on top).
    pub series: Vec<Series>,
    /// Horizontal reference levels.
    pub references: Vec<Reference>,
    /// Height of the plotting area in pixels.
    pub height: f64,
    /// A grid of coloured cells behind the series (the phase diagram), if any.
    pub heatmap: Option<Heatmap>,
}

/// One cell of a heatmap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// A value on the colour scale.
    Value(f64),
    /// Most runs of the cell diverged: shown as such, never as a colour of the scale.
    Diverged,
    /// Most runs of the cell oscillated without converging.
    NotConverged,
    /// No run.
    Empty,
}

/// How heatmap values map to colours (both on log10 of the value).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ColourScale {
    /// Blue below `centre`, white at it, red above, saturating `decades` away.
    Diverging {
        /// The neutral value (1 for a ratio).
        centre: f64,
        /// Decades from the centre to full colour.
        decades: f64,
    },
    /// Light (small) to dark (large) from `lo` to `hi`.
    Sequential {
        /// The lightest value.
        lo: f64,
        /// The darkest value.
        hi: f64,
    },
}

/// Most decades ticked on a colour bar.
pub const MAX_DECADES: usize = 12;

/// A grid of cells on the panel's axes: column `c` centred at `xs[c]`, row `r` at `ys[r]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// Column centres, ascending.
    pub xs: Vec<f64>,
    /// Row centres, ascending.
    pub ys: Vec<f64>,
    /// The cells, `cells[r][c]`.
    pub cells: Vec<Vec<Cell>>,
    /// The colour scale.
    pub scale: ColourScale,
    /// What the colour measures.
    pub label: String,
}

impl Heatmap {
    /// The colour of a value.
    pub fn colour(&self, v: f64) -> [u8; 3] {
        match self.scale {
            ColourScale::Diverging { centre, decades } => {
                super::palette::diverging((v / centre).log10() / decades)
            }
            ColourScale::Sequential { lo, hi } => {
                let t = (v / lo).log10() / (hi / lo).log10().max(1e-12);
                super::palette::sequential(t)
            }
        }
    }

    /// The values at the bottom and top of the colour bar.
    pub fn range(&self) -> (f64, f64) {
        match self.scale {
            ColourScale::Diverging { centre, decades } => {
                (centre / 10f64.powf(decades), centre * 10f64.powf(decades))
            }
            ColourScale::Sequential { lo, hi } => (lo, hi),
        }
    }

    /// Where `v` sits on the colour bar: 0 at the bottom, 1 at the top (log scale).
    pub fn bar_position(&self, v: f64) -> f64 {
        let (lo, hi) = self.range();
        (v / lo).ln() / (hi / lo).ln()
    }

    /// The value at position `t` of the colour bar (the inverse of [`Heatmap::bar_position`]).
    pub fn bar_value(&self, t: f64) -> f64 {
        let (lo, hi) = self.range();
        lo * (hi / lo).powf(t)
    }

    /// Whether the colour bar has a range to draw: `0 < lo < hi < ∞`.
    pub fn has_bar(&self) -> bool {
        let (lo, hi) = self.range();
        lo > 0.0 && lo < hi && hi.is_finite()
    }

    /// The colour bar's ticks strictly inside its range, largest first: the powers of ten (every
    /// k-th over more than [`MAX_DECADES`]) and a diverging scale's centre.
    pub fn bar_ticks(&self) -> Vec<f64> {
        if !self.has_bar() {
            return Vec::new();
        }
        let (lo, hi) = self.range();
        let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        let every = ((last - first) as usize).div_ceil(MAX_DECADES).max(1);
        let mut ticks: Vec<f64> = (first..=last)
            .step_by(every)
            .map(|k| 10f64.powi(k))
            .filter(|&v| v > lo && v < hi)
            .collect();
        if let ColourScale::Diverging { centre, .. } = self.scale
            && centre > lo
            && centre < hi
            && !ticks.contains(&centre)
        {
            ticks.push(centre);
        }
        ticks.sort_by(|a, b| b.total_cmp(a));
        ticks
    }

    /// Edges of one equal cell per grid value `c` (equal on the axis: in log10 on log axes),
    /// spanning from before the first value to after the last as midpoints would.
    pub fn edges(c: &[f64], log: bool) -> Vec<f64> {
        let natural = Heatmap::midpoint_edges(c, log);
        let (Some(&first), Some(&last)) = (natural.first(), natural.last()) else {
            return natural;
        };
        let n = c.len() as f64;
        (0..=c.len())
            .map(|i| match log {
                true => first * (last / first).powf(i as f64 / n),
                false => first + (last - first) * i as f64 / n,
            })
            .collect()
    }

    /// Where the cells of the grid values `c` are centred on the axis (the values themselves on
    /// an evenly spaced grid): the axis's ticks go there, labelled with the values.
    pub fn centres(c: &[f64], log: bool) -> Vec<f64> {
        let e = Heatmap::edges(c, log);
        (e.windows(2))
            .map(|w| {
                if log {
                    (w[0] * w[1]).sqrt()
                } else {
                    0.5 * (w[0] + w[1])
                }
            })
            .collect()
    }

    /// Cell edges around the centres `c` (geometric midpoints on log axes, arithmetic else).
    fn midpoint_edges(c: &[f64], log: bool) -> Vec<f64> {
        let mid = |a: f64, b: f64| if log { (a * b).sqrt() } else { 0.5 * (a + b) };
        let mut e = Vec::with_capacity(c.len() + 1);
        match c {
            [] => {}
            [only] => e.extend(if log {
                [only / 1.5, only * 1.5]
            } else {
                [only - 0.5, only + 0.5]
            }),
            _ => {
                let inner: Vec<f64> = c.windows(2).map(|w| mid(w[0], w[1])).collect();
                let first = if log {
                    c[0] * c[0] / inner[0]
                } else {
                    2.0 * c[0] - inner[0]
                };
                let n = c.len();
                let last = if log {
                    c[n - 1] * c[n - 1] / inner[n - 2]
                } else {
                    2.0 * c[n - 1] - inner[n - 2]
                };
                e.push(first);
                e.extend(inner);
                e.push(last);
            }
        }
        e
    }
}

/// A figure: a title, a subtitle and panels stacked vertically on a shared width.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Title at the top.
    pub title: String,
    /// Smaller text under the title (e.g. the parameters); one line per `\n`.
    pub subtitle: String,
    /// The panels, top to bottom.
    pub panels: Vec<Panel>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heatmap(scale: ColourScale) -> Heatmap {
        Heatmap {
            xs: vec![1.0],
            ys: vec![1.0],
            cells: vec![vec![Cell::Empty]],
            scale,
            label: String::new(),
        }
    }

    #[test]
    fn colour_bar_ticks_are_the_decades_inside_and_a_diverging_centre() {
        let ratio = heatmap(ColourScale::Diverging {
            centre: 1.0,
            decades: 2.65,
        });
        assert_eq!(ratio.bar_ticks(), vec![100.0, 10.0, 1.0, 0.1, 0.01]);
        assert!((ratio.bar_position(1.0) - 0.5).abs() < 1e-15);
        assert!((ratio.bar_value(0.5) - 1.0).abs() < 1e-15);
        let error = heatmap(ColourScale::Sequential {
            lo: 7.73e-5,
            hi: 0.337,
        });
        assert_eq!(error.bar_ticks(), vec![0.1, 0.01, 0.001, 0.0001]);
        assert_eq!(error.bar_position(7.73e-5), 0.0);
        assert!((error.bar_position(0.337) - 1.0).abs() < 1e-15);
        let off_decade = heatmap(ColourScale::Diverging {
            centre: 2.0,
            decades: 0.5,
        });
        assert_eq!(off_decade.bar_ticks(), vec![2.0, 1.0]);
        let wide = heatmap(ColourScale::Sequential {
            lo: 1e-300,
            hi: 1e300,
        });
        assert!((10..=MAX_DECADES + 1).contains(&wide.bar_ticks().len()));
        for (lo, hi) in [(f64::INFINITY, f64::INFINITY), (0.0, 1.0), (1.0, 1.0)] {
            let empty = heatmap(ColourScale::Sequential { lo, hi });
            assert!(
                !empty.has_bar() && empty.bar_ticks().is_empty(),
                "{lo}..{hi}"
            );
        }
    }
}
