//! dln-explorer: the implicit bias of SGD on diagonal linear networks, simulated and drawn.

pub mod app;
pub mod cli;
pub mod data;
pub mod experiment;
pub mod figure;
pub mod files;
pub mod lessons;
pub mod link;
pub mod model;
pub mod platform;
pub mod presets;
pub mod shipped;
