//! The CSV writers, each after the `# key = value` parameter header: every plotted series of a
//! figure and a run's trajectory (`run --csv`); a sweep's rows are in `sweep_csv`.

use std::fmt::Write;

use super::panel::{Figure, Series};
use crate::model::format::exact;
use crate::model::{Config, Trainer};

/// Column names of the series rows.
pub const COLUMNS: &str = "panel,series,x,y,lower,upper";

/// The `# key = value` header lines recording every parameter and the version.
pub fn csv_header(config: &Config, gamma: f64) -> String {
    let mut out = format!("# dln-explorer {}\n", env!("CARGO_PKG_VERSION"));
    let toml = toml::to_string(config).unwrap_or_default();
    for line in toml.lines().filter(|l| !l.trim().is_empty()) {
        // Numbers in the one short form (`1e-20`, not twenty digits); TOML reads both back.
        let line = match line.split_once(" = ") {
            Some((key, value)) if value.parse::<f64>().is_ok() && value.contains('.') => {
                let short = exact(value.parse().unwrap_or(f64::NAN));
                if short.contains(['.', 'e']) {
                    format!("{key} = {short}")
                } else {
                    line.to_string()
                }
            }
            _ => line.to_string(),
        };
        out.push_str(&format!("# {line}\n"));
    }
    out.push_str(&format!("# gamma_used = {gamma:e}\n"));
    out
}

/// Every series of every panel in long form: one row per point (band rows carry lower/upper).
pub fn figure_csv(config: &Config, gamma: f64, fig: &Figure) -> String {
    let mut out = csv_header(config, gamma);
    out.push_str(COLUMNS);
    out.push('\n');
    for p in &fig.panels {
        for r in &p.series {
            series_rows(&mut out, &p.title, r);
        }
        for r in &p.references {
            let _ = writeln!(
                out,
                "{},{},,{:e},,",
                quote(&p.title),
                quote(&r.name),
                r.value
            );
        }
    }
    out
}

fn series_rows(out: &mut String, panel: &str, r: &Series) {
    let (panel, name) = (quote(panel), quote(&r.name));
    for q in &r.points {
        let band = r.band.iter().find(|b| b[0] == q[0]);
        let (lo, hi) = band.map_or((String::new(), String::new()), |b| {
            (format!("{:e}", b[1]), format!("{:e}", b[2]))
        });
        let _ = writeln!(out, "{panel},{name},{:e},{:e},{lo},{hi}", q[0], q[1]);
    }
}

/// Quotes a CSV field if it contains a comma, quote or newline.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Reads the parameter header of an exported CSV back: the settings and the γ used (a sweep's
/// grid lines are skipped).
pub fn parse_header(text: &str) -> Result<(Config, f64), String> {
    let toml_text: String = text
        .lines()
        .skip(1)
        .map_while(|l| l.strip_prefix("# "))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut table: toml::Table =
        toml::from_str(&toml_text).map_err(|e| format!("invalid CSV header: {}", e.message()))?;
    for key in super::sweep_csv::GRID_KEYS {
        table.remove(key);
    }
    let gamma = table
        .remove("gamma_used")
        .and_then(|v| v.as_float())
        .ok_or("invalid CSV header: no gamma_used line")?;
    let config = table
        .try_into()
        .map_err(|e: toml::de::Error| format!("invalid CSV header: {}", e.message()))?;
    Ok((config, gamma))
}

/// The trajectory as CSV with the parameter header; when the run followed every coordinate,
/// `beta_1 … beta_d` and their running means `mean_1 … mean_d` close each row.
pub fn trajectory_csv(config: &Config, trainer: &Trainer) -> String {
    let mut out = csv_header(config, trainer.gamma());
    // The error column is named by what it measures (recovery_error unless the data has no β*).
    let error = trainer.problem().measure.key();
    out.push_str(&format!("step,time,loss,loss_integral,alpha_ratio,alpha_ratio_min,alpha_ratio_max,alpha_ratio_p21,{error},expected_test_error"));
    let all = trainer.followed().len() == trainer.problem().d();
    if all {
        for prefix in ["beta", "mean"] {
            for j in trainer.followed() {
                let _ = write!(out, ",{prefix}_{}", j + 1);
            }
        }
    }
    out.push('\n');
    for (_, p) in trainer.samples().iter() {
        let s = &p.sample;
        out.push_str(&format!(
            "{},{:e},{:e},{:e},{:e},{:e},{:e},{:e},{:e},{:e}",
            s.step,
            s.time,
            s.loss,
            s.loss_integral,
            s.alpha_ratio,
            s.alpha_ratio_min,
            s.alpha_ratio_max,
            s.alpha_ratio_p21,
            s.recovery_error,
            s.test_error
        ));
        if all {
            for v in p.coords.iter().chain(&p.mean) {
                let _ = write!(out, ",{v:e}");
            }
        }
        out.push('\n');
    }
    out
}
