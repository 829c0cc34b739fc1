//! A Cholesky factor `G = L Lᵀ` of a Gram matrix that grows and shrinks by one column at a
//! time (the active set of the basis-pursuit homotopy): append in O(k²), delete in O(k²) by
//! Givens rotations, solve in O(k²).

/// Lower-triangular `L` with `G = L Lᵀ`, row i holding `L[i][0..=i]`.
#[derive(Clone, Debug, Default)]
pub struct GrowingCholesky {
    rows: Vec<Vec<f64>>,
}

impl GrowingCholesky {
    /// Order k of the factored matrix.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the factor is empty.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Appends a row and column to G: `cross` = the new column's products with the old ones,
    /// `diag` = its squared norm. False (and unchanged) if the new G is not numerically positive
    /// definite (the column lies in the span of the others).
    pub fn append(&mut self, cross: &[f64], diag: f64) -> bool {
        let z = self.forward(cross);
        let rest = diag - z.iter().map(|v| v * v).sum::<f64>();
        if rest.is_nan() || diag.is_nan() || rest <= 1e-12 * diag {
            return false;
        }
        let mut row = z;
        row.push(rest.sqrt());
        self.rows.push(row);
        true
    }

    /// Removes row and column `k` of G.
    pub fn delete(&mut self, k: usize) {
        self.rows.remove(k);
        // Rows k.. now reach one column past their diagonal: rotate column pairs to clear it.
        for t in k..self.rows.len() {
            let (a, b) = (self.rows[t][t], self.rows[t][t + 1]);
            let r = a.hypot(b);
            let (c, s) = if r > 0.0 { (a / r, b / r) } else { (1.0, 0.0) };
            for row in &mut self.rows[t..] {
                let (x, y) = (row[t], row[t + 1]);
                row[t] = c * x + s * y;
                row[t + 1] = c * y - s * x;
            }
            self.rows[t].truncate(t + 1);
        }
    }

    /// Solves `L z = b`.
    pub fn forward(&self, b: &[f64]) -> Vec<f64> {
        let mut z: Vec<f64> = Vec::with_capacity(b.len() + 1);
        for (row, bi) in self.rows.iter().zip(b) {
            let (off, diag) = row.split_at(row.len() - 1);
            let s = bi - off.iter().zip(&z).map(|(l, zj)| l * zj).sum::<f64>();
            z.push(s / diag[0]);
        }
        z
    }

    /// Solves `G x = b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let mut x = self.forward(b);
        for i in (0..x.len()).rev() {
            x[i] /= self.rows[i][i];
            let xi = x[i];
            for (xj, l) in x[..i].iter_mut().zip(&self.rows[i]) {
                *xj -= l * xi;
            }
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A symmetric positive-definite test matrix `AᵀA + I` from a fixed pattern.
    fn gram(k: usize) -> Vec<Vec<f64>> {
        let a: Vec<Vec<f64>> = (0..k + 3)
            .map(|i| {
                (0..k)
                    .map(|j| ((i * 7 + j * 3) % 11) as f64 - 5.0)
                    .collect()
            })
            .collect();
        (0..k)
            .map(|p| {
                (0..k)
                    .map(|q| a.iter().map(|r| r[p] * r[q]).sum::<f64>() + f64::from(p == q))
                    .collect()
            })
            .collect()
    }

    fn factor(g: &[Vec<f64>], order: &[usize]) -> GrowingCholesky {
        let mut f = GrowingCholesky::default();
        for (i, &p) in order.iter().enumerate() {
            let cross: Vec<f64> = order[..i].iter().map(|&q| g[p][q]).collect();
            assert!(f.append(&cross, g[p][p]));
        }
        f
    }

    fn max_solve_error(f: &GrowingCholesky, g: &[Vec<f64>], order: &[usize]) -> f64 {
        let b: Vec<f64> = (0..order.len()).map(|i| 1.0 + i as f64).collect();
        let x = f.solve(&b);
        (0..order.len())
            .map(|i| {
                let gx: f64 = (0..order.len()).map(|j| g[order[i]][order[j]] * x[j]).sum();
                (gx - b[i]).abs()
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn append_delete_and_solve_match_the_matrix() {
        let g = gram(8);
        let order: Vec<usize> = (0..8).collect();
        assert!(max_solve_error(&factor(&g, &order), &g, &order) < 1e-10);
        // Delete coordinates 3, 0, 5 of the original order one after the other and compare with
        // a fresh factor of the remaining matrix.
        let mut f = factor(&g, &order);
        let mut left = order.clone();
        for p in [3usize, 0, 5] {
            let k = left.iter().position(|&q| q == p).expect("present");
            f.delete(k);
            left.remove(k);
            assert!(max_solve_error(&f, &g, &left) < 1e-10, "after deleting {p}");
            let fresh = factor(&g, &left);
            for (a, b) in f.rows.iter().zip(&fresh.rows) {
                for (x, y) in a.iter().zip(b) {
                    assert!((x - y).abs() < 1e-10);
                }
            }
        }
    }

    #[test]
    fn a_dependent_column_is_refused() {
        // Columns e1, e2 and e1 + e2: the third Gram column is dependent.
        let mut f = GrowingCholesky::default();
        assert!(f.append(&[], 1.0));
        assert!(f.append(&[0.0], 1.0));
        assert!(!f.append(&[1.0, 1.0], 2.0));
        assert_eq!(f.len(), 2);
    }
}
