//! The sweep CSV (`sweep --csv`): written after the parameter header with the grid's own
//! `# key = value` lines (and `# shard = "K/N"` for a shard), and read back into the grid and
//! its rows for summaries, figures and merging (docs/file-formats.md).

use std::collections::HashMap;
use std::fmt::Write;

use super::csv::csv_header;
use crate::experiment::shard::Shard;
use crate::experiment::sweep::{GammaAxis, SweepRow, SweepSpec};
use crate::model::analysis::Outcome;
use crate::model::format::exact;
use crate::model::{Config, MethodKind, Stop};

/// Column names of the rows.
pub const COLUMNS: &str = "alpha,method,seed,gamma,steps_run,final_loss,recovery_error,alpha_ratio,predicted_gap,predicted_gap_p21,diverged,gamma_max,gamma_fraction,stop,l1_recovery_error,l2_recovery_error";

/// The header keys of the grid (not settings of the scene).
pub const GRID_KEYS: [&str; 8] = [
    "alphas",
    "gammas",
    "gamma_fractions",
    "methods",
    "seeds",
    "with_gamma_max",
    "title",
    "shard",
];

/// The CSV of a sweep's rows (or a shard's: `shard` other than [`Shard::WHOLE`]), after the
/// parameter header and the grid; `title` is the scene's, for figures drawn from the file.
pub fn sweep_csv(
    config: &Config,
    spec: &SweepSpec,
    title: &str,
    shard: Shard,
    rows: &[SweepRow],
) -> String {
    // On a data file the header records its sizes, so the file reads back without the data.
    let p = &spec.base.problem;
    let recorded = Config {
        n: p.n,
        d: p.d,
        s: p.s,
        n_test: p.n_test,
        ..config.clone()
    };
    let config = if config.data.is_some() {
        &recorded
    } else {
        config
    };
    let mut out = csv_header(config, rows.first().map_or(f64::NAN, |r| r.gamma));
    let list = |v: &[f64]| v.iter().map(|&x| float(x)).collect::<Vec<_>>().join(", ");
    let _ = writeln!(out, "# alphas = [{}]", list(&spec.alphas));
    match &spec.gammas {
        GammaAxis::Scene => {}
        GammaAxis::Values(v) => _ = writeln!(out, "# gammas = [{}]", list(v)),
        GammaAxis::Fractions(v) => _ = writeln!(out, "# gamma_fractions = [{}]", list(v)),
    }
    let methods: Vec<String> = spec.methods.iter().map(|m| format!("\"{m}\"")).collect();
    let _ = writeln!(out, "# methods = [{}]", methods.join(", "));
    let _ = writeln!(out, "# seeds = {}", spec.seeds);
    let _ = writeln!(out, "# with_gamma_max = {}", spec.find_gamma_max);
    let _ = writeln!(out, "# title = {}", toml::Value::from(title));
    if shard != Shard::WHOLE {
        let _ = writeln!(out, "# shard = \"{shard}\"");
    }
    out.push_str(COLUMNS);
    out.push('\n');
    let opt = |x: Option<f64>| x.map(|v| format!("{v:e}")).unwrap_or_default();
    for r in rows {
        let o = &r.outcome;
        let _ = writeln!(
            out,
            "{},{},{},{:e},{},{:e},{:e},{:e},{},{},{},{},{},{},{:e},{:e}",
            r.alpha,
            r.method,
            r.seed,
            r.gamma,
            o.steps_run,
            o.final_loss,
            o.recovery_error,
            o.alpha_ratio,
            opt(o.predicted_gap),
            opt(o.predicted_gap_p21),
            o.diverged_at_step.is_some(),
            opt(r.gamma_max),
            r.gamma_fraction.map(|f| f.to_string()).unwrap_or_default(),
            r.stop.name(),
            r.l1_error,
            r.l2_error,
        );
    }
    out
}

/// A number as a TOML float, exactly (`0.1`, `2.0`, `1e-5`).
fn float(v: f64) -> String {
    let text = exact(v);
    if text.contains(['.', 'e', 'n', 'N']) {
        text
    } else {
        format!("{text}.0")
    }
}

/// A row read back, with where it is in the file and in the grid.
#[derive(Clone, Debug)]
pub struct ReadRow {
    /// The row. The CSV does not carry `test_error`, `alpha_ratio_p21` and `loss_integral`
    /// (read back as NaN) nor the step of a divergence (read back as `steps_run`).
    pub row: SweepRow,
    /// Its place in the grid's row order (α, γ, seed, method).
    pub index: usize,
    /// Its line number in the file, from 1.
    pub line: usize,
    /// Its text as written.
    pub text: String,
}

