//! Figures and data for slides and papers: an SVG plot writer, its PNG rasteriser, CSV of every
//! series, and the method colours shared with the GUI. Pure functions over data: no egui.

pub mod alpha;
pub mod animation;
pub mod csv;
pub mod figures;
pub mod noise;
pub mod palette;
pub mod panel;
pub mod png;
pub mod scene;
pub mod slide;
pub mod staircase;
pub mod subtitle;
pub mod svg;
pub mod sweep_csv;
pub mod sweep_figures;
pub mod ticks;
pub mod view;

pub use panel::{Axis, Cell, ColourScale, Figure, Heatmap, Panel, Reference, Scale, Series, Style};

pub use crate::model::format::num;
