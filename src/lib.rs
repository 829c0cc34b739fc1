//! dln-explorer: the implicit bias of SGD on diagonal linear networks, simulated and drawn.

pub mod app;
pub mod cli;
pub mod export;
pub mod presets;
pub mod sim;