/// A sweep CSV read back: the scene, the grid, the slice it holds and its rows.
#[derive(Clone, Debug)]
pub struct SweepFile {
    /// The scene's settings as recorded.
    pub config: Config,
    /// The grid; its base is the validated scene.
    pub spec: SweepSpec,
    /// The scene's title.
    pub title: String,
    /// The slice of the grid the file holds ([`Shard::WHOLE`] for a whole sweep).
    pub shard: Shard,
    /// The rows in file order.
    pub rows: Vec<ReadRow>,
    /// The `#` lines as written.
    pub header: Vec<String>,
}

impl SweepFile {
    /// The rows alone.
    pub fn sweep_rows(&self) -> Vec<SweepRow> {
        self.rows.iter().map(|r| r.row.clone()).collect()
    }

    /// The header's `key = value` pairs (`version` for the first line), without `shard` and
    /// `gamma_used` (the first row's γ): what every shard of one sweep shares.
    pub fn grid_keys(&self) -> Vec<(String, String)> {
        let version = self
            .header
            .first()
            .map(|l| l.trim_start_matches("# dln-explorer "));
        let keys = self.header.iter().skip(1).filter_map(|l| {
            let (k, v) = l.strip_prefix("# ")?.split_once(" = ")?;
            (k != "shard" && k != "gamma_used").then(|| (k.to_string(), v.to_string()))
        });
        (version
            .map(|v| ("version".to_string(), v.to_string()))
            .into_iter())
        .chain(keys)
        .collect()
    }
}

