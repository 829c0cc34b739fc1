//! Figures and data for slides and papers: an SVG plot writer, its PNG rasteriser, CSV of every
//! series, and the method colours shared with the GUI. Pure functions over data: no egui.

pub mod csv;
pub mod figures;
pub mod palette;
pub mod png;
pub mod svg;

pub use svg::{Axis, Figure, Panel, Reference, Scale, Series, Style};

/// A number for read-outs and tables: fixed for moderate magnitudes, else scientific.
pub fn num(v: f64) -> String {
    if v == 0.0 || (1e-3..1e4).contains(&v.abs()) {
        format!("{v:.4}")
    } else {
        format!("{v:.3e}")
    }
}
