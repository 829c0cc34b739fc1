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