/// Reads a sweep CSV: the header must record a valid scene and grid, the columns must be this
/// version's, and every row must be a cell of the file's slice, once; a slice whose rows stop
/// short (a cell of a fixed-γ grid, or one γ point of an (α, seed, method), missing) is refused.
pub fn read_sweep(text: &str) -> Result<SweepFile, String> {
    let lines: Vec<&str> = text.lines().collect();
    let h = lines.iter().take_while(|l| l.starts_with('#')).count();
    if !lines
        .first()
        .is_some_and(|l| l.starts_with("# dln-explorer "))
    {
        return Err("not a dln-explorer CSV (no «# dln-explorer VERSION» first line)".into());
    }
    let header: Vec<String> = lines[..h].iter().map(|l| l.to_string()).collect();
    let toml_text: String = (lines[1..h].iter())
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| !l.starts_with("gamma_used = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut table: toml::Table =
        toml::from_str(&toml_text).map_err(|e| format!("invalid header: {}", e.message()))?;
    let mut take = |key: &str| {
        table.remove(key).ok_or_else(|| {
            format!("no «# {key} = …» line: not a sweep CSV of this version (sweep --csv)")
        })
    };
    let alphas = floats("alphas", take("alphas")?)?;
    let gammas = match (take("gammas").ok(), take("gamma_fractions").ok()) {
        (None, None) => GammaAxis::Scene,
        (Some(v), None) => GammaAxis::Values(floats("gammas", v)?),
        (None, Some(v)) => GammaAxis::Fractions(floats("gamma_fractions", v)?),
        (Some(_), Some(_)) => return Err("invalid header: both gammas and gamma_fractions".into()),
    };
    let methods = (take("methods")?
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter())
    .map(|m| m.as_str().unwrap_or("?").parse::<MethodKind>())
    .collect::<Result<Vec<_>, _>>()
    .map_err(|e| format!("invalid header: {e}"))?;
    let seeds = take("seeds")?
        .as_integer()
        .and_then(|s| u64::try_from(s).ok());
    let with_gamma_max = take("with_gamma_max")?.as_bool();
    let title = take("title")?.as_str().map(String::from);
    let (Some(seeds), Some(find_gamma_max), Some(title)) = (seeds, with_gamma_max, title) else {
        return Err("invalid header: seeds, with_gamma_max or title is not of its type".into());
    };
    let shard = match take("shard").ok() {
        None => Shard::WHOLE,
        Some(s) => s
            .as_str()
            .unwrap_or("?")
            .parse()
            .map_err(|e| format!("{e}"))?,
    };
    let config: Config = table
        .try_into()
        .map_err(|e: toml::de::Error| format!("invalid header: {}", e.message()))?;
    let base = config
        .validate_keys()
        .map_err(|e| format!("invalid header: {e}"))?;
    let spec = SweepSpec {
        base,
        alphas,
        methods,
        seeds,
        gammas,
        find_gamma_max,
    };
    spec.validate()
        .map_err(|e| format!("invalid header: {e}"))?;
    shard.check(&spec).map_err(|e| format!("{e}"))?;
    match lines.get(h) {
        Some(&columns) if columns == COLUMNS => {}
        other => {
            let found = other.unwrap_or(&"(nothing)");
            return Err(format!(
                "its columns are «{found}», not this version's «{COLUMNS}»"
            ));
        }
    }
    let mut rows = Vec::with_capacity(lines.len() - h - 1);
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for (k, &text) in lines.iter().enumerate().skip(h + 1) {
        let line = k + 1;
        let row = parse_row(text).map_err(|e| format!("line {line}: {e}"))?;
        let cell = format!(
            "(α = {}, γ = {}, seed {}, {})",
            row.alpha,
            exact(row.gamma),
            row.seed,
            row.method
        );
        let Some(at) = spec.position(&row) else {
            return Err(format!(
                "line {line}: the row {cell} is not a cell of the header's grid"
            ));
        };
        if !shard.holds(at.pair) {
            let owner = at.pair as u64 % shard.count() + 1;
            return Err(format!(
                "line {line}: the row {cell} belongs to shard {owner}/{}, not {shard}",
                shard.count()
            ));
        }
        if let Some(first) = seen.insert(at.index, line) {
            return Err(format!("line {line}: the row {cell} repeats line {first}"));
        }
        let (index, text) = (at.index, text.to_string());
        rows.push(ReadRow {
            row,
            index,
            line,
            text,
        });
    }
    let file = SweepFile {
        config,
        spec,
        title,
        shard,
        rows,
        header,
    };
    check_complete(&file)?;
    Ok(file)
}

/// A list of numbers in the header (TOML floats or integers).
fn floats(key: &str, value: toml::Value) -> Result<Vec<f64>, String> {
    let bad = || format!("invalid header: {key} = {value} is not a list of numbers");
    let items = value.as_array().ok_or_else(bad)?;
    (items.iter())
        .map(|v| (v.as_float().or_else(|| v.as_integer().map(|i| i as f64))).ok_or_else(bad))
        .collect()
}

/// One row of [`COLUMNS`].
fn parse_row(text: &str) -> Result<SweepRow, String> {
    let names: Vec<&str> = COLUMNS.split(',').collect();
    let fields: Vec<&str> = text.split(',').collect();
    if fields.len() != names.len() {
        return Err(format!("{} fields, expected {}", fields.len(), names.len()));
    }
    let bad = |k: usize| format!("{} = «{}» is not valid", names[k], fields[k]);
    let num = |k: usize| fields[k].parse::<f64>().map_err(|_| bad(k));
    let opt = |k: usize| (!fields[k].is_empty()).then(|| num(k)).transpose();
    let steps_run = fields[4].parse::<u64>().map_err(|_| bad(4))?;
    let diverged = fields[10].parse::<bool>().map_err(|_| bad(10))?;
    let stops = [
        Stop::Budget,
        Stop::Converged,
        Stop::Diverged,
        Stop::NotConverged,
    ];
    Ok(SweepRow {
        alpha: num(0)?,
        method: fields[1].parse().map_err(|_| bad(1))?,
        seed: fields[2].parse().map_err(|_| bad(2))?,
        gamma: num(3)?,
        gamma_max: opt(11)?,
        gamma_fraction: opt(12)?,
        l1_error: num(14)?,
        l2_error: num(15)?,
        outcome: Outcome {
            steps_run,
            final_loss: num(5)?,
            recovery_error: num(6)?,
            test_error: f64::NAN,
            expected_test_error: f64::NAN,
            alpha_ratio: num(7)?,
            alpha_ratio_p21: f64::NAN,
            loss_integral: f64::NAN,
            predicted_gap: opt(8)?,
            predicted_gap_p21: opt(9)?,
            alpha_ratio_product: None,
            predicted_gap_product: None,
            diverged_at_step: diverged.then_some(steps_run),
        },
        stop: (stops.into_iter())
            .find(|s| s.name() == fields[13])
            .ok_or_else(|| bad(13))?,
    })
}

/// Refuses a file whose slice stops short: on a fixed-γ grid every cell has a row; on a
/// fraction grid an (α, seed, method) has a row at every fraction or none (no γ_max found).
fn check_complete(file: &SweepFile) -> Result<(), String> {
    let spec = &file.spec;
    let points = spec.gammas.points().len();
    let mut per_run: HashMap<usize, usize> = HashMap::new();
    for r in &file.rows {
        // The index without its γ digit: one key per (α, seed, method).
        let (sm, rest) = (spec.seeds as usize * spec.methods.len(), r.index);
        *per_run
            .entry(rest / (points * sm) * sm + rest % sm)
            .or_default() += 1;
    }
    let fractions = matches!(spec.gammas, GammaAxis::Fractions(_));
    let want = file.shard.pair_count(spec) * spec.methods.len();
    let short = per_run.values().any(|&n| n != points);
    if short || (!fractions && per_run.len() != want) {
        return Err(format!(
            "it holds {} of the {} rows of its slice ({}): cut short?",
            file.rows.len(),
            want * points,
            if file.shard == Shard::WHOLE {
                "the whole grid".to_string()
            } else {
                format!("shard {}", file.shard)
            }
        ));
    }
    Ok(())
}
