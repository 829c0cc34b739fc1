//! Grids of swept values: typed lists and log-spaced grids with round mantissas.

use crate::model::SimError;
use crate::model::format::round3;

/// Most α values a grid may have.
pub const MAX_ALPHAS: usize = 200;

/// The numbers of a list separated by commas, semicolons or spaces, for the setting `name`.
pub fn parse_numbers(name: &'static str, text: &str) -> Result<Vec<f64>, SimError> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<f64>()
                .map_err(|_| SimError::invalid(name, t, "a comma-separated list of numbers > 0"))
        })
        .collect()
}

/// α from `lo` to `hi` (both included), `per_decade` points per decade: the round 1-2-5, 1-3
/// or 1 mantissas for 3, 2 or 1 points per decade, else evenly log-spaced (3 significant digits).
pub fn log_grid(lo: f64, hi: f64, per_decade: u32) -> Result<Vec<f64>, SimError> {
    let span = (hi / lo).log10();
    let points = span * f64::from(per_decade) + 1.0;
    if points > MAX_ALPHAS as f64 {
        return Err(SimError::invalid(
            "α grid",
            points.ceil(),
            format!("at most {MAX_ALPHAS} points"),
        ));
    }
    let mantissas: &[f64] = match per_decade {
        1 => &[1.0],
        2 => &[1.0, 3.0],
        3 => &[1.0, 2.0, 5.0],
        _ => &[],
    };
    let mut grid = vec![lo, hi];
    if mantissas.is_empty() {
        let intervals = (span * f64::from(per_decade) - 1e-9).ceil().max(0.0) as usize;
        for i in 1..intervals {
            let t = i as f64 / intervals as f64;
            grid.push(round3(lo * 10f64.powf(span * t)));
        }
    } else {
        let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        for decade in first..=last {
            for m in mantissas {
                let v = round3(m * 10f64.powi(decade));
                if v > lo * (1.0 + 1e-9) && v < hi * (1.0 - 1e-9) {
                    grid.push(v);
                }
            }
        }
    }
    Ok(grid)
}
