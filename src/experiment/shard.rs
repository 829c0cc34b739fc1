//! Shards of a sweep: N fixed slices of its grid for separate processes (a cluster's job array).
//! Shard K of N holds the (α, seed) pairs numbered `a·seeds + s ≡ K − 1 (mod N)` — strided, so
//! every shard gets every part of the α range — with every γ point and method of each pair, so a
//! (α, seed, method)'s γ_max is bisected by one shard only and each shard gets the same share of
//! slow small-γ cells.

use std::fmt;
use std::str::FromStr;

use super::sweep::{SweepRow, SweepSpec};
use crate::model::SimError;

/// What a `--shard` value must be.
const FORM: &str = "K/N with integers 1 ≤ K ≤ N (the K-th of N slices, e.g. 3/8)";

/// The K-th of N fixed slices of a sweep's grid (1 ≤ K ≤ N).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// The whole grid as one slice.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Slice `index` (1-based) of `count`.
    pub fn new(index: u64, count: u64) -> Result<Shard, SimError> {
        if (1..=count).contains(&index) {
            Ok(Shard { index, count })
        } else {
            Err(SimError::invalid("shard", format!("{index}/{count}"), FORM))
        }
    }

    /// K, from 1.
    pub fn index(self) -> u64 {
        self.index
    }

    /// N.
    pub fn count(self) -> u64 {
        self.count
    }

    /// Whether the (α, seed) pair numbered `pair` (α index · seeds + seed index) is in the slice.
    pub fn holds(self, pair: usize) -> bool {
        pair as u64 % self.count == self.index - 1
    }

    /// The slice's (α index, seed index) pairs of seed index `seed`, by α.
    pub fn pairs_of_seed(
        self,
        spec: &SweepSpec,
        seed: usize,
    ) -> impl Iterator<Item = (usize, usize)> {
        let seeds = spec.seeds as usize;
        (0..spec.alphas.len())
            .filter(move |&a| self.holds(a * seeds + seed))
            .map(move |a| (a, seed))
    }

    /// The slice's (α index, seed index) pairs, in grid order.
    #[cfg(test)]
    fn pairs(self, spec: &SweepSpec) -> Vec<(usize, usize)> {
        let mut pairs: Vec<_> = (0..spec.seeds as usize)
            .flat_map(|s| self.pairs_of_seed(spec, s))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    /// How many (α, seed) pairs the slice holds, counted without listing them.
    pub fn pair_count(self, spec: &SweepSpec) -> usize {
        let all = spec.alphas.len() as u64 * spec.seeds;
        let first = self.index - 1;
        if first >= all {
            0
        } else {
            ((all - first).div_ceil(self.count)) as usize
        }
    }

    /// Checks the slice against the grid: no more slices than (α, seed) pairs.
    pub fn check(self, spec: &SweepSpec) -> Result<(), SimError> {
        let pairs = spec.alphas.len() as u64 * spec.seeds;
        if self.count > pairs {
            return Err(SimError::invalid(
                "shard",
                self,
                format!(
                    "K/N with N at most {pairs}, the grid's (α, seed) pairs ({} α × {} seeds)",
                    spec.alphas.len(),
                    spec.seeds
                ),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = SimError;
    fn from_str(text: &str) -> Result<Shard, SimError> {
        let bad = || SimError::invalid("shard", text, FORM);
        let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let (k, n) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse());
        Shard::new(k, n.map_err(|_| bad())?).map_err(|_| bad())
    }
}

/// Where a row sits in its sweep's grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Its (α, seed) pair number, α index · seeds + seed index (what shards are cut by).
    pub pair: usize,
    /// Its place in the row order (α, γ, seed, method).
    pub index: usize,
}

impl SweepSpec {
    /// The grid position of `row`, or `None` if its α, γ point, seed or method is not the
    /// grid's.
    pub fn position(&self, row: &SweepRow) -> Option<Position> {
        let points = self.gammas.points();
        let a = self.alphas.iter().position(|&x| x == row.alpha)?;
        let g = points.iter().position(|&p| p == self.point_of(row))?;
        let s = row.seed.wrapping_sub(self.base.problem.seed);
        let s = usize::try_from(s)
            .ok()
            .filter(|&s| (s as u64) < self.seeds)?;
        let m = self.methods.iter().position(|&m| m == row.method)?;
        let seeds = self.seeds as usize;
        Some(Position {
            pair: a * seeds + s,
            index: ((a * points.len() + g) * seeds + s) * self.methods.len() + m,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::sweep::GammaAxis;
    use crate::model::{Config, MethodKind};

    fn spec(alphas: usize, seeds: u64) -> SweepSpec {
        SweepSpec {
            base: Config::default().validate().expect("defaults"),
            alphas: (1..=alphas).map(|k| k as f64 / 10.0).collect(),
            methods: vec![MethodKind::Gd, MethodKind::Sgd],
            seeds,
            gammas: GammaAxis::Values(vec![0.01, 0.02, 0.03]),
            find_gamma_max: false,
        }
    }

    #[test]
    fn shards_partition_the_pairs_and_are_strided_over_alpha() {
        let spec = spec(4, 3);
        for n in 1..=12 {
            let mut all: Vec<(usize, usize)> = (1..=n)
                .flat_map(|k| Shard::new(k, n).expect("valid").pairs(&spec))
                .collect();
            let sizes: Vec<usize> = (1..=n)
                .map(|k| {
                    let shard = Shard::new(k, n).expect("valid");
                    assert_eq!(shard.pair_count(&spec), shard.pairs(&spec).len());
                    shard.pair_count(&spec)
                })
                .collect();
            assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
            all.sort_unstable();
            let want: Vec<(usize, usize)> =
                (0..4).flat_map(|a| (0..3).map(move |s| (a, s))).collect();
            assert_eq!(all, want, "{n} shards cover every pair once");
        }
        // 2 of 4 shards of 4 α × 3 seeds: pairs 1, 5, 9 — one at each of three α.
        let second = Shard::new(2, 4).expect("valid").pairs(&spec);
        assert_eq!(second, vec![(0, 1), (1, 2), (3, 0)]);
        assert!(Shard::new(1, 12).expect("valid").check(&spec).is_ok());
        let err = Shard::new(1, 13).expect("valid").check(&spec).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid shard = 1/13: must be K/N with N at most 12, the grid's (α, seed) pairs (4 α × 3 seeds)"
        );
    }

    #[test]
    fn bad_shards_name_the_value_and_the_form() {
        for bad in ["0/2", "3/2", "1/0", "x", "1/", "/2", "-1/2", "1/2/3", ""] {
            let err = bad.parse::<Shard>().unwrap_err().to_string();
            assert_eq!(
                err,
                format!("invalid shard = {bad}: must be {FORM}"),
                "«{bad}»"
            );
        }
        let s: Shard = " 3/8 ".parse().expect("valid");
        assert_eq!((s.index(), s.count(), s.to_string()), (3, 8, "3/8".into()));
    }
}
