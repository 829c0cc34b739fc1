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
}

impl Axis {
    /// A linear axis.
    pub fn linear(label: impl Into<String>) -> Axis {
        Axis {
            label: label.into(),
            scale: Scale::Linear,
        }
    }

    /// A log10 axis.
    pub fn log(label: impl Into<String>) -> Axis {
        Axis {
            label: label.into(),
            scale: Scale::Log,
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

    /// Cell edges around the centres `c` (geometric midpoints on log axes, arithmetic else).
    pub fn edges(c: &[f64], log: bool) -> Vec<f64> {
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
