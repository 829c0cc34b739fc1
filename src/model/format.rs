//! The one number formatter for people: tables, errors, CSV headers, plots and the GUI.

/// A number for read-outs and tables: fixed for moderate magnitudes, else scientific
/// (`1e-300` prints as `1.000e-300`, never as three hundred digits).
pub fn num(v: f64) -> String {
    if v == 0.0 || (1e-3..1e4).contains(&v.abs()) {
        format!("{v:.4}")
    } else {
        format!("{v:.3e}")
    }
}

/// A number exactly as given, in its shortest round-trip form: plain for moderate magnitudes,
/// else scientific (`1e-20`, not `0.00000000000000000001`), for errors and file headers.
pub fn exact(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e15).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// `v` rounded to three significant digits (grid values and read-outs read cleanly).
pub fn round3(v: f64) -> f64 {
    format!("{v:.2e}").parse().unwrap_or(v)
}

/// A number to three significant digits in its shortest form (`0.00201`, `1e-5`, `40`).
pub fn short(v: f64) -> String {
    exact(round3(v))
}

/// A rate to three significant digits with an SI prefix (`152`, `72.9 k`, `12 M`).
pub fn si(v: f64) -> String {
    match v.abs() {
        a if a >= 1e6 => format!("{} M", short(v / 1e6)),
        a if a >= 1e3 => format!("{} k", short(v / 1e3)),
        _ => short(v),
    }
}
